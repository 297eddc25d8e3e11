"""The hostile-input catalogue, derived from each router's OpenAPI: odd values for every
field and parameter, odd paths, cursors and headers. Every answer must be below 500 and,
when a write is refused, nothing may have been written."""

import base64
import json
from collections.abc import Iterator
from typing import Any

from .._order import _checksum
from ._app import Target
from ._run import Run
from ._values import Schema

CHECK = "hostile input"


class Raw(str):
    """A JSON token no encoder writes: ``NaN``, ``1e400``, a 5,000-digit number."""


TEXT = ["", " ", "a\x00b", "\ud800", "\U0001f600" * 3, "x" * 100_000]
NUMBERS = [Raw("NaN"), Raw("Infinity"), Raw("-Infinity"), Raw("1e400"), Raw("9" * 5000), 1e308, -0.0]
INTEGERS = [2**31, -(2**31) - 1, 2**63, -(2**63) - 1, 10**30, 1.5, Raw("NaN"), Raw("9" * 5000)]
MOMENTS = {  # naive, at the ends of the range, out of it once in UTC, impossible
    "date-time": [
        "2024-05-01T04:00:00",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "2024-02-30T00:00Z",
    ],
    "date": ["0001-01-01", "9999-12-31", "0000-01-01", "2024-02-30", "2024"],
    "time": ["24:00:01", "12:00+02:00", "2024"],
}
WRONG: list[Any] = [None, [], {}, True, "x"]


def hostile(run: Run, target: Target) -> None:
    if target.has("create") and (schema := run.schemas.body(target.operations["create"])):
        _creates(run, target, schema)
    row, _ = run.create(target, run.identity) if target.has("create") else (None, None)
    if row is not None and target.has("update") and (schema := run.schemas.body(target.operations["update"])):
        _updates(run, target, row, schema)
    if target.has("list"):
        _queries(run, target)
    for route in ("read", "update", "delete"):
        if target.has(route):
            _paths(run, target, route)
    if row is not None:
        _preconditions(run, target, row)


def values(run: Run, schema: Schema) -> Iterator[Any]:
    """Odd values for a field of this schema: its limits, past them, and of other types."""
    branch = run.schemas.branch(schema)
    kinds = {run.schemas.resolve(choice).get("type") for choice in run.schemas.resolve(schema).get("anyOf", ())}
    kind, fmt = branch.get("type"), branch.get("format")
    if {"number", "string"} <= kinds:  # a Decimal
        yield from [Raw("NaN"), "NaN", "-Infinity", "1e999999", "1" + "0" * 400 + ".5", 1e308]
    elif kind == "string" and fmt in MOMENTS:
        yield from MOMENTS[fmt]
    elif kind == "string":
        limit = branch.get("maxLength")
        yield from TEXT
        if limit is not None:
            yield from ["x" * limit, "x" * (limit + 1), "é" * limit, "\U0001f600" * limit]
    elif kind == "integer":
        yield from INTEGERS
    elif kind == "number":
        yield from NUMBERS
    elif kind == "object":
        yield from [{"k": "a\x00b"}, {"\udfff": 1}, {"k": "\ud800"}, _deep(64), {"k": [Raw("NaN")]}]
    yield from WRONG  # null too: where it is valid, it must be stored


def encode(body: Any) -> bytes:
    """JSON as a careless client writes it: ``Raw`` tokens as they are, lone surrogates escaped."""
    raws: list[str] = []

    def mark(value: Any) -> Any:
        if isinstance(value, Raw):
            raws.append(str(value))
            return f"\x00raw{len(raws) - 1}\x00"
        if isinstance(value, dict):
            return {key: mark(item) for key, item in value.items()}
        if isinstance(value, list):
            return [mark(item) for item in value]
        return value

    text = json.dumps(mark(body))
    for index, raw in enumerate(raws):
        text = text.replace(json.dumps(f"\x00raw{index}\x00"), raw)
    return text.encode()


BODIES = [b"\xff\xfe{", b'{"a": ', b"[" * 100_000, b"[]", b"null", b'"text"', b"", b"{}" * 2]


def _creates(run: Run, target: Target, schema: Schema) -> None:
    base = run.body(target)
    fields = run.schemas.properties(schema)
    for name, field in fields.items():
        for value in values(run, field):
            _create(run, target, encode(base | {name: value}), f"{name}={_shown(value)}")
    for content in BODIES:
        _create(run, target, content, "an odd body")
    _mass_assignment(run, target, "create", set(fields))


def _create(run: Run, target: Target, content: bytes, what: str) -> None:
    before = run.rows(target, run.identity) if target.has("list") else None
    sent = run.call(target, "create", content=content, identity=run.identity)
    if sent.status < 300:
        created = sent.answer.json()
        for row in created if isinstance(created, list) else [created]:  # bulk=True takes an array of rows
            if target.has("delete"):
                run.call(target, "delete", target.url(row), identity=run.identity)
        return
    if before is not None and run.rows(target, run.identity) != before:
        run.fail(CHECK, target.label("create"), f"writes a row although it refuses {what}", sent, run.identity)


