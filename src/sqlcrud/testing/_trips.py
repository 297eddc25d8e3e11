"""Round trips: a row reads back as it was created, PATCH changes what it sends, DELETE
leaves a 404, and list pages walk every row once, in one order."""

from collections.abc import Iterator
from typing import Any

from ._app import Target
from ._run import Run, page_rows, why

CHECK = "round trip"


def round_trips(run: Run, target: Target) -> None:
    if not target.has("create"):
        return
    me = run.identity
    row, exchange = run.create(target, me)
    if row is None:
        run.note(f"{target.label('create')}: no row could be created (answer {why(exchange.answer)}): no round trips")
        return
    if target.has("read"):
        read = run.call(target, "read", target.url(row), identity=me)
        if read.status == 404:
            _invisible(run, target, row)
            return
        if read.status == 200 and not _agrees(row, read.answer.json()):
            run.fail(CHECK, target.label("read"), "reads otherwise than create answered", read, me)
    if target.has("list"):
        _paging(run, target, row)
    if target.has("update"):
        _update(run, target, row)
    if target.has("delete"):
        _delete(run, target, row)


def _agrees(row: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether two answers about one row agree on the fields both show."""
    return all(other[name] == value for name, value in row.items() if name in other)


def _invisible(run: Run, target: Target, row: dict[str, Any]) -> None:
    """A row its creator cannot read (a scope such as "only my own account") must be
    missing on every route, not only on read."""
    me, url = run.identity, target.url(row)
    run.note(f"{target.label('create')}: a row created as {me or 'anonymous'} is not theirs to read: no round trips")
    for route, body in _probes(run, target, row, ("update", "delete")):
        exchange = run.call(target, route, url, json_body=body, identity=me)
        if exchange.status < 300:
            run.fail(CHECK, target.label(route), "reaches a row that read answers 404 for", exchange, me)
    listed = run.rows(target, me) if target.has("list") else None
    if listed is not None and _listed(target, row, listed):
        exchange = run.call(target, "list", identity=me)
        run.fail(CHECK, target.label("list"), "lists a row that read answers 404 for", exchange, me)


def _update(run: Run, target: Target, row: dict[str, Any]) -> None:
    me, url, key = run.identity, target.url(row), target.resource.key
    if (body := _unchanging(run, target, row)) is None:
        run.note(f"{target.label('update')}: the update model requires a field rows do not show: no PATCH checks")
        return
    unchanged = run.call(target, "update", url, json_body=body, identity=me)
    if unchanged.status != 200:
        return
    before = unchanged.answer.json()
    server_set = _server_set(target) | {name for name, value in before.items() if row.get(name) != value}
    other, _ = run.create(target, me)  # whose values, as the app answers them, are sent
    fields = run.schemas.properties(run.schemas.body(target.operations["update"]) or {})
    # Each field twice, the second time in reverse order: a hook that sets one field when
    # another is sent shows once the first holds a value other than the hook's.
    for name, field in [*fields.items(), *reversed(fields.items())]:
        if name in key or name not in before or (value := _new_value(run, field, before[name], other, name)) is NONE:
            continue
        changed = run.call(target, "update", url, json_body={name: value}, identity=me)
        if changed.status != 200:
            continue  # a unique value, a scope's column: refusing is the app's right
        after = changed.answer.json()
        if after[name] == before[name]:  # a value the app answers otherwise (normalized, say) is its right
            reason = f"keeps {name} as it was when sent another value ({before[name]!r}, sent {value!r})"
            run.fail(CHECK, target.label("update"), reason, changed, me)
        if stray := [n for n in before if n not in server_set | {name} and after.get(n) != before[n]]:
            changes = ", ".join(f"{n} {before[n]!r} to {after.get(n)!r}" for n in stray)
            reason = f"changes fields it was not sent: {', '.join(stray)} ({changes})"
            run.fail(CHECK, target.label("update"), reason, changed, me)
        if target.has("read") and not _agrees(after, run.call(target, "read", url, identity=me).answer.json()):
            run.fail(CHECK, target.label("read"), f"reads otherwise than PATCH answered ({name})", changed, me)
        before = after
    if other is not None and target.has("delete"):
        run.call(target, "delete", target.url(other), identity=me)


NONE = object()


def _probes(
    run: Run, target: Target, row: dict[str, Any], routes: tuple[str, ...]
) -> Iterator[tuple[str, dict[str, Any] | None]]:
    """The routes of ``routes`` the target has, each with a body that changes nothing (an
    update none can be sent for is left out)."""
    for route in routes:
        body = _unchanging(run, target, row) if route == "update" else None
        if target.has(route) and (route != "update" or body is not None):
            yield route, body


def _unchanging(run: Run, target: Target, row: dict[str, Any]) -> dict[str, Any] | None:
    """A PATCH body that changes nothing: the fields the update model requires, with the
    row's values (an app may use its create model for updates); None if the row does not
    show one of them (a password, say), so that no PATCH of it can be sent unchanged."""
    schema = run.schemas.body(target.operations["update"])
    required = schema.get("required", []) if schema else []
    if any(name not in row for name in required):
        return None
    return {name: row[name] for name in required}


def _new_value(run: Run, field: dict[str, Any], current: Any, other: dict[str, Any] | None, name: str) -> Any:
    """A value for ``name`` that differs from ``current``, in the form the app answers it:
    another row's, or for types sent as answered (booleans, integers, plain text, enums)
    a new one; ``NONE`` if there is none."""
    if other is not None and other.get(name) != current:
        return other[name]
    schema = run.schemas.branch(field)
    if schema.get("type") not in ("boolean", "integer", "string") or "format" in schema:
        return NONE
    for _ in range(4):  # away from the bounds, which a hook's defaults would hide behind
        if (value := run.schemas.value(field, 3 * run.serial())) != current:
            return value
    return NONE


def _server_set(target: Target) -> set[str]:
    """Fields the app may change on any update: the version column, ``onupdate`` columns."""
    columns = target.resource.table.columns
    changing = {name for name, column in columns.items() if column.onupdate or column.server_onupdate}
    return changing | ({target.resource.etag} if target.resource.etag not in (None, "hash") else set())


def _delete(run: Run, target: Target, row: dict[str, Any]) -> None:
    me, url = run.identity, target.url(row)
    deleted = run.call(target, "delete", url, identity=me)
    if deleted.status >= 300:
        return
    for route, body in _probes(run, target, row, ("read", "update", "delete")):
        again = run.call(target, route, url, json_body=body, identity=me)
        if again.status != 404:
            run.fail(CHECK, target.label(route), f"answers {again.status} for a deleted row, not 404", again, me)
    listed = run.rows(target, me) if target.has("list") else None
    if listed is not None and _listed(target, row, listed):
        run.fail(CHECK, target.label("list"), "lists a deleted row", run.call(target, "list", identity=me), me)


def _listed(target: Target, row: dict[str, Any], rows: list[dict[str, Any]]) -> bool:
    """Whether ``rows`` hold one with the key of ``row``."""
    key = target.resource.key_of(row)
    return any(target.resource.key_of(other) == key for other in rows)


def _paging(run: Run, target: Target, row: dict[str, Any]) -> None:
    """Pages of every size and order hold every row once: by offset, and by cursor."""
    me = run.identity
    more = [run.create(target, me)[0] for _ in range(2)]  # three rows at least, so that pages of two split them
    try:
        _walks(run, target, row)
    finally:
        for created in more:
            if created is not None and target.has("delete"):
                run.call(target, "delete", target.url(created), identity=me)


def _walks(run: Run, target: Target, row: dict[str, Any]) -> None:
    me, resource = run.identity, target.resource
    for sort in ("", *resource.sort, *(f"-{name}" for name in resource.sort)):
        query = f"sort={sort}" if sort else ""
        every = run.rows(target, me, query)
        if every is None:
            return
        if not _listed(target, row, every):
            exchange = run.call(target, "list", f"{target.collection}?{query}", identity=me)
            run.fail(CHECK, target.label("list"), "does not list a row just created", exchange, me)
        size = max(2, len(every) // 5)
        walks = {"offset": _by_offset(run, target, query, size, len(every))}
        if resource.cursor:
            walks["cursor"] = _by_cursor(run, target, query, size)
        for kind, (walked, last) in walks.items():
            if [resource.key_of(r) for r in walked] != [resource.key_of(r) for r in every]:
                reason = f"pages of {size} by {kind}{f' with {query}' if query else ''} repeat, skip or reorder rows"
                run.fail(CHECK, target.label("list"), reason, last, me)


def _by_offset(run: Run, target: Target, query: str, size: int, total: int) -> tuple[list[Any], Any]:
    rows: list[Any] = []
    exchange = None
    for offset in range(0, total + size, size):
        url = f"{target.collection}?{query}{'&' * bool(query)}offset={offset}&limit={size}"
        exchange = run.call(target, "list", url, identity=run.identity)
        page = page_rows(exchange.answer) if exchange.status == 200 else []
        rows += page
        if len(page) < size:
            break
    return rows, exchange


def _by_cursor(run: Run, target: Target, query: str, size: int) -> tuple[list[Any], Any]:
    rows: list[Any] = []
    url: str | None = f"{target.collection}?{query}{'&' * bool(query)}limit={size}"
    exchange = None
    for _ in range(1000):
        if url is None:
            break
        exchange = run.call(target, "list", url, identity=run.identity)
        rows += page_rows(exchange.answer) if exchange.status == 200 else []
        url = _next(exchange.answer.header("link"))
    return rows, exchange


def _next(link: str | None) -> str | None:
    """The path and query of a ``Link: <...>; rel="next"`` header."""
    for part in (link or "").split(","):
        target, _, params = part.partition(";")
        if 'rel="next"' in params:
            url = target.strip().strip("<>")
            return url[url.index("/", url.index("//") + 2) :] if "//" in url else url
    return None
