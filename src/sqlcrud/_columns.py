"""What a column can store, checked in Python so every database answers alike.

SQLite stores a 64-bit integer in an ``Integer`` column, a NUL byte or an over-long
string without complaint; PostgreSQL refuses all three. Checking values against the
column's declared type before any SQL makes the API's answer (a 422) the same on both.
"""

import math
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import BigInteger, Column, Float, Integer, SmallInteger, String, TypeDecorator

Error = dict[str, Any]
Check = Callable[[Any], Error | None]

_INT_BITS = ((BigInteger, 64), (SmallInteger, 16), (Integer, 32))


def _int_range(bits: int) -> Check:
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

    def check(value: Any) -> Error | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        if value < low:
            return _error("greater_than_equal", f"Input should be greater than or equal to {low}", ge=low)
        if value > high:
            return _error("less_than_equal", f"Input should be less than or equal to {high}", le=high)
        return None

    return check


def _text(max_length: int | None) -> Check:
    def check(value: Any) -> Error | None:
        if not isinstance(value, str):
            return None
        if max_length is not None and len(value) > max_length:
            return _error(
                "string_too_long",
                f"String should have at most {max_length} characters",
                max_length=max_length,
            )
        if "\x00" in value or not encodes(value):
            return _error("string_unicode", "Input should be text without NUL characters or lone surrogates")
        return None

    return check


def encodes(value: str) -> bool:
    """Whether ``value`` is valid Unicode text: no lone surrogates, so it encodes as UTF-8."""
    if value.isascii():
        return True
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _finite(value: Any) -> Error | None:
    if isinstance(value, float) and not math.isfinite(value):
        return _error("finite_number", "Input should be a finite number")
    return None


def _error(type_: str, msg: str, **ctx: Any) -> Error:
    return {"type": type_, "msg": msg, **({"ctx": ctx} if ctx else {})}


def column_checks(column: Column[Any]) -> list[Check]:
    """The checks a value must pass to be stored in ``column`` on every database."""
    sql_type = column.type
    if isinstance(sql_type, TypeDecorator):  # e.g. SQLModel's AutoString over String
        sql_type = sql_type.impl_instance
    checks: list[Check] = []
    for int_type, bits in _INT_BITS:
        if isinstance(sql_type, int_type):
            checks.append(_int_range(bits))
            break
    if isinstance(sql_type, String):
        checks.append(_text(sql_type.length))
    if isinstance(sql_type, Float):
        checks.append(_finite)
    return checks


class ColumnRules:
    """Per-attribute checks for a table, built once when the router is built."""

    def __init__(self, columns: Mapping[str, Column[Any]]) -> None:
        self._checks = {name: column_checks(column) for name, column in columns.items()}
        self._not_null = {name for name, column in columns.items() if not column.nullable}

    def fits(self, name: str, value: Any) -> bool:
        """Whether ``value`` could be stored in the column of attribute ``name``."""
        return value is not None and self._first_error(name, value) is None

    def errors(self, values: Mapping[str, Any], loc: tuple[str, ...] = ("body",)) -> list[Error]:
        """FastAPI-shaped validation errors for the values the columns would refuse."""
        errors = []
        for name, value in values.items():
            error = self._first_error(name, value)
            if error is not None:
                type_, msg, ctx = error["type"], error["msg"], error.get("ctx")
                errors.append(
                    {"type": type_, "loc": (*loc, name), "msg": msg, "input": value}
                    | ({"ctx": ctx} if ctx else {})
                )
        return errors

    def _first_error(self, name: str, value: Any) -> Error | None:
        if value is None:
            return _error("null_forbidden", "Field may not be null") if name in self._not_null else None
        for check in self._checks[name]:
            if (error := check(value)) is not None:
                return error
        return None