def _mass_assignment(run: Run, target: Target, route: str, declared: set[str], url: str | None = None) -> None:
    """Fields the answer shows but the body model does not declare: sent twice with
    different values, they must not come back as sent both times."""
    model = target.resource.create_body if route == "create" else target.resource.update_body
    for name, field in _answered(run, target.operations[route]).items():
        if name in declared:
            continue
        sent = [run.schemas.value(field, 900_000 + run.serial()) for _ in range(2)]
        answers = []
        for value in sent:
            body = (run.body(target) if route == "create" else {}) | {name: value}
            answers.append(run.call(target, route, url, json_body=body, identity=run.identity))
            if route == "create" and answers[-1].status < 300 and target.has("delete"):
                run.call(target, "delete", target.url(answers[-1].answer.json()), identity=run.identity)
        if sent[0] != sent[1] and all(a.status < 300 and a.answer.json().get(name) == v for a, v in zip(answers, sent)):
            reason = f"a client sets {name}, which {model.__name__} does not declare"
            run.fail(CHECK, target.label(route), reason, answers[1], run.identity)


def _answered(run: Run, operation: dict[str, Any]) -> dict[str, Schema]:
    """The fields of an operation's successful JSON answer."""
    for status, response in operation.get("responses", {}).items():
        if status.startswith("2"):
            return run.schemas.properties(response.get("content", {}).get("application/json", {}).get("schema", {}))
    return {}


def _updates(run: Run, target: Target, row: dict[str, Any], schema: Schema) -> None:
    url, me = target.url(row), run.identity
    readable = target.has("read")
    before = run.call(target, "read", url, identity=me).answer.body if readable else None
    for name, field in run.schemas.properties(schema).items():
        for value in values(run, field):
            sent = run.call(target, "update", url, content=encode({name: value}), identity=me)
            now = run.call(target, "read", url, identity=me).answer.body if readable else None
            if sent.status >= 300 and now != before:
                reason = f"changes the row although it refuses {name}={_shown(value)}"
                run.fail(CHECK, target.label("update"), reason, sent, me)
            before = now
    for content in BODIES:
        run.call(target, "update", url, content=content, identity=me)
    _mass_assignment(run, target, "update", set(run.schemas.properties(schema)), url)


def _queries(run: Run, target: Target) -> None:
    me, collection = run.identity, target.collection
    urls = [
        "limit=0", "limit=-1", f"limit={10**30}", "limit=abc", "offset=-1", f"offset={2**63}", f"offset={2**64}",
        "offset=" + "9" * 5000, "limit=1&limit=2", "offset=1&offset=x", "nope=1", "sort=nope", "sort=-", "sort=,",
        "sort=--id", "sort=" + ",".join(["id"] * 1000), "cursor=%25%25%25", "cursor=" + "A" * 5000, "%FF=%FF",
        "limit=%00", "q=" + "x" * 10_000,
    ]  # fmt: skip
    key = ",".join(target.resource.key)  # the signature of the default order
    for payload in ([key, [2**70]], [key, [_deep(60)]], [key, []], [key, [1, 2]], ["nope", [1]], [key, ["\ud800"]]):
        urls.append("cursor=" + _forged(payload))
    for parameter in target.operations["list"].get("parameters", ()):
        if parameter.get("in") == "query" and parameter["name"] not in ("limit", "offset", "cursor", "sort"):
            urls += [f"{parameter['name']}={value}" for value in _query_values(run, parameter.get("schema", {}))]
    for query in urls:
        run.call(target, "list", f"{collection}?{query}", identity=me)


def _query_values(run: Run, schema: Schema) -> list[str]:
    branch = run.schemas.branch(schema)
    if branch.get("type") == "array":
        item = _query_values(run, branch.get("items", {}))[0]
        return ["&".join([item] * 5000), "&".join(str(n) for n in range(101))]
    kind, fmt = branch.get("type"), branch.get("format")
    if kind == "integer":
        return [str(2**63), str(-(2**63) - 1), "9" * 5000, "1.5", "NaN", ""]
    if kind == "number":
        return ["nan", "inf", "1e999999", ""]
    if kind == "boolean":
        return ["maybe", ""]
    if fmt in ("date-time", "date", "time"):
        return ["0001-01-01T00:00:00%2B14:00", "9999-12-31T23:59:59-14:00", "2024-01-01T00:00", "2024-02-30", "24:00"]
    if fmt == "uuid":
        return ["xyz", ""]
    return ["%00", "%25", "_", "%5C", "%ED%A0%80", "%FF", "x" * 10_000, "1e999999", "NaN"]


def _paths(run: Run, target: Target, route: str) -> None:
    segments = ["%0A", "..", "a%2Fb", "%00", "9" * 5000, "-1", "0", str(2**63), str(2**64), "1.5", "%C3%A9", "%FF"]
    for segment in segments:
        run.call(target, route, target.url_with(segment), json_body={} if route == "update" else None)


TAGS = ['"\xb2"', '"' + "9" * 5000 + '"', ", ".join(f'"{i}"' for i in range(40_000)), 'W/"1"', '"', "garbage", '""']


def _preconditions(run: Run, target: Target, row: dict[str, Any]) -> None:
    url, me = target.url(row), run.identity
    for tag in TAGS:
        if target.has("read"):
            run.call(target, "read", url, headers={"if-none-match": tag}, identity=me)
        if target.has("update"):
            run.call(target, "update", url, json_body={}, headers={"if-match": tag}, identity=me)
        if target.has("delete"):
            deleted = run.call(target, "delete", url, headers={"if-match": tag}, identity=me)
            if deleted.status < 300:
                return  # a tag that matched: the row is gone


def _deep(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


def _forged(payload: Any) -> str:
    """A cursor as sqlcrud makes them, around any payload (the checksum has no key)."""
    raw = json.dumps(payload).encode()
    return base64.urlsafe_b64encode(_checksum(raw) + raw).decode().rstrip("=")


def _shown(value: Any) -> str:
    text = str(value) if isinstance(value, Raw) else json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."
