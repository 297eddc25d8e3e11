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
- *operation*: the operation itself, less *driver*: SQLAlchemy's connection, transaction
  and result handling and sqlcrud's rows;
- *driver*: the DBAPI driver's calls, wherever they fall: the statements, the COMMIT or
  ROLLBACK that ends a transaction (the pool's too, when a session closes) and, for an
  async driver, every call it awaits on the event loop (aiosqlite's hops to its own
  thread, asyncpg's I/O).

Each layer is its clock's own time, less the clocked calls inside it; *routing* is the
rest of the request. Runs without ``--clocked`` print CPU time per request beside wall
time: the process's, all threads, so the difference is time spent waiting.
"""

import asyncio
import importlib
import json
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

LAYERS = ("routing", "dependencies", "endpoint", "hop", "session", "operation", "driver")
REQUESTS = 2000
WARMUP = 300
# Modules whose ``await_`` hands an async driver's calls to the event loop.
DRIVERS = (
    "sqlalchemy.connectors.asyncio",
    "sqlalchemy.dialects.sqlite.aiosqlite",
    "sqlalchemy.dialects.postgresql.asyncpg",
)


class Clocks:
    """Wall time spent inside wrapped functions, by name, each call's own: less the clocked calls inside it."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self.open: list[list[Any]] = []  # [name, started, spent in clocked calls inside]

    def _enter(self, name: str) -> None:
        self.open.append([name, time.perf_counter(), 0.0])

    def _leave(self) -> None:
        name, started, inside = self.open.pop()
        elapsed = time.perf_counter() - started
        self.spent[name] += elapsed - inside
        if self.open:
            self.open[-1][2] += elapsed

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def clocked(*args: Any, **kwargs: Any) -> Any:
            self._enter(name)
            try:
                return function(*args, **kwargs)
            finally:
                self._leave()

        return clocked

    def wrap_async(self, name: str, function: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def clocked(*args: Any, **kwargs: Any) -> Any:
            self._enter(name)
            try:
                return await function(*args, **kwargs)
            finally:
                self._leave()

        return clocked


def install(clocks: Clocks) -> None:
    """Clocks around FastAPI's dependency solving and endpoint call, sqlcrud's bridge, the driver."""
    import fastapi.routing
    from sqlalchemy.engine.default import DefaultDialect

    import sqlcrud._bridge
    import sqlcrud._router

    fastapi.routing.solve_dependencies = clocks.wrap_async("dependencies", fastapi.routing.solve_dependencies)  # type: ignore[assignment]
    fastapi.routing.run_endpoint_function = clocks.wrap_async("endpoint", fastapi.routing.run_endpoint_function)  # type: ignore[assignment]
    sqlcrud._router.run = clocks.wrap_async("hop", sqlcrud._router.run)  # type: ignore[assignment]
    sqlcrud._bridge.Deferred.run = clocks.wrap("session", sqlcrud._bridge.Deferred.run)  # type: ignore[method-assign]
    sqlcrud._bridge.retried = clocks.wrap("operation", sqlcrud._bridge.retried)  # type: ignore[assignment]
    for call in ("do_execute", "do_commit", "do_rollback"):
        setattr(DefaultDialect, call, clocks.wrap("driver", getattr(DefaultDialect, call)))
    for name in DRIVERS:  # an async driver's every call: what the greenlet waits for on the event loop
        module = importlib.import_module(name)
        module.await_ = clocks.wrap("driver", module.await_)  # type: ignore[attr-defined]


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
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(REQUESTS):
            await _get(app, path)
        total, cpu = time.perf_counter() - started, time.process_time() - cpu
    per = {name: spent / REQUESTS * 1e6 for name, spent in clocks.spent.items()}
    return {"total": total / REQUESTS * 1e6, "cpu": cpu / REQUESTS * 1e6, **per}


def layers(spent: dict[str, float]) -> dict[str, float]:
    """The clocks' own times as the layers of the module docstring (µs per request)."""
    clocked = sum(spent.get(name, 0.0) for name in LAYERS[1:])
    return {"routing": max(0.0, spent["total"] - clocked)} | {name: spent.get(name, 0.0) for name in LAYERS[1:]}


def main() -> None:
    module, path, *flags = sys.argv[1:]
    import uvloop

    spent = uvloop.run(measure(module, path, clocked="--clocked" in flags))
    print(json.dumps(layers(spent) if "--clocked" in flags else {"total": spent["total"], "cpu": spent["cpu"]}))


if __name__ == "__main__":
    main()
