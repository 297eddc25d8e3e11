"""Hand-written: the five endpoints of FastAPI's "SQL Databases" tutorial, sync ``Session``.

The app is ``docs_src/handwritten.py``, the tutorial's code as published (``def`` routes,
ORM objects, ``session.get`` before PATCH and DELETE) and as the Home page shows it, so
the benchmark measures exactly that code. Only the sessions differ: they come from
``DATABASE_URL`` (see ``_common``), and the runner creates and fills the table.
"""

import os
from contextlib import asynccontextmanager

from ._common import database_url, sync_sessions

# The page's module makes an engine for DATABASE_URL when imported: name the driver
# (``mysql://`` alone would ask for mysqlclient, which is not installed).
os.environ["DATABASE_URL"] = database_url()

from docs_src.handwritten import app, get_session

app.dependency_overrides[get_session] = sync_sessions()


@asynccontextmanager
async def _no_lifespan(_app: object):  # type: ignore[no-untyped-def]
    # The page's lifespan creates the tables on the engine it made when first imported,
    # which need not be DATABASE_URL's (SQLite's heroes.db in the working directory).
    yield


app.router.lifespan_context = _no_lifespan
