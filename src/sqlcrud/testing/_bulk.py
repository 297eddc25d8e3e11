"""Writes of many rows (``bulk=True``): all or nothing, within ``max_bulk``, never unfiltered."""

from typing import Any

from ._app import Target
from ._run import Run, why

CHECK = "bulk"


def bulk_writes(run: Run, target: Target) -> None:
    cap = target.resource.max_bulk
    if cap is None or not target.has("create", "list"):
        return
    me, label = run.identity, target.label("create")
    before = run.rows(target, me)
    rows = [run.body(target) for _ in range(2)]
    created = run.call(target, "create", json_body=rows, identity=me)
    if created.status >= 300:
        run.note(f"{label}: two new rows at once were refused (answer {why(created.answer)}): no bulk checks")
        return
    answer = created.answer.json()
    if not (isinstance(answer, list) and len(answer) == 2):
        run.fail(CHECK, label, "does not answer an array of two rows with the two rows created", created, me)
        return
    during = run.rows(target, me)
    for refused, what in (
        ([run.body(target), 7], "an array with one item that is no row"),
        ([rows[0]] * (cap + 1), f"{cap + 1} rows, past max_bulk"),
    ):
        sent = run.call(target, "create", json_body=refused, identity=me)
        if sent.status < 400:
            run.fail(CHECK, label, f"accepts {what}", sent, me)
        elif run.rows(target, me) != during:
            run.fail(CHECK, label, f"writes rows although it refuses {what}", sent, me)
    for route, body in (("update_many", {}), ("delete_many", None)):
        if target.has(route):
            sent = run.call(target, route, json_body=body, identity=me)
            if sent.status < 400:
                run.fail(CHECK, target.label(route), "changes rows without a filter", sent, me)
    _remove(run, target, answer)
    if run.rows(target, me) != before:
        run.note(f"{label}: the rows of the bulk checks could not all be deleted")


def _remove(run: Run, target: Target, rows: list[dict[str, Any]]) -> None:
    if target.has("delete"):
        for row in rows:
            run.call(target, "delete", target.url(row), identity=run.identity)
