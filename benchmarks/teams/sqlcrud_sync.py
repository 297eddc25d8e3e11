"""sqlcrud, sync ``Session``: heroes listed with their team, a team read with its heroes."""

from .._common import sync_sessions
from . import sqlcrud_app

app = sqlcrud_app(sync_sessions())
