"""sqlcrud: a FastAPI router with the five CRUD routes of any SQLModel table."""

from ._errors import outage_handler as outage_handler
from ._hooks import Hooks as Hooks
from ._openapi import ErrorMessage as ErrorMessage
from ._router import crud_router as crud_router

__all__ = ["ErrorMessage", "Hooks", "crud_router", "outage_handler"]
__version__ = "0.1.0"
