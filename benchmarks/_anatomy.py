"""Where a request's time goes: one app driven in-process, its time split by clocks around each layer.

``python -m benchmarks._anatomy APP PATH [--clocked]`` (with ``DATABASE_URL``) sends
``GET PATH`` to ``benchmarks.APP:app`` straight through ASGI, one request after another
on one event loop, and prints JSON: microseconds per request in total, or with
``--clocked`` (sqlcrud's apps) in each layer. The runner starts it pinned to the app's
core. The clocks wrap FastAPI's and sqlcrud's own functions (a measuring tool may; the
library does not), and cost a few microseconds themselves, so the layers add up to a
little more than an unclocked request.

Layers, outermost first:
- *routing*: Starlette's and FastAPI's middleware, routing, request and response objects;
- *dependencies*: FastAPI solving the route's dependencies and validating its parameters;
- *endpoint*: sqlcrud's endpoint outside the operation (checks, serialization to JSON);
- *hop*: for a sync session, handing the operation to a worker thread and back;
  for an async one, entering and leaving the greenlet of ``run_sync``;
- *session*: the session dependency entered and exited in the worker thread;
- *operation*: the operation itself, of which *driver* is the statements' execution in
  the DBAPI driver (``do_execute``; asyncpg and aiosqlite await their own I/O or thread
  there), the rest being SQLAlchemy's connection, transaction and result handling and
  sqlcrud's rows.
"""

import asyncio
import importlib
import json
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

REQUESTS = 2000
WARMUP = 300


class Clocks:
    """Wall time spent inside wrapped functions, by name, outermost calls only."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self.depth: dict[str, int] = defaultdict(int)

    def _enter(self, name: str) -> float:
        self.depth[name] += 1
        return time.perf_counter()

    def _leave(self, name: str, started: float) -> None:
        self.depth[name] -= 1
        if not self.depth[name]:
            self.spent[name] += time.perf_counter() - started

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def clocked(*args: Any, **kwargs: Any) -> Any:
            started = self._enter(name)
            try:
                return function(*args, **kwargs)
            finally:
                self._leave(name, started)

        return clocked

    def wrap_async(self, name: str, function: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def clocked(*args: Any, **kwargs: Any) -> Any:
            started = self._enter(name)
            try:
                return await function(*args, **kwargs)
            finally:
                self._leave(name, started)

        return clocked


def install(clocks: Clocks) -> None:
    """Clocks around FastAPI's dependency solving and endpoint call, sqlcrud's bridge, the driver."""
    import fastapi.routing
    from sqlalchemy.engine.default import DefaultDialect

    import sqlcrud._bridge
    import sqlcrud._router

    fastapi.routing.solve_dependencies = clocks.wrap_async("dependencies", fastapi.routing.solve_dependencies)  # type: ignore[assignment]
    fastapi.routing.run_endpoint_function = clocks.wrap_async("endpoint", fastapi.routing.run_endpoint_function)  # type: ignore[assignment]
    sqlcrud._router.run = clocks.wrap_async("bridge", sqlcrud._router.run)  # type: ignore[assignment]
    sqlcrud._bridge.Deferred.run = clocks.wrap("thread", sqlcrud._bridge.Deferred.run)  # type: ignore[method-assign]
    sqlcrud._bridge.retried = clocks.wrap("operation", sqlcrud._bridge.retried)  # type: ignore[assignment]
    DefaultDialect.do_execute = clocks.wrap("driver", DefaultDialect.do_execute)  # type: ignore[method-assign]


async def _get(app: Any, path: str) -> int:
    raw_path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    status = 0
    received = False

    async def receive() -> dict[str, Any]:
        nonlocal received
        if received:
            await asyncio.Event().wait()  # the client never disconnects
        received = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def measure(module: str, path: str, clocked: bool) -> dict[str, float]:
    clocks = Clocks()
    if clocked:
        install(clocks)
    app = importlib.import_module(f"benchmarks.{module}").app
    async with app.router.lifespan_context(app):
        for _ in range(WARMUP):
            if (status := await _get(app, path)) != 200:
                raise RuntimeError(f"{module}: GET {path} answered {status}")
        clocks.spent.clear()
        started = time.perf_counter()
        for _ in range(REQUESTS):
            await _get(app, path)
        total = time.perf_counter() - started
    per = {name: spent / REQUESTS * 1e6 for name, spent in clocks.spent.items()}
    return {"total": total / REQUESTS * 1e6, **per}


def layers(spent: dict[str, float]) -> dict[str, float]:
    """The clocks' nested times as the layers of the module docstring (µs per request)."""
    get = spent.get
    inside = get("thread", get("operation", 0.0))  # a sync session's time in its worker thread
    layer = {
        "routing": spent["total"] - get("dependencies", 0.0) - get("endpoint", 0.0),
        "dependencies": get("dependencies", 0.0),
        "endpoint": get("endpoint", 0.0) - get("bridge", 0.0),
        "hop": get("bridge", 0.0) - inside,
        "session": inside - get("operation", 0.0),
        "operation": get("operation", 0.0) - get("driver", 0.0),
        "driver": get("driver", 0.0),
    }
    return {name: max(0.0, value) for name, value in layer.items()}


def main() -> None:
    module, path, *flags = sys.argv[1:]
    import uvloop

    spent = uvloop.run(measure(module, path, clocked="--clocked" in flags))
    print(json.dumps(layers(spent) if "--clocked" in flags else {"total": spent["total"]}))


if __name__ == "__main__":
    main()
