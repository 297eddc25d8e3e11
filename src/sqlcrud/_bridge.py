"""The one place where sync and async sessions part ways.

Operations are sync functions of a ``Session``. An ``AsyncSession`` runs the whole
operation in one greenlet with ``run_sync``, as SQLAlchemy does for each of its own
awaited calls; a sync ``Session`` runs it in the threadpool, as FastAPI runs ``def``
endpoints, so no SQL ever blocks the event loop. ``sqlalchemy.ext.asyncio`` is never
imported here: users of sync sessions need no greenlet.

A sync session dependency costs one threadpool hop, not three. FastAPI would enter a
``def`` dependency in the threadpool and exit it there again, around sqlcrud's own hop
for the operation. Routes declare a stand-in instead (``session_depends``): FastAPI
resolves the dependency's own parameters as it always does, and the stand-in hands them
over unentered (a ``Deferred``), so that entering it, the operation and exiting it share
one worker thread. An error of the operation, a 404 or 412 included, still reaches the
dependency at its ``yield``, as FastAPI would deliver it.
"""

import inspect
from collections.abc import Callable
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from functools import partial
from typing import Any, Concatenate, ParamSpec, TypeVar

from anyio import from_thread
from fastapi import Depends
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ._errors import retried

P = ParamSpec("P")
T = TypeVar("T")
# The session of the operation running in this context, when sqlcrud alone uses it.
_owned: ContextVar[Session | None] = ContextVar("sqlcrud_owned_session", default=None)
# FastAPI 0.121 and later key a generator dependency's per-request cache by its scope too.
_SCOPED = "scope" in inspect.signature(Depends).parameters


def session_depends(session: Callable[..., Any], *, one_hop: bool = True) -> Any:
    """What a route declares for ``session=``: ``Depends(session)``, or for a sync dependency
    (with ``one_hop``) its stand-in, which FastAPI resolves without entering it."""
    if not one_hop or _is_async(session):
        return Depends(session)
    if _SCOPED and _is_generator(session):
        return Depends(StandIn(session), scope="request")  # FastAPI >= 0.121
    return Depends(StandIn(session))


class StandIn:
    """A sync session dependency as FastAPI should see it, unentered.

    It takes the dependency's parameters (FastAPI resolves their own dependencies, and
    applies overrides to them) and compares equal to it: ``app.dependency_overrides`` of
    the dependency replace the stand-in too, and its value is the dependency's in
    FastAPI's per-request cache. Where another dependency of the request (say a
    ``current_user`` that queries the database) has already entered the dependency, the
    route gets that session, as before; the route's own session parameter comes last so
    that such dependencies are solved first.
    """

    def __init__(self, call: Callable[..., Any]) -> None:
        self.call = call
        self.__signature__ = inspect.signature(call)
        self.__globals__ = getattr(inspect.unwrap(call), "__globals__", {})  # for its string annotations
        self.entered = contextmanager(call) if _is_generator(call) else partial(_returned, call)

    async def __call__(self, **kwargs: Any) -> "Deferred":
        return Deferred(self, kwargs)

    def __eq__(self, other: object) -> bool:
        return other == self.call if not isinstance(other, StandIn) else other.call == self.call

    def __hash__(self) -> int:
        return hash(self.call)


class Deferred:
    """A sync session dependency with its parameters resolved, to enter in a worker thread."""

    def __init__(self, dependency: StandIn, kwargs: dict[str, Any]) -> None:
        self.dependency, self.kwargs = dependency, kwargs

    def run(self, operation: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Enter the dependency, run ``operation`` with its session, exit: in this thread."""
        with self.dependency.entered(**self.kwargs) as session:
            if isinstance(session, Session):
                _owned.set(session)  # this thread's context is a copy: it ends with the operation
                return retried(session, operation, *args, **kwargs)
            # A sync dependency giving an AsyncSession: its greenlet runs on the event loop.
            result: T = from_thread.run(partial(session.run_sync, retried, operation, *args, **kwargs))
            return result
        call = self.dependency.call
        raise RuntimeError(f"the session dependency {call!r} caught an error of the route and did not raise it")


async def run(session: Any, operation: Callable[Concatenate[Session, P], T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``operation(sync_session, *args)`` for a sync or an async session.

    A serialization failure or a deadlock runs it again, in the same thread or greenlet.
    """
    if isinstance(session, Deferred):
        return await run_in_threadpool(partial(session.run, operation, *args, **kwargs))
    if isinstance(session, Session):
        return await run_in_threadpool(partial(retried, session, operation, *args, **kwargs))
    result: T = await session.run_sync(retried, operation, *args, **kwargs)
    return result


def owned(session: Session) -> bool:
    """Whether only this operation uses ``session``, which its dependency closes right after."""
    return _owned.get() is session


def _returned(call: Callable[..., Any], **kwargs: Any) -> AbstractContextManager[Any]:
    """A plain function's session as a context manager that leaves it open, as FastAPI does."""
    return nullcontext(call(**kwargs))


def _is_generator(call: Callable[..., Any]) -> bool:
    return any(inspect.isgeneratorfunction(function) for function in (call, type(call).__call__))


def _is_async(call: Callable[..., Any]) -> bool:
    return any(
        inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function)
        for function in (call, type(call).__call__)
    )
