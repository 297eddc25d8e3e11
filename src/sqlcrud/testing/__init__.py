"""Check a sqlcrud app's contract on your own models, scopes and hooks.

``check(app)`` finds every route ``crud_router`` built in the app and tries it as clients
and attackers would; the report lists each broken promise with a ``curl`` line that
reproduces it. Install with the ``testing`` extra: ``pip install fastapi-sqlcrud[testing]``.
"""

try:
    import hypothesis  # noqa: F401
    import schemathesis  # noqa: F401
except ImportError as error:  # pragma: no cover - the extra is installed wherever the tests run
    raise ImportError(
        "sqlcrud.testing needs schemathesis and hypothesis: pip install 'fastapi-sqlcrud[testing]'"
    ) from error

from ._check import check as check
from ._client import Answer as Answer
from ._client import Request as Request
from ._report import CheckFailed as CheckFailed
from ._report import Failure as Failure
from ._report import Report as Report

__all__ = ["Answer", "CheckFailed", "Failure", "Report", "Request", "check"]
