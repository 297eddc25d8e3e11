"""The HTTP exchanges shown on the docs pages, replayed against the apps they describe.

A page shows an exchange as two fenced ``http`` blocks: the request (``GET /heroes/1
HTTP/1.1``, headers, a blank line, a JSON body) and the response (``HTTP/1.1 200 OK``,
headers, a blank line, a JSON body). A comment ``<!-- replay: module -->`` names the app
(a module with ``app`` and ``get_session``) for the exchanges that follow it; each such
section runs in order on an empty database, on every backend. The response shown must be
the whole response: status, every header shown, and the body.

An app written for a sync ``Session`` only, such as ``examples/notes``, is marked
``<!-- replay: module on sync sessions -->``: its sections run on the sync backends.

UUIDs made by the server cannot be known in advance: the first time a page shows one in a
response, it stands for the one the server made, in later requests and responses too.
"""

import importlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

DOCS = Path(__file__).parents[2] / "docs"
REPLAY = re.compile(r"<!-- replay: ([\w.]+)( on sync sessions)? -->")
HTTP_BLOCK = re.compile(r"^```http\n(.*?)^```$", re.MULTILINE | re.DOTALL)
RENAMED = {422: ("Unprocessable Content",)}  # RFC 9110's name; Python says so from 3.13
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class Message:
    start: str  # request line or status line
    headers: dict[str, str]
    body: str


@dataclass
class Section:
    where: str  # page:line of the replay comment
    module: str
    sync_only: bool = False
    exchanges: list[tuple[Message, Message]] = field(default_factory=list)


def parse(block: str) -> Message:
    head, _, body = block.partition("\n\n")
    start, *lines = head.strip().splitlines()
    headers = dict(line.split(": ", 1) for line in lines)
    return Message(start, headers, body.strip())


def read_pages() -> tuple[list[Section], list[str]]:
    """The replay sections of all pages, and what is wrong with the pages' exchanges."""
    sections: list[Section] = []
    problems: list[str] = []
    for page in sorted(DOCS.rglob("*.md")):
        text = page.read_text()
        marks = [*REPLAY.finditer(text), *HTTP_BLOCK.finditer(text)]
        section: Section | None = None
        request: Message | None = None
        for match in sorted(marks, key=lambda match: match.start()):
            where = f"{page.relative_to(DOCS)}:{text.count(chr(10), 0, match.start()) + 1}"
            if match.re is REPLAY:
                section = Section(where, match.group(1), sync_only=bool(match.group(2)))
                sections.append(section)
                continue
            message = parse(match.group(1))
            is_response = message.start.startswith("HTTP/")
            if section is None:
                problems.append(f"{where}: an http block before any replay comment")
            elif is_response == (request is None):
                problems.append(f"{where}: requests and responses must alternate")
            elif request is None:
                request = message
            else:
                section.exchanges.append((request, message))
                request = None
        if request is not None:
            problems.append(f"{page.relative_to(DOCS)}: a request without a response")
    return sections, problems


SECTIONS, PROBLEMS = read_pages()
EVERY_BACKEND = [section for section in SECTIONS if not section.sync_only]
SYNC_ONLY = [section for section in SECTIONS if section.sync_only]


def test_pages_show_whole_exchanges() -> None:
    assert PROBLEMS == []
    assert len(SECTIONS) >= 10


def bind(expected: Any, actual: Any, names: dict[str, str]) -> None:
    """Let each new UUID shown on the page stand for the one the server made in its place."""
    if isinstance(expected, str) and UUID.fullmatch(expected) and expected not in names:
        names[expected] = actual
    elif isinstance(expected, dict) and isinstance(actual, dict):
        for key in expected.keys() & actual.keys():
            bind(expected[key], actual[key], names)
    elif isinstance(expected, list) and isinstance(actual, list):
        for pair in zip(expected, actual, strict=False):
            bind(*pair, names)


def substitute(text: str, names: dict[str, str]) -> str:
    return UUID.sub(lambda m: names.get(m.group(), m.group()), text)


@pytest.mark.parametrize("section", EVERY_BACKEND, ids=[section.where for section in EVERY_BACKEND])
def test_page_exchanges(serve: Callable[..., TestClient], section: Section) -> None:
    replay(serve(importlib.import_module(section.module)), section)


@pytest.mark.parametrize("backend", ["sqlite_sync", "pg_sync"], indirect=True)
@pytest.mark.parametrize("section", SYNC_ONLY, ids=[section.where for section in SYNC_ONLY])
def test_page_exchanges_on_sync_sessions(serve: Callable[..., TestClient], section: Section) -> None:
    replay(serve(importlib.import_module(section.module)), section)


def replay(client: TestClient, section: Section) -> None:
    """Send the section's requests in order; each response must be the one shown."""
    names: dict[str, str] = {}
    for request, expected in section.exchanges:
        method, url, _version = substitute(request.start, names).split()
        headers = {"Content-Type": "application/json"} if request.body else {}
        content = substitute(request.body, names).encode()
        response = client.request(method, url, headers=headers | request.headers, content=content)

        version, status, phrase = expected.start.split(" ", 2)
        assert version == "HTTP/1.1"
        assert phrase in {HTTPStatus(int(status)).phrase, *RENAMED.get(int(status), ())}
        if expected.body:
            bind(json.loads(expected.body), response.json(), names)
            shown = (int(status), json.loads(substitute(expected.body, names)))
            assert (response.status_code, response.json()) == shown, request.start
        else:
            assert (response.status_code, response.content) == (int(status), b""), request.start
        for name, value in expected.headers.items():
            assert response.headers[name] == substitute(value, names)
