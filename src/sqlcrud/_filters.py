"""Typed filters on the list route: ``?age__gte=18&name__icontains=man``.

Each operator on each filterable field is its own query parameter, typed by the public
model's field and the column's limits, so FastAPI validates it and OpenAPI shows it.
Conditions are SQL expressions composed into the list statement; values are always
bound parameters. Text operators behave alike on every database: text compares by code
point, case-sensitively (see ``_dialects``); ``contains`` and ``startswith`` compare
exactly (no LIKE, so ``%`` and ``_`` match themselves), and ``icontains`` folds the ASCII
letters A-Z only.
"""

import datetime
import decimal
import enum
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

import annotated_types as at
import sqlalchemy as sa
from pydantic import BaseModel

from ._columns import column_limits, with_metadata
from ._dialects import ASCII_LOWER, ascii_lower, equal, exact, position
from ._table import Table

Condition = sa.ColumnElement[bool]
MAX_IN = 100  # values one ``__in`` filter takes: far below every driver's parameter limit
_ORDERED = (int, float, decimal.Decimal, datetime.date, datetime.datetime, datetime.time, str)


@dataclass(frozen=True)
class Filter:
    """One query parameter of the list route and the condition it adds."""

    param: str  # age__gte
    annotation: Any  # its type, for FastAPI
    description: str
    condition: Callable[[Any], Condition]


def _operators(column: sa.ColumnElement[Any], kind: type[Any]) -> dict[str, tuple[str, Callable[[Any], Condition]]]:
    text = exact(column)  # text compared by code point on every database; other columns as they are
    ops: dict[str, tuple[str, Callable[[Any], Condition]]] = {
        "": ("equals", lambda v: equal(column, v)),
        "ne": ("does not equal (rows where it is null included)", text.is_distinct_from),
        "in": (f"equals one of (repeat the parameter, at most {MAX_IN} times)", text.in_),
    }
    if issubclass(kind, _ORDERED) and not issubclass(kind, (bool, enum.Enum)):
        ops |= {
            "gt": ("greater than", lambda v: text > v),
            "gte": ("greater than or equal to", lambda v: text >= v),
            "lt": ("less than", lambda v: text < v),
            "lte": ("less than or equal to", lambda v: text <= v),
        }
    if issubclass(kind, str) and not issubclass(kind, enum.Enum):
        ops |= {
            "contains": ("contains (case-sensitive)", lambda v: position(text, v) > 0),
            "icontains": (
                "contains (ignoring the case of A-Z)",
                lambda v: position(ascii_lower(text), v.translate(ASCII_LOWER)) > 0,
            ),
            "startswith": ("starts with (case-sensitive)", lambda v: position(text, v) == 1),
        }
    return ops


def base_type(annotation: Any) -> tuple[Any, bool]:
    """``int | None`` -> (int, True); ``AwareDatetime`` -> (datetime, False)."""
    if get_origin(annotation) is Annotated:
        return base_type(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return base_type(args[0])[0], len(args) < len(get_args(annotation))
    return annotation, False


def filters_for(table: Table, public_model: type[BaseModel], names: list[str]) -> list[Filter]:
    """The filter parameters of ``names``, fields of the public model that are columns."""
    found = []
    for name in names:
        column = table.columns[name]
        kind, _ = base_type(public_model.model_fields[name].annotation)
        value_type = with_metadata(kind, column_limits(column))
        for op, (meaning, condition) in _operators(column, kind if isinstance(kind, type) else object).items():
            annotation = Annotated[list[value_type], at.MaxLen(MAX_IN)] if op == "in" else value_type  # type: ignore[valid-type]
            param = f"{name}__{op}" if op else name
            found.append(Filter(param, annotation, f"{name} {meaning}", condition))
        if column.nullable:
            found.append(Filter(f"{name}__isnull", bool, f"{name} is null (true) or not (false)", _isnull(column)))
    return found


def _isnull(column: sa.ColumnElement[Any]) -> Callable[[bool], Condition]:
    return lambda isnull: column.is_(None) if isnull else column.is_not(None)
