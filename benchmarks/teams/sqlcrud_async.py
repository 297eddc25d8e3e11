"""sqlcrud, ``AsyncSession``: the same ``crud_router`` calls as ``sqlcrud_sync``."""

from .._common import async_sessions
from . import sqlcrud_app

app = sqlcrud_app(async_sessions())
