"""Isolation: a row one identity creates is, for every other identity, a missing row on
every route (status, headers and body alike), never listed, counted or paged to."""

import uuid
from typing import Any
from urllib.parse import quote

from ._app import Target
from ._run import Exchange, Run, page_rows, why
from ._trips import _next

CHECK = "isolation"


def isolation(run: Run, target: Target) -> None:
    if not target.has("create"):
        return
    names = list(run.identities)
    for owner in names:
        for other in (name for name in names if name != owner):
            _pair(run, target, owner, other)


ROWS = 3  # rows each identity creates, with different values: a scope may leak only some


def _pair(run: Run, target: Target, owner: str, other: str) -> None:
    for _ in range(ROWS):
        _row(run, target, owner, other)


def _row(run: Run, target: Target, owner: str, other: str) -> None:
    count_before = _count(run, target, other)
    row, exchange = run.create(target, owner)
    if row is None:
        run.note(f"{target.label('create')}: no row could be created as {owner} (answer {why(exchange.answer)})")
        return
    if target.has("list"):
        _unlisted(run, target, row, owner, other, count_before)
    url, missing = target.url(row), target.url_with(*_missing_key(run, target))
    for route, method in (("read", "GET"), ("read", "HEAD"), ("update", "PATCH"), ("delete", "DELETE")):
        if not target.has(route):
            continue
        body = _update_body(run, target) if route == "update" else None
        foreign = run.call(target, route, url, method=method, json_body=body, identity=other)
        absent = run.call(target, route, missing, method=method, json_body=body, identity=other)
        if difference := _differs(foreign, absent):
            reason = f"{method} of {owner}'s row answers {other} otherwise than a missing row ({difference})"
            run.fail(CHECK, target.label(route), reason, foreign, other)
    if target.has("delete"):
        run.call(target, "delete", url, identity=owner)


def _unlisted(run: Run, target: Target, row: dict[str, Any], owner: str, other: str, count: str | None) -> None:
    resource, label = target.resource, target.label("list")
    key = resource.key_of(row)
    listed = run.rows(target, other) or []
    if any(resource.key_of(shown) == key for shown in listed):
        run.fail(CHECK, label, f"lists {owner}'s row to {other}", run.call(target, "list", identity=other), other)
    if resource.count and (after := _count(run, target, other)) != count:
        exchange = run.call(target, "list", identity=other)
        run.fail(CHECK, label, f"counts {owner}'s row for {other} ({count} before, {after} after)", exchange, other)
    if set(resource.key) <= set(resource.filters):
        query = "&".join(f"{name}={quote(str(row[name]), safe='')}" for name in resource.key)
        found = run.call(target, "list", f"{target.collection}?{query}", identity=other)
        if found.status == 200 and page_rows(found.answer):
            run.fail(CHECK, label, f"finds {owner}'s row by its key for {other}", found, other)
    if resource.cursor:
        url: str | None = f"{target.collection}?limit=1"
        for _ in range(len(listed) + 2):
            if url is None:
                break
            page = run.call(target, "list", url, identity=other)
            if any(resource.key_of(shown) == key for shown in page_rows(page.answer) if page.status == 200):
                run.fail(CHECK, label, f"pages to {owner}'s row for {other} by cursor", page, other)
            url = _next(page.answer.header("link"))


def _count(run: Run, target: Target, identity: str) -> str | None:
    if not (target.has("list") and target.resource.count):
        return None
    return run.call(target, "list", f"{target.collection}?limit=1", identity=identity).answer.header("x-total-count")


def _missing_key(run: Run, target: Target) -> list[str]:
    """A key no row has, a path segment per column: far from where keys are handed out,
    within each column's range."""
    serial = run.serial()
    return [_missing(kind, serial) for kind in target.resource.table.key_types]


def _missing(kind: type[Any], serial: int) -> str:
    if issubclass(kind, int):
        return str(2**31 - 1 - serial)
    if issubclass(kind, uuid.UUID):
        return str(uuid.UUID(int=2**128 - 1 - serial))
    return f"missing-{serial}"


def _update_body(run: Run, target: Target) -> dict[str, Any]:
    fields = run.schemas.properties(run.schemas.body(target.operations["update"]) or {})
    return {name: run.schemas.value(schema, run.serial()) for name, schema in list(fields.items())[:1]}


def _differs(one: Exchange, two: Exchange) -> str | None:
    """How two answers differ, or None if they are the same bytes."""
    if one.status != two.status:
        return f"{one.status} against {two.status}"
    if dict(one.answer.headers) != dict(two.answer.headers):
        return "headers differ"
    if one.answer.body != two.answer.body:
        return "bodies differ"
    return None
