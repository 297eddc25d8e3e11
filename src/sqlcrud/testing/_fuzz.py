"""schemathesis over the app's ``crud_router`` operations: random valid requests one by
one, then chains (create, then read, update and delete what was created) through the
OpenAPI links. Every answer must be as OpenAPI declares it."""

import copy
import json
from typing import Any

import hypothesis
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings, strategies
from schemathesis import checks
from schemathesis.core.failures import FailureGroup

from ._app import ITEM_ROUTES, METHODS, Target
from ._client import HOST, Request
from ._run import Run, preconditions

CHECK = "OpenAPI"
# Not schemathesis' not_a_server_error: every request of a check already fails on a 5xx,
# with the exception the app raised.
CHECKS = ("status_code_conformance", "content_type_conformance", "response_schema_conformance",
          "response_headers_conformance")  # fmt: skip
BASE = f"http://{HOST}"
NOISE = {"user-agent", "accept-encoding", "accept", "connection", "x-schemathesis-testcaseid"}
STEPS = 6  # requests in one chain
ROWS = 3  # rows created for each router's item routes


class Fuzzer:
    """schemathesis over the check's targets, and the create bodies it generates."""

    def __init__(self, run: Run, openapi: dict[str, Any], seed: int) -> None:
        self.run, self.seed = run, seed
        self.routes = {
            (METHODS[route], path): (target, route) for target in run.targets for route, path in _paths(target)
        }
        self.schema = schemathesis.openapi.from_dict(_only(openapi, self.routes))
        self.operations = {_where(result.ok()): result.ok() for result in self.schema.get_all_operations()}  # type: ignore[union-attr]
        run.generate = self.bodies

    def bodies(self, target: Target, batch: int, count: int = 30) -> list[dict[str, Any]]:
        """Valid create bodies as schemathesis generates them: patterns and formats kept."""
        found: list[dict[str, Any]] = []
        operation = self.operations.get(("POST", target.collection))
        if operation is None:
            return found

        def collect(case: Any) -> None:
            if isinstance(case.body, dict):
                found.append(case.body)

        generating = settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
                              suppress_health_check=list(HealthCheck))  # fmt: skip
        hypothesis.seed(self.seed + batch)(generating(hypothesis.given(case=operation.as_strategy())(collect)))()
        # Hypothesis starts from the simplest values, the same in every batch: the later
        # ones first, each body once, so that unique columns do not collide.
        unique = {json.dumps(body, sort_keys=True): body for body in reversed(found)}
        return list(unique.values())

    def run_all(self, max_examples: int) -> None:
        fuzz(self.run, self.schema, self.routes, max_examples, self.seed)


def fuzz(
    run: Run, schema: Any, routes: dict[tuple[str, str], tuple[Target, str]], max_examples: int, seed: int
) -> None:
    limits = settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        stateful_step_count=STEPS,
        # Failures are collected, never raised: nothing to shrink or explain, and no
        # targeting, which replays earlier scenarios against a database that has changed.
        phases=[Phase.explicit, Phase.generate],
    )
    rows: dict[int, list[dict[str, str]]] = {}  # by table: a delete-only router works on another's rows
    for target in run.targets:
        rows.setdefault(id(target.resource.table.table), []).extend(_rows(run, target))
    for result in schema.get_all_operations():
        operation = result.ok()
        target, route = routes[_where(operation)]
        cases = operation.as_strategy()
        if route in ITEM_ROUTES:
            if not (on := rows[id(target.resource.table.table)]):
                run.note(f"{target.label(route)}: no random requests, as no row of its table could be created")
                continue
            cases = _on_rows(cases, on)
        examples = hypothesis.given(case=cases)(_examples(run, target, route))
        hypothesis.seed(seed)(limits(examples))()

    _chains(run, schema, routes, limits, seed)


