"""Typed filters on the list route: ``?age__gte=18&name__icontains=man``.

Each operator on each filterable field is its own query parameter, typed by the public
model's field and the column's limits, so FastAPI validates it and OpenAPI shows it.
Conditions are SQL expressions composed into the list statement; values are always
bound parameters. Text operators behave alike on SQLite and PostgreSQL: ``contains`` and
``startswith`` compare exactly (no LIKE, so ``%`` and ``_`` match themselves), and
``icontains`` folds the ASCII letters A-Z on both databases.
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
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ._columns import column_limits, with_metadata
from ._table import Table

Condition = sa.ColumnElement[bool]
MAX_IN = 100  # values one ``__in`` filter takes: far below every driver's parameter limit
_ORDERED = (int, float, decimal.Decimal, datetime.date, datetime.datetime, datetime.time, str)
_UPPER, _LOWER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"
_ASCII_LOWER = str.maketrans(_UPPER, _LOWER)


def _render(function: type[FunctionElement[Any]], default: str, sqlite: str) -> None:
    """Compile ``function(...)`` from a template, ``{}`` standing for its arguments."""
    for template, dialects in ((default, ()), (sqlite, ("sqlite",))):

        def render(element: Any, compiler: Any, template: str = template, **kw: Any) -> str:
            return template.format(compiler.process(element.clauses, **kw))

        compiles(function, *dialects)(render)


class _position(FunctionElement[int]):
    """1-based position of a substring, 0 if absent: ``instr`` or ``strpos``."""

    type = sa.Integer()
    inherit_cache = True


class _ascii_lower(FunctionElement[str]):
    """Lower-case A-Z only, identically everywhere (``lower()`` follows PostgreSQL's locale)."""

    type = sa.String()
    inherit_cache = True


_render(_position, "strpos({})", "instr({})")
# SQLite's lower() folds ASCII letters only; PostgreSQL's follows the locale.
_render(_ascii_lower, f"translate({{}}, '{_UPPER}', '{_LOWER}')", "lower({})")


@dataclass(frozen=True)
class Filter:
    """One query parameter of the list route and the condition it adds."""

    param: str  # age__gte
    annotation: Any  # its type, for FastAPI
    description: str
    condition: Callable[[Any], Condition]


def _operators(column: sa.ColumnElement[Any], kind: type[Any]) -> dict[str, tuple[str, Callable[[Any], Condition]]]:
    ops: dict[str, tuple[str, Callable[[Any], Condition]]] = {
        "": ("equals", lambda v: column == v),
        "ne": ("does not equal (rows where it is null included)", column.is_distinct_from),
        "in": (f"equals one of (repeat the parameter, at most {MAX_IN} times)", column.in_),
    }
    if issubclass(kind, _ORDERED) and not issubclass(kind, (bool, enum.Enum)):
        ops |= {
            "gt": ("greater than", lambda v: column > v),
            "gte": ("greater than or equal to", lambda v: column >= v),
            "lt": ("less than", lambda v: column < v),
            "lte": ("less than or equal to", lambda v: column <= v),
        }
    if issubclass(kind, str) and not issubclass(kind, enum.Enum):
        ops |= {
            "contains": ("contains (case-sensitive)", lambda v: _position(column, v) > 0),
            "icontains": (
                "contains (ignoring the case of A-Z)",
                lambda v: _position(_ascii_lower(column), v.translate(_ASCII_LOWER)) > 0,
            ),
            "startswith": ("starts with (case-sensitive)", lambda v: _position(column, v) == 1),
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
