"""``check``: every contract of sqlcrud's routes, run against an app in this process."""

import time
from collections.abc import Mapping
from typing import Any

from ._app import targets
from ._bulk import bulk_writes
from ._client import Client
from ._fuzz import Fuzzer
from ._hostile import hostile
from ._isolation import isolation
from ._report import Report
from ._run import Run
from ._trips import round_trips

MAX_EXAMPLES = 20


def check(
    app: Any,
    *,
    identities: Mapping[str, Mapping[str, str]] | None = None,
    max_examples: int = MAX_EXAMPLES,
    seed: int = 0,
) -> Report:
    """Check every route ``crud_router`` built in ``app``, through HTTP, in this process.

    The app runs as it is configured: its own session dependency (or an override in
    ``app.dependency_overrides``) and its lifespan. The check creates, changes and deletes
    rows through the routes, so point the app at a test database.

    Four kinds of checks run, in this order:

    1. Round trips: a created row reads back as created; PATCH changes the fields it
       sends and no others (but those the app sets on every update); after DELETE the
       row is a 404 everywhere; list pages of every size, order and cursor walk each
       row once.
    2. Hostile input, derived from each route's OpenAPI: odd and out-of-range values for
       every body field and query parameter (naive and extreme datetimes, ``NaN``, NUL
       and lone surrogates, over-long text, huge ``__in`` lists), bodies that are not
       JSON, odd paths, forged cursors, odd ``If-Match`` headers, and fields the body
       models do not declare. A refused write must leave nothing written.
    3. Isolation, with two or more identities, for every router with a ``scope``: a row
       one identity creates is, for each other one, answered exactly as a missing row
       (status, headers and body) on read, HEAD, PATCH and DELETE, and never listed,
       counted, found by its key or paged to.
    4. schemathesis: ``max_examples`` random valid requests per route, then
       ``max_examples`` chains of requests through the OpenAPI links; every answer
       must be one OpenAPI declares, in status, content type, headers and body.

    Every answer of every check must be below 500, parse as JSON when it says it is,
    and never show SQL, a driver's name or a traceback in an error.

    Args:
        app: The FastAPI app.
        identities: Names of users, each with the request headers that act as that user
            (``{"alice": {"Authorization": "Basic ..."}}``). The checks act as the first
            one; isolation needs two or more. None: every request is anonymous.
        max_examples: schemathesis' random requests per route, and its chains: more
            finds more, and takes longer.
        seed: The seed of schemathesis' random requests: the same seed, the same requests.

    Returns:
        The report: ``report.failures`` is empty when every check passed, and
        ``str(report)`` shows each failure with a ``curl`` line that reproduces it.

    Raises:
        ValueError: the app has no route built by ``crud_router``.
    """
    started = time.perf_counter()
    found = targets(app)
    if not found:
        raise ValueError("the app has no routes built by crud_router: nothing to check")
    report = Report(routes=[target.label(route) for target in found for route in target.operations])
    openapi = app.openapi()
    names = dict(identities or {})
    with Client(app) as client:
        run = Run(client, openapi, found, names, report)
        fuzzer = Fuzzer(run, openapi, seed)
        for target in found:
            round_trips(run, target)
            bulk_writes(run, target)
        for target in found:
            hostile(run, target)
        for target in found:
            if len(names) < 2:
                break
            if target.resource.scoped:
                isolation(run, target)
            else:
                run.note(f"{target.collection}: no scope, its rows are every identity's: isolation not checked")
        fuzzer.run_all(max_examples)
        report.requests = client.sent
    if len(names) < 2:
        report.notes.append("isolation: give two identities or more to check it")
    report.seconds = time.perf_counter() - started
    return report
