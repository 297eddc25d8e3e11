"""Entity tags and conditional requests (RFC 9110): ``ETag``, ``If-None-Match``, ``If-Match``.

Two kinds of tag. ``etag=True`` hashes the row's public JSON, so it changes whenever
what a client sees changes. ``etag="version"`` names an integer column that sqlcrud
sets to 1 on create and increments in the UPDATE itself; its tag is ``"<version>"``.

A conditional write never races. With a version column the check is part of the
statement (``UPDATE ... WHERE pk = ? AND version IN (...)``). With hashes the current row
is read and compared, then written only if every public column still holds what was
read (compare-and-swap): a concurrent change makes the write match nothing, a 412.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from fastapi import HTTPException
from fastapi.exceptions import RequestValidationError

from ._columns import fits, key_check

Row = dict[str, Any]
MAX_TAGS = 100  # entity tags one If-Match or If-None-Match may list


@dataclass(frozen=True)
class Guard:
    """What an ``If-Match`` asks of the row a write changes."""

    conditions: tuple[sa.ColumnElement[bool], ...] = ()  # checked by the write itself
    matches: Callable[[Row], bool] | None = None  # checked on the current row first


class ETags:
    """The entity tags of one router."""

    def __init__(self, version: sa.Column[Any] | None, field: str | None, require_if_match: bool) -> None:
        self.version, self.field = version, field  # the version column and its public field
        self.require_if_match = require_if_match
        self._version_fits = key_check(version, int) if version is not None else None

    def tag(self, row: Row, body: bytes) -> str:
        if self.field is not None:
            return f'"{row[self.field]}"'
        return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'

    @staticmethod
    def not_modified(if_none_match: str | None, tag: str) -> bool:
        """``If-None-Match`` matches: weak comparison, ``*`` matches any."""
        if if_none_match is None:
            return False
        tags = {t.removeprefix("W/") for t in _tags(if_none_match, "If-None-Match")}
        return "*" in tags or tag in tags

    def guard(self, if_match: str | None, serialize: Callable[[Row], bytes]) -> Guard | None:
        """The check an ``If-Match`` header asks for; None for none (or ``*``: any row).

        Raises:
            HTTPException: 428 when the router requires ``If-Match`` and it is missing.
        """
        if if_match is None:
            if self.require_if_match:
                raise HTTPException(428, "This request needs an If-Match header")
            return None
        tags = _tags(if_match, "If-Match")
        if "*" in tags:
            return None
        if self.version is not None and self._version_fits is not None:
            # A weak tag (W/"3") or one that no version could be never matches.
            digits = [t[1:-1] for t in tags if t[:1] == t[-1:] == '"' and 0 < len(t) - 2 <= 20]
            versions = [int(d) for d in digits if d.isascii() and d.isdigit()]
            versions = [v for v in versions if fits(self._version_fits, v)]
            return Guard(conditions=(self.version.in_(versions),))
        return Guard(matches=lambda row: self.tag(row, serialize(row)) in tags)


def _tags(header: str, name: str) -> set[str]:
    """The entity tags a conditional header lists.

    Raises:
        RequestValidationError: it lists more than ``MAX_TAGS``.
    """
    tags = header.split(",", MAX_TAGS)
    if len(tags) > MAX_TAGS:
        message = f"{name} lists at most {MAX_TAGS} entity tags"
        raise RequestValidationError([{"type": "too_long", "loc": ("header", name), "msg": message, "input": None}])
    return {t.strip() for t in tags}


def precondition_failed() -> HTTPException:
    return HTTPException(412, "The row has changed: its ETag no longer matches If-Match")
