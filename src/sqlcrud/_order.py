"""Sorting (``?sort=-age,name``) and keyset pagination (``?cursor=...``).

Every order ends with the primary key (each of its columns), so it is total and a
cursor names one place in it. NULLs sort as if larger than every value (last ascending, first descending), said
explicitly so that every database agrees; text sorts by code point (see ``_dialects``).
A cursor is the sort and the last row's sort values, as URL-safe base64 JSON with a
checksum: a token that was altered, or made under another sort, is refused rather than
silently giving a wrong page.

A text value longer than ``LONG`` characters would make the URL too long: the token holds
its first ``LONG`` characters, and the statement reads the whole value from the row the
token names by its key. Should that row have gone, the prefix stands in for the value:
the next page may then repeat rows whose values start as that one's did.
"""

import base64
import binascii
import hashlib
import json
from collections.abc import Collection, Sequence
from typing import Any

import sqlalchemy as sa
from pydantic import TypeAdapter, ValidationError

from ._columns import sql_type
from ._dialects import equal, exact, is_text, ordered

Key = tuple[str, bool]  # (field, descending)
MAX_TOKEN = 4096  # characters: far more than any sort's values need, long text cut to LONG
LONG = 200  # characters of a text value a cursor holds


class _Prefix(str):
    """The first ``LONG`` characters of a sort value, as a cursor holds it."""


def sort_fields(sort: str) -> list[str]:
    """The field names in a sort: ``"-age, name"`` -> ``["age", "name"]``."""
    return [part.strip().removeprefix("-") for part in sort.split(",")]


class SortError(ValueError):
    """A ``sort`` parameter names a field that cannot be sorted on."""


class CursorError(ValueError):
    """A ``cursor`` parameter is not a token this route made for this sort."""


