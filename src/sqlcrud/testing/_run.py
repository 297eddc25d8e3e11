"""What every part of a check shares: the client, the identities, the report, and the
few requests they all make (create a row, read it, list every row)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ._app import ITEM_ROUTES, METHODS, Target
from ._client import Answer, Client, Request, request
from ._report import Failure, Report
from ._values import Schemas

PAGES = 10  # the most list pages read to see every row: a test database is small
ATTEMPTS = 5  # distinct bodies tried when a create is a 409 (a unique value already taken)
# What an error answer must never show: SQL, a database driver, a Python traceback.
LEAKS = re.compile(
    r"\b(SELECT .* FROM|INSERT INTO|UPDATE \S+ SET|DELETE FROM)\b|sqlalchemy|psycopg|asyncpg|sqlite3|Traceback"
)


class Run:
    def __init__(
        self,
        client: Client,
        openapi: dict[str, Any],
        targets: list[Target],
        identities: Mapping[str, Mapping[str, str]],
        report: Report,
    ) -> None:
        self.client = client
        self.schemas = Schemas(openapi)
        self.targets = targets
        self.identities = {name: dict(headers) for name, headers in identities.items()}
        self.report = report
        self._serial = 0
        self.last: Exchange | None = None  # the latest exchange, for failures found after it
        # Create bodies from schemathesis, and the fields taken from them, by target.
        self.generated: dict[int, list[dict[str, Any]]] = {}
        self.borrowed: dict[int, set[str]] = {}
        self.generate: Callable[[Target, int], list[dict[str, Any]]] = lambda target, batch: []
        self._batches = 0
        self._bodies = 0

    @property
    def identity(self) -> str | None:
        """Who the checks act as: the first identity, or an anonymous client."""
        return next(iter(self.identities), None)

    def call(
        self,
        target: Target,
        route: str,
        url: str | None = None,
        *,
        method: str | None = None,
        json_body: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        identity: str | None = None,
    ) -> Exchange:
        """Send a request to one of the target's routes, and check what every answer must be."""
        url = url or (target.item if route in ITEM_ROUTES else target.collection)
        headers = {**preconditions(target, route), **(headers or {})}
        sent = request(
            method or METHODS[route], url, json_body=json_body, content=content, headers=self.headers(identity, headers)
        )
        return self.exchange(target, route, sent, identity)

    def exchange(self, target: Target, route: str, sent: Request, identity: str | None) -> Exchange:
        """Send a request as it is, and check what every answer must be."""
        exchange = self.last = Exchange(sent, self.client.send(sent))
        answer, label = exchange.answer, target.label(route)
        if answer.status >= 500:
            raised = f"raised {answer.error.split(' at ', 1)[0]}" if answer.error else f"answered {answer.status}"
            self.fail("server error", label, raised, exchange, identity)
        elif _says_json(sent, answer) and parsed(answer) is NOT_JSON:
            self.fail("not JSON", label, "the answer says it is JSON but does not parse", exchange, identity)
        elif answer.status >= 400 and (leak := LEAKS.search(answer.text)) and leak.group() not in str(sent):
            self.fail("leak", label, "the error answer shows SQL, a driver or a traceback", exchange, identity)
        return exchange

    def headers(self, identity: str | None, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        return {**(extra or {}), **self.identities.get(identity or "", {})}

    def fail(self, check: str, route: str, reason: str, exchange: Exchange, identity: str | None = None) -> None:
        self.report.add(Failure(check, route, reason, exchange.request, exchange.answer, identity))

    def note(self, text: str) -> None:
        if text not in self.report.notes:
            self.report.notes.append(text)

    def serial(self) -> int:
        """A number no other body of this check used: for values a unique column needs."""
        self._serial += 1
        return self._serial

    # The requests every part makes.

    def body(self, target: Target) -> dict[str, Any]:
        """A create body with every field the create model declares: the check's own
        values, new for each body, but schemathesis' for fields the app refused them for
        (a pattern, say)."""
        schema = self.schemas.body(target.operations["create"]) or {}
        self._bodies += 1  # a count of its own: each body's values differ from the last one's
        body = self.schemas.instance(schema, self._bodies)
        for name in self.borrowed.get(id(target), ()):
            body[name] = self._generated(target, name)
        return body | self.parents(target)

    def create(self, target: Target, identity: str | None) -> tuple[dict[str, Any] | None, Exchange]:
        """Create a row as ``identity``: its answer, or None and the last refusal."""
        body = self.body(target)
        for _ in range(ATTEMPTS * 2):
            exchange = self.call(target, "create", json_body=body, identity=identity)
            if exchange.status < 300:
                return exchange.answer.json(), exchange
            refused = _refused(exchange.answer) - self.borrowed.setdefault(id(target), set())
            if exchange.status == 409:
                body = self.body(target)
            elif exchange.status == 422 and refused and all(name in body for name in refused):
                self.borrowed[id(target)] |= refused
                body = body | {name: self._generated(target, name) for name in refused}
            elif exchange.status == 422 and self.borrowed[id(target)]:
                body = self.body(target)  # another generated value may do
            else:
                break
        return None, exchange

    def _generated(self, target: Target, name: str) -> Any:
        """The next value of ``name`` in the bodies schemathesis generates (more when they run out)."""
        bodies = self.generated.setdefault(id(target), [])
        while not any(name in body for body in bodies):
            self._batches += 1
            if not (batch := self.generate(target, self._batches)) or self._batches > 20:
                return None
            bodies += batch
        index = next(i for i, body in enumerate(bodies) if name in body)
        return bodies.pop(index)[name]

    def parents(self, target: Target) -> dict[str, Any]:
        """Values for the create fields that are foreign keys: the key of a row created for
        each foreign key (one row for all the columns of a composite one), or null where
        no other router creates such rows and the field takes it (a reference to a row of
        the same table, such as a parent category)."""
        values: dict[str, Any] = {}
        fields = self.schemas.properties(self.schemas.body(target.operations["create"]) or {})
        by_attribute = {column: name for name, column in target.resource.table.columns.items()}
        for constraint in target.resource.table.table.foreign_key_constraints:
            names = [by_attribute[column] for column in constraint.columns if column in by_attribute]
            if not names or not all(name in fields for name in names):
                continue
            parent = next(
                (t for t in self.targets if t.resource.table.table is constraint.referred_table and t.has("create")),
                None,
            )
            if parent is not None and parent is not target:
                row, _ = self.create(parent, self.identity)
                for name, key in zip(names, constraint.elements):
                    if row is not None and key.column.key in row:
                        values[name] = row[key.column.key]
            else:
                values |= {name: None for name in names if self.schemas.nullable(fields[name])}
        return values

    def rows(self, target: Target, identity: str | None, query: str = "") -> list[dict[str, Any]] | None:
        """Every row the list route shows ``identity`` (up to ``PAGES`` pages), or None if it refuses."""
        limit = target.resource.max_limit
        found: list[dict[str, Any]] = []
        for page in range(PAGES):
            url = f"{target.collection}?{query}{'&' * bool(query)}offset={page * limit}&limit={limit}"
            answer = self.call(target, "list", url, identity=identity).answer
            if answer.status != 200:
                return None
            rows = page_rows(answer)
            found += rows
            if len(rows) < limit:
                break
        return found


def page_rows(answer: Answer) -> list[Any]:
    """The rows of a list answer: the array, or the ``items`` of an ``envelope=True`` answer."""
    body = answer.json()
    return list(body["items"]) if isinstance(body, dict) and "items" in body else list(body)


def preconditions(target: Target, route: str) -> dict[str, str]:
    """``If-Match: *`` where the router requires one (``require_if_match``): a write to
    any row that exists, so that the checks reach the route behind its 428."""
    required = target.resource.require_if_match and route in ("update", "delete")
    return {"if-match": "*"} if required else {}


def _refused(answer: Answer) -> set[str]:
    """The body fields a 422 names."""
    detail = parsed(answer)
    detail = detail.get("detail") if isinstance(detail, dict) else None
    if not isinstance(detail, list):
        return set()
    locs = [error.get("loc", ()) for error in detail if isinstance(error, dict)]
    return {str(loc[1]) for loc in locs if len(loc) >= 2 and loc[0] == "body"}


def why(answer: Answer) -> str:
    """An answer's status, and for a 422 what it refused: "422: body.code: String should match"."""
    detail = parsed(answer)
    detail = detail.get("detail") if isinstance(detail, dict) else None
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        where = ".".join(str(part) for part in detail[0].get("loc", ()))
        return f"{answer.status}: {where}: {detail[0].get('msg', '')}"
    return f"{answer.status}: {detail}" if isinstance(detail, str) else str(answer.status)


@dataclass(frozen=True)
class Exchange:
    request: Request
    answer: Answer

    @property
    def status(self) -> int:
        return self.answer.status


NOT_JSON = object()


def _says_json(sent: Request, answer: Answer) -> bool:
    """Whether the answer has a body that says it is JSON (HEAD, 204 and 304 have none)."""
    bodiless = sent.method == "HEAD" or answer.status in (204, 304)
    return not bodiless and (answer.header("content-type") or "").startswith("application/json")


def parsed(answer: Answer) -> Any:
    """The JSON of an answer, or ``NOT_JSON``."""
    try:
        return json.loads(answer.body)
    except ValueError:
        return NOT_JSON