def _chains(run: Run, schema: Any, routes: dict[tuple[str, str], tuple[Target, str]], limits: Any, seed: int) -> None:
    workflow: Any = schema.as_state_machine()
    if not any(name.startswith("POST_") for name in dir(workflow)):
        run.note("schemathesis chains: no create route links to others")
        return
    scenarios = 0
    created: list[tuple[Target, dict[str, Any]]] = []

    class Chains(workflow):  # type: ignore[misc]
        def setup(self) -> None:
            nonlocal scenarios
            scenarios += 1

        def teardown(self) -> None:
            # Each scenario starts from the rows the last one found: hypothesis replays
            # scenarios, and gives up if the database answers a replay otherwise.
            for target, row in created:
                if target.has("delete"):
                    run.call(target, "delete", target.url(row), identity=run.identity)
            created.clear()

        def call(self, case: Any, **kwargs: Any) -> Any:
            target, route = routes[_where(case.operation)]
            response = _send(run, target, route, case)
            if route == "create" and run.last is not None and run.last.status < 300:
                answer = run.last.answer.json()  # with bulk=True, an array of the rows created
                created.extend((target, row) for row in (answer if isinstance(answer, list) else [answer]))
            return response

        def validate_response(self, response: Any, case: Any, *args: Any, **kwargs: Any) -> None:
            target, route = routes[_where(case.operation)]
            _validate(run, target, route, case, response)

    try:
        hypothesis.seed(seed)(Chains).run(settings=limits)
    except hypothesis.errors.Flaky:
        # The rows a scenario finds (a list's, a create refused by a unique value already
        # taken) are the database's: hypothesis refuses to go on when they change the
        # requests a replayed scenario can make.
        run.note(f"schemathesis chains: stopped after {scenarios} scenarios, as the rows in the database changed")


def _rows(run: Run, target: Target) -> list[dict[str, str]]:
    """The path parameters of a few rows the check creates for the item routes to work on."""
    if not target.has("create"):
        return []
    created = (run.create(target, run.identity)[0] for _ in range(ROWS))
    return [target.resource.path_values(row) for row in created if row is not None]


def _on_rows(cases: Any, rows: list[dict[str, str]]) -> Any:
    """Cases whose path names one of ``rows``: random bodies then reach real rows, and
    never a row the check did not create (an identity's own account, say)."""

    def aimed(pair: tuple[Any, dict[str, str]]) -> Any:
        case, path = pair
        case.path_parameters = {**(case.path_parameters or {}), **path}
        return case

    return strategies.tuples(cases, strategies.sampled_from(rows)).map(aimed)


def _examples(run: Run, target: Target, route: str) -> Any:
    def examples(case: Any) -> None:
        _validate(run, target, route, case, _send(run, target, route, case))

    return examples


def _where(operation: Any) -> tuple[str, str]:
    return operation.method.upper(), operation.path


def _paths(target: Target) -> list[tuple[str, str]]:
    return [(route, target.label(route).split(" ", 1)[1]) for route in target.operations]


def _only(openapi: dict[str, Any], routes: dict[tuple[str, str], Any]) -> dict[str, Any]:
    """The OpenAPI document with only the operations of ``crud_router`` routes."""
    document = copy.deepcopy(openapi)
    for path, operations in list(document.get("paths", {}).items()):
        for method in list(operations):
            if (method.upper(), path) not in routes:
                del operations[method]
        if not operations:
            del document["paths"][path]
    return document


def _send(run: Run, target: Target, route: str, case: Any) -> Any:
    """Send a case through the check's client; the answer as schemathesis reads them."""
    kwargs = case.as_transport_kwargs(base_url=BASE)
    headers = preconditions(target, route) | {
        name.lower(): value for name, value in kwargs.get("headers", {}).items() if name.lower() not in NOISE
    }
    prepared = requests.Request(
        method=kwargs["method"],
        url=kwargs["url"],
        headers=run.headers(run.identity, headers),
        params=kwargs.get("params"),
        cookies=kwargs.get("cookies"),
        json=kwargs.get("json"),
        data=kwargs.get("data"),
    ).prepare()
    body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body  # bytes, from json= or data=
    names = {"host": HOST} | {name.lower(): str(value) for name, value in prepared.headers.items()}
    sent = Request(prepared.method or "GET", prepared.path_url, tuple(names.items()), body or b"")  # type: ignore[arg-type]
    exchange = run.exchange(target, route, sent, run.identity)
    answered: dict[str, list[str]] = {}
    for name, value in exchange.answer.headers:
        answered.setdefault(name, []).append(value)
    return schemathesis.Response(
        status_code=exchange.status,
        headers=answered,
        content=exchange.answer.body,
        request=prepared,
        elapsed=0.0,
        verify=True,
    )


def _validate(run: Run, target: Target, route: str, case: Any, response: Any) -> None:
    if response.status_code >= 500 or run.last is None:
        return  # already a failure, with what the app raised
    try:
        case.validate_response(response, checks=[getattr(checks, name) for name in CHECKS])
    except FailureGroup as group:
        for failure in group.exceptions:
            reason = f"{failure.title}: {failure.message.splitlines()[0] if failure.message else ''}".rstrip(": ")
            run.fail(CHECK, target.label(route), reason, run.last, run.identity)