class Ordering:
    """The sortable fields of a router and how to order and resume by them."""

    def __init__(self, columns: dict[str, sa.Column[Any]], types: dict[str, Any], key: tuple[str, ...]) -> None:
        # Sortable field -> what to order by; includes the primary key. An enum orders by
        # its members' declaration order on every database (SQLite stores names as text,
        # PostgreSQL orders its ENUM types by declaration).
        self._columns = {name: _sort_key(column) for name, column in columns.items()}
        self._ranks = {name: ranks for name, column in columns.items() if (ranks := _ranks(column))}
        self._types = types
        self._raw = columns
        self._key = key
        self._nullable = {name for name, column in columns.items() if column.nullable}
        self._adapters: dict[tuple[str, ...], TypeAdapter[Any]] = {}

    def parse(self, sort: str, allowed: Collection[str] | None = None) -> tuple[Key, ...]:
        """``"-age,name"`` -> ``(("age", True), ("name", False), ("id", False))``.

        The primary key's columns the sort leaves out end it, ascending; whatever follows
        the last of them is dropped, as the key already orders every row.
        ``allowed``: the fields a client may sort on, if not all of this ordering's (a
        router's ``default_sort`` may use fields its ``sort`` does not offer).
        """
        allowed = self._columns if allowed is None else allowed
        keys: list[Key] = []
        missing = list(self._key)
        for part, name in zip(sort.split(","), sort_fields(sort)):
            if name not in self._columns or name not in allowed:
                raise SortError(f"Cannot sort by {name!r}; sortable fields: {', '.join(allowed)}")
            if missing and all(name != k for k, _ in keys):
                keys.append((name, part.strip().startswith("-")))
                missing = [k for k in missing if k != name]
        return (*keys, *((name, False) for name in missing))

    def sorts_text(self, keys: Sequence[Key]) -> bool:
        return any(is_text(self._columns[name]) for name, _ in keys)

    def order_by(self, keys: Sequence[Key]) -> list[Any]:
        return [ordered(self._columns[name], desc, name in self._nullable) for name, desc in keys]

    def after(self, keys: Sequence[Key], values: Sequence[Any]) -> sa.ColumnElement[bool]:
        """Rows after the row with these sort values, NULL-aware and in the sort's order.

        ``(k1 after v1) OR (k1 = v1 AND k2 after v2) OR ...``, written so that an index
        on the sort columns can start at the cursor: a row-value comparison where every
        key is NOT NULL and sorts the same way, else the chain above behind a plain
        bound on the first key when that key is NOT NULL.
        """
        columns = [self._columns[name] for name, _ in keys]
        key = {name: value for (name, _), value in zip(keys, values) if name in self._key}
        values = [self._rank(name, value) for (name, _), value in zip(keys, values)]
        bounds = [self._bound(column, value, key) for column, value in zip(columns, values)]
        descending = {desc for _, desc in keys}
        if not self._nullable.intersection(name for name, _ in keys) and len(descending) == 1:
            row, cursor = sa.tuple_(*columns), sa.tuple_(*bounds)
            return row < cursor if descending.pop() else row > cursor
        alternatives = []
        for i, ((name, desc), bound) in enumerate(zip(keys, bounds)):
            column = columns[i]
            equal_before = [c.is_(None) if b is None else c == b for c, b in zip(columns[:i], bounds[:i])]
            if bound is None:  # NULLs sort last ascending: only non-NULLs follow one descending
                later: sa.ColumnElement[bool] = column.is_not(None) if desc else sa.false()
            elif desc or name not in self._nullable:
                later = column < bound if desc else column > bound
            else:
                later = sa.or_(column > bound, column.is_(None))
            alternatives.append(sa.and_(*equal_before, later))
        chain = sa.or_(*alternatives)
        first, desc = keys[0]
        if first in self._nullable:
            return chain
        return sa.and_(columns[0] <= bounds[0] if desc else columns[0] >= bounds[0], chain)

    def _bound(self, column: sa.ColumnElement[Any], value: Any, key: dict[str, Any]) -> Any:
        """A cursor's value as SQL: a literal (SQLAlchemy refuses ``column < True``), or
        for a long text, the row's own value, read by its ``key``."""
        if value is None:
            return None
        if not isinstance(value, _Prefix):
            return sa.literal(value, column.type)
        row = [equal(self._raw[name], sa.literal(value, self._raw[name].type)) for name, value in key.items()]
        whole = sa.select(column).where(*row).scalar_subquery()
        return sa.func.coalesce(whole, sa.literal(str(value), column.type))

    def _rank(self, name: str, value: Any) -> Any:
        ranks = self._ranks.get(name)
        return value if ranks is None or value is None else ranks[value]

    def token(self, keys: tuple[Key, ...], row: dict[str, Any]) -> str:
        """The cursor for the page after ``row``."""
        values = self._adapter(keys).dump_python(tuple(row[name] for name, _ in keys), mode="json")
        cuttable = self._cuttable(keys)  # never the key's values, which name the row
        for long in (LONG, 16):  # 16: a sort by many long texts, which LONG would not fit
            cut = [i for i in cuttable if isinstance(values[i], str) and len(values[i]) > long]
            shortened = [value[:long] if i in cut else value for i, value in enumerate(values)]
            payload = [_signature(keys), shortened, *([cut] if cut else [])]
            encoded = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
            token = base64.urlsafe_b64encode(_checksum(encoded) + encoded).decode().rstrip("=")
            if len(token) <= MAX_TOKEN:
                break
        return token

    def values(self, keys: tuple[Key, ...], token: str) -> tuple[Any, ...]:
        """The sort values in ``token``, checked against ``keys`` and the fields' types."""
        try:
            if len(token) > MAX_TOKEN:
                raise CursorError("The cursor is malformed")
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            check, payload = raw[:8], raw[8:]
            if check != _checksum(payload):
                raise CursorError("The cursor is not one this API made")
            signature, values, *cut = json.loads(payload)
            if signature != _signature(keys):
                raise CursorError("The cursor was made for another sort order")
            result: tuple[Any, ...] = self._adapter(keys).validate_python(values)
            cut = cut[0] if cut else []
            if not (isinstance(cut, list) and len(cut) < len(keys) and set(cut) <= set(self._cuttable(keys))):
                raise CursorError("The cursor is malformed")
            if not all(isinstance(result[i], str) and len(result[i]) <= LONG for i in cut):
                raise CursorError("The cursor is malformed")
            result = tuple(_Prefix(value) if i in cut else value for i, value in enumerate(result))
        except (binascii.Error, ValueError, TypeError, ValidationError, RecursionError) as error:
            if isinstance(error, CursorError):
                raise
            raise CursorError("The cursor is malformed") from error
        return result

    def _cuttable(self, keys: tuple[Key, ...]) -> list[int]:
        """The positions of a sort's values that a cursor may shorten: not the key's."""
        return [i for i, (name, _) in enumerate(keys) if name not in self._key]

    def _adapter(self, keys: tuple[Key, ...]) -> TypeAdapter[Any]:
        """A validator of the keys' values (each may be None): their types and columns' limits."""
        names = tuple(name for name, _ in keys)
        if names not in self._adapters:
            if len(self._adapters) > 256:  # sorts are the client's choice: bound what is kept
                self._adapters.clear()
            nullable: Any = tuple[tuple(self._types[name] | None for name in names)]  # type: ignore[misc]
            self._adapters[names] = TypeAdapter(nullable)
        return self._adapters[names]


def _ranks(column: sa.Column[Any]) -> dict[Any, int]:
    """An enum column's members (and their names) by declaration order; {} for other columns."""
    type_ = sql_type(column)
    if not isinstance(type_, sa.Enum) or type_.enum_class is None:
        return {}
    members = list(type_.enum_class)
    return {member: i for i, member in enumerate(members)} | {m.name: i for i, m in enumerate(members)}


def _sort_key(column: sa.Column[Any]) -> sa.ColumnElement[Any]:
    type_ = sql_type(column)
    if not isinstance(type_, sa.Enum) or type_.enum_class is None:
        return exact(column)  # text by code point on every database
    # ``column == member`` binds the member as the column's type binds it (its name, say).
    return sa.case(*[(column == member, rank) for rank, member in enumerate(type_.enum_class)])


def _signature(keys: Sequence[Key]) -> str:
    return ",".join(f"-{name}" if desc else name for name, desc in keys)


def _checksum(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=8, person=b"sqlcrud-cursor").digest()
