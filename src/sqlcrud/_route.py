"""The route class of sqlcrud's routers: HEAD, a complete Allow, printable 422s."""

import math
from collections.abc import Callable, Coroutine, Iterable
from typing import Any

from fastapi import Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import Message, Receive, Scope, Send

from ._columns import encodes

ALLOW = "sqlcrud_allow"  # endpoint attribute: every method the endpoint's path serves


def allow_methods(routes: Iterable[tuple[str, Callable[..., Any], str]]) -> None:
    """Record, on each endpoint, the methods its path serves, for 405 answers."""
    methods: dict[str, set[str]] = {}
    for path, _, method in routes:
        methods.setdefault(path, set()).update({method, "HEAD"} if method == "GET" else {method})
    for path, endpoint, _ in routes:
        setattr(endpoint, ALLOW, ", ".join(sorted(methods[path])))


class Route(APIRoute):
    """FastAPI's route, plus what HTTP asks of it.

    - ``HEAD`` on a ``GET`` route answers as ``GET`` does, without the body; OpenAPI
      keeps only the ``GET`` operation, as in the tutorial.
    - A 405 names in ``Allow`` every method of the path, not just this route's.
    - FastAPI echoes the offending input in a 422, and a JSON body may hold a lone
      surrogate (``"\\ud800"``) that no UTF-8 encoder accepts: the error handler itself
      would then fail with a 500. Such text is shown backslash-escaped instead, numbers
      JSON cannot hold (``NaN``, ``Infinity``, ``1e400``) as text, and input nested past
      32 levels as ``"..."`` (copying it whole would exhaust the stack).
    - A path ends at the end of the URL's path: Starlette's pattern ends in ``$``, which
      also matches before a final newline, so ``/heroes/%0A`` would reach the list route.
    """

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and scope["method"] == "HEAD" and "GET" in (self.methods or ()):
            return super().matches({**scope, "method": "GET"})  # HEAD is GET without a body
        return super().matches(scope)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"].endswith("\n") and not self.path_format.endswith("}"):
            raise StarletteHTTPException(404)  # matched by the "$" before a final newline
        if scope["method"] == "HEAD" and "GET" in (self.methods or ()):
            await super().handle({**scope, "method": "GET"}, receive, _without_body(send))
            return
        if self.methods and scope["method"] not in self.methods and hasattr(self.endpoint, ALLOW):
            # Starlette would name only this route's methods; the path may serve more.
            raise StarletteHTTPException(405, headers={"Allow": getattr(self.endpoint, ALLOW)})
        await super().handle(scope, receive, send)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as error:
                raise RequestValidationError(_printable(error.errors()), body=error.body) from error

        return route_handler


class AdminRoute(Route):
    """A route for admin front ends (``dialect=``): error answers carry a ``message`` beside
    FastAPI's ``detail``, which react-admin (``json.message``) and refine
    (``response.data.message``) show to the user. The app's own handlers of
    ``HTTPException`` and ``RequestValidationError`` do not see these routes' errors."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as error:
                errors = jsonable_encoder(error.errors())
                message = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
                return JSONResponse({"detail": errors, "message": message}, 422)
            except StarletteHTTPException as error:
                body = {"detail": error.detail, "message": str(error.detail)}
                return JSONResponse(body, error.status_code, getattr(error, "headers", None))

        return route_handler


def _without_body(send: Send) -> Send:
    """``send`` for a HEAD answer: GET's status and headers (Content-Length too), no body."""

    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return send_head


MAX_SHOWN_DEPTH = 32  # levels of a 422's echoed input: deeper ones are cut, not recursed into


def _printable(value: Any, depth: int = 0) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode() if not encodes(value) else value
    if isinstance(value, dict | list | tuple) and depth >= MAX_SHOWN_DEPTH:
        return "..."
    if isinstance(value, dict):
        return {_printable(key, depth + 1): _printable(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_printable(item, depth + 1) for item in value]
    return value
