"""The one place where sync and async sessions part ways.

Operations are sync functions of a ``Session``. An ``AsyncSession`` runs the whole
operation in one greenlet with ``run_sync``, as SQLAlchemy does for each of its own
awaited calls; a sync ``Session`` runs it in the threadpool, as FastAPI runs ``def``
endpoints, so no SQL ever blocks the event loop. ``sqlalchemy.ext.asyncio`` is never
imported here: users of sync sessions need no greenlet.
"""

from collections.abc import Callable
from functools import partial
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ._errors import retried

P = ParamSpec("P")
T = TypeVar("T")


async def run(session: Any, operation: Callable[Concatenate[Session, P], T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``operation(sync_session, *args)`` for a sync or an async session.

    A serialization failure or a deadlock runs it again, in the same thread or greenlet.
    """
    if isinstance(session, Session):
        return await run_in_threadpool(partial(retried, session, operation, *args, **kwargs))
    result: T = await session.run_sync(retried, operation, *args, **kwargs)
    return result
