"""Requests to an ASGI app in this process, on one event loop, with its lifespan run once.

Every request of a check goes through here, schemathesis' included, so that an app whose
async engine keeps connections bound to an event loop sees only one loop.
"""

import json
import os
import shlex
import traceback
from collections.abc import Mapping
from contextlib import AbstractContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import anyio
from anyio.from_thread import BlockingPortal, start_blocking_portal

HOST = "testserver"
CURL_BASE = "http://127.0.0.1:8000"  # where ``uvicorn`` serves an app by default


@dataclass(frozen=True)
class Request:
    """A request exactly as it was sent."""

    method: str
    url: str  # path and query, percent-encoded
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def curl(self, base_url: str = CURL_BASE) -> str:
        """A ``curl`` command line that sends this request to the app served at ``base_url``."""
        method = ["-I"] if self.method == "HEAD" else ["-i", "-X", self.method]
        words = ["curl", *method, _quote(base_url.rstrip("/") + self.url)]
        for name, value in self.headers:
            if name.lower() not in ("host", "content-length"):
                words += ["-H", _quote(f"{name}: {value}")]
        if self.body:
            words += ["--data-binary", _quote(self.body)]
        return " ".join(words)


@dataclass(frozen=True)
class Answer:
    """What the app answered, or the exception it raised instead."""

    status: int
    headers: tuple[tuple[str, str], ...]  # names in lower case
    body: bytes
    error: str | None = None  # the exception the app raised: "ZeroDivisionError at app.py:12: division by zero"

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key == name), None)

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "backslashreplace")


class Client:
    """Sends requests to ``app`` from any thread; use it as a context manager."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.sent = 0
        self._portal: BlockingPortal | None = None
        self._lifespan: AbstractContextManager[None] | None = None
        self._state: dict[str, Any] = {}

    def __enter__(self) -> "Client":
        self._portal_cm = start_blocking_portal()
        self._portal = self._portal_cm.__enter__()
        self._lifespan = self._portal.wrap_async_context_manager(_lifespan(self.app, self._state))
        try:
            self._lifespan.__enter__()
        except BaseException:
            self._portal_cm.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc_info: Any) -> None:
        try:
            if self._lifespan is not None:
                self._lifespan.__exit__(None, None, None)
        finally:
            self._portal_cm.__exit__(*exc_info)

    def send(self, request: Request) -> Answer:
        assert self._portal is not None, "use the client in a with block"
        self.sent += 1
        answer: Answer = self._portal.call(_call, self.app, request, dict(self._state))
        return answer


def request(
    method: str,
    url: str,
    *,
    json_body: Any = None,
    content: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> Request:
    """A request with a JSON body (``json_body``, encoded as a raw client would) or raw bytes."""
    sent = {"host": HOST} | {name.lower(): value for name, value in (headers or {}).items()}
    if json_body is not None:
        content = json.dumps(json_body).encode()  # ASCII: lone surrogates go as \\ud800 escapes
    if content is not None:
        sent.setdefault("content-type", "application/json")
        sent["content-length"] = str(len(content))
    return Request(method, url, tuple(sent.items()), content or b"")


async def _call(app: Any, request: Request, state: dict[str, Any]) -> Answer:
    path, _, query = request.url.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": "http",
        "path": unquote(path),
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in request.headers],
        "client": ("127.0.0.1", 50000),
        "server": (HOST, 80),
        "state": state,
    }
    done = anyio.Event()
    body_sent = False
    status, headers, chunks = 0, [], []

    async def receive() -> dict[str, Any]:
        nonlocal body_sent
        if not body_sent:
            body_sent = True
            return {"type": "http.request", "body": request.body, "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = [(name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in message["headers"]]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                done.set()

    try:
        await app(scope, receive, send)
    except Exception as error:  # the app raised: what a server answers then is a 500
        return Answer(status or 500, tuple(headers), b"".join(chunks), _one_line(error))
    finally:
        done.set()
    return Answer(status, tuple(headers), b"".join(chunks))


def _lifespan(app: Any, state: dict[str, Any]) -> Any:
    """The app's lifespan (startup on enter, shutdown on exit), as an async context manager."""

    @asynccontextmanager
    async def lifespan() -> Any:
        to_app = anyio.create_memory_object_stream[dict[str, Any]](2)
        from_app = anyio.create_memory_object_stream[dict[str, Any]](2)
        asked = False

        async def receive() -> dict[str, Any]:
            nonlocal asked
            asked = True
            return await to_app[1].receive()

        async def run() -> None:
            try:
                await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": state}, receive, from_app[0].send)
            except Exception:
                if asked:  # an app without lifespan support refuses the scope before asking
                    raise
            finally:
                await from_app[0].send({"type": "stopped"})

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(run)
            await to_app[0].send({"type": "lifespan.startup"})
            started = await from_app[1].receive()
            if started["type"] == "lifespan.startup.failed":
                raise RuntimeError(f"the app failed to start: {started.get('message', '')}")
            try:
                yield
            finally:
                if started["type"] != "stopped":
                    await to_app[0].send({"type": "lifespan.shutdown"})
                    await from_app[1].receive()

    return lifespan()


def _one_line(error: BaseException) -> str:
    last = traceback.extract_tb(error.__traceback__)[-1]
    where = os.path.relpath(last.filename) if last.filename.startswith(os.getcwd() + os.sep) else last.filename
    message = str(error).splitlines()[0] if str(error) else ""
    message = message if len(message) <= 200 else message[:197] + "..."
    return f"{type(error).__name__} at {where}:{last.lineno}: {message}"


def _quote(text: str | bytes) -> str:
    """``text`` as one shell word: quoted plainly, or as ``$'...'`` for bytes no terminal shows."""
    raw = text if isinstance(text, bytes) else text.encode("latin-1", "backslashreplace")
    try:
        plain = raw.decode("utf-8")
    except UnicodeDecodeError:
        plain = None
    if plain is not None and plain.isprintable():
        return shlex.quote(plain)
    escaped = "".join(chr(byte) if 32 <= byte < 127 and chr(byte) not in "\\'" else f"\\x{byte:02x}" for byte in raw)
    return f"$'{escaped}'"
