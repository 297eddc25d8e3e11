"""Typed filters on the list route: ``?age__gte=18&name__icontains=man``.

Each operator on each filterable field is its own query parameter, typed by the public
model's field and the column's limits, so FastAPI validates it and OpenAPI shows it.
Conditions are SQL expressions composed into the list statement; values are always
bound parameters. Text operators behave alike on every database: text compares by code
point, case-sensitively (see ``_dialects``); ``contains`` and ``startswith`` compare
exactly (no LIKE, so ``%`` and ``_`` match themselves), and ``icontains`` folds the ASCII
letters A-Z only. A filter may name a column of a related table through relationships
(``team__name``): the condition then holds for the rows with a related row that matches.
"""

import datetime
import decimal
import enum
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, NamedTuple, Union, get_args, get_origin

import annotated_types as at
import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.orm import RelationshipProperty
from sqlmodel import SQLModel

from ._columns import column_limits, sql_type, with_metadata
from ._dialects import ASCII_LOWER, ascii_lower, equal, exact, position
from ._table import Table, inspect_table

Condition = sa.ColumnElement[bool]
MAX_IN = 100  # values one ``__in`` filter takes: far below every driver's parameter limit
_ORDERED = (int, float, decimal.Decimal, datetime.date, datetime.datetime, datetime.time, str)


Hop = Callable[[Condition], Condition]  # a condition on related rows, as one on the rows that have one


@dataclass(frozen=True)
class Filter:
    """One query parameter of the list route and the condition it adds."""

    field: str  # age (team__name through a relationship)
    op: str  # gte ("" for equals)
    annotation: Any  # its type, for FastAPI
    description: str
    condition: Callable[[Any], Condition]  # on its column, in the column's own table
    path: tuple[tuple[str, Hop], ...] = ()  # the relationships to that table, and how each is crossed

    @property
    def param(self) -> str:
        return f"{self.field}__{self.op}" if self.op else self.field


def conditions(chosen: Sequence[tuple[Filter, Any]]) -> list[Condition]:
    """The conditions of filters set side by side, each with its value.

    Filters through the same relationship hold for one related row together:
    ``?heroes__age__gte=18&heroes__age__lte=30`` lists the teams with a hero aged 18 to 30,
    not those with one hero over 18 and another under 30. That holds among the filters
    given together (the query string's, one ``?or=`` group's), not across an ``or``.
    """
    return _crossed(chosen, 0)


def _crossed(chosen: Sequence[tuple[Filter, Any]], depth: int) -> list[Condition]:
    found = [f.condition(value) for f, value in chosen if len(f.path) == depth]
    through: dict[str, list[tuple[Filter, Any]]] = {}
    for f, value in chosen:
        if len(f.path) > depth:
            through.setdefault(f.path[depth][0], []).append((f, value))
    for together in through.values():
        hop = together[0][0].path[depth][1]
        found.append(hop(sa.and_(*_crossed(together, depth + 1))))
    return found


def _operators(column: sa.ColumnElement[Any], kind: type[Any]) -> dict[str, tuple[str, Callable[[Any], Condition]]]:
    text = exact(column)  # text compared by code point on every database; other columns as they are
    ops: dict[str, tuple[str, Callable[[Any], Condition]]] = {
        "": ("equals", lambda v: equal(column, v)),
        "ne": ("does not equal (rows where it is null included)", text.is_distinct_from),
        "in": (f"equals one of the values (at most {MAX_IN})", text.in_),
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
    """The filter parameters of ``names``: fields of the public model that are columns, or
    paths through relationships to a column of a related table (``team__name``).

    Raises:
        ValueError: a path that does not lead through relationships of SQLModel tables
            to a column, or leads to JSON.
    """
    found = []
    for name in names:
        column, kind, path = _own(table, public_model, name) if name in table.columns else _target(table, name)
        value_type = with_metadata(kind, column_limits(column))
        label, related = name.replace("__", "."), ", for a related row" if path else ""
        for op, (meaning, condition) in _operators(column, kind if isinstance(kind, type) else object).items():
            annotation = Annotated[list[value_type], at.MaxLen(MAX_IN)] if op == "in" else value_type  # type: ignore[valid-type]
            found.append(Filter(name, op, annotation, f"{label} {meaning}{related}", condition, path))
        if column.nullable:
            meaning = f"{label} is null (true) or not (false){related}"
            found.append(Filter(name, "isnull", bool, meaning, _isnull(column), path))
    return found


class _Target(NamedTuple):
    column: sa.Column[Any]
    kind: Any  # the Python type of its values
    path: tuple[tuple[str, Hop], ...]


def _own(table: Table, public_model: type[BaseModel], name: str) -> _Target:
    return _Target(table.columns[name], base_type(public_model.model_fields[name].annotation)[0], ())


def _target(table: Table, path: str) -> _Target:
    """The column at the end of ``path`` (``team__name``, ``heroes__team__name``), its
    type from its table model, and the relationships that lead to it."""
    *steps, name = path.split("__")
    hops = []
    for step in steps:
        if step not in table.relationships:
            if step in table.columns:
                raise ValueError(
                    f"filters: {path!r}: {step!r} is a column of {table.model.__name__}, not a relationship;"
                    " name fields in filters, and each gets its operators (__gte, __in, ...) on its own"
                )
            raise ValueError(f"filters: {path!r}: {step!r} is not a relationship of {table.model.__name__}")
        relationship = sa.inspect(table.model).relationships[step]
        related = relationship.mapper.class_
        if relationship.entity.is_aliased_class or not issubclass(related, SQLModel):
            what = "an aliased class" if relationship.entity.is_aliased_class else "a model that is not SQLModel's"
            raise ValueError(
                f"filters: {path!r}: {table.model.__name__}.{step} leads to {what}, which filters cannot type"
            )
        hops.append((step, _hop(relationship)))
        table = inspect_table(related)
    if name not in table.columns:
        raise ValueError(f"filters: {path!r}: {name!r} is not a column of {table.model.__name__}")
    if isinstance(sql_type(table.columns[name]), sa.JSON):
        raise ValueError(f"filters: {path!r}: {name!r} is JSON, which has no equality in a query string")
    return _Target(table.columns[name], base_type(table.model.model_fields[name].annotation)[0], tuple(hops))


def _hop(relationship: RelationshipProperty[Any]) -> Hop:
    """A condition on the related rows as one on the rows that have at least one of them.

    A relationship along foreign keys gives ``fk IN (SELECT key FROM related WHERE …)``
    (``key IN (SELECT fk …)`` the other way, through the link table for many-to-many): a
    subquery run once, then an index lookup, on every database. (SQLite runs an ``EXISTS``
    once per row.) One with a join condition of its own gives SQLAlchemy's ``has()`` or
    ``any()``, an ``EXISTS``. Either way a row never repeats however many related rows match.
    """
    secondary, far_join = relationship.secondary, relationship.secondaryjoin
    along_keys = _along(relationship.primaryjoin, relationship.synchronize_pairs) and (
        far_join is None or _along(far_join, relationship.secondary_synchronize_pairs or [])
    )
    if not along_keys:
        attribute = getattr(relationship.parent.class_, relationship.key)
        return attribute.any if relationship.uselist else attribute.has  # type: ignore[no-any-return]
    target = relationship.mapper.local_table
    if secondary is None or far_join is None:
        pairs, joined = relationship.local_remote_pairs or [], target
    else:  # the keys of the rows, in the link table that joins them to the related rows
        pairs, joined = relationship.synchronize_pairs, secondary.join(target, far_join)
    local = [a for a, _ in pairs]

    def hop(condition: Condition) -> Condition:
        # Uncorrelated: the related table may be the listed one (a hero's mentor), and
        # the subquery must read its own copy of it, not the outer row.
        related = sa.select(*(b for _, b in pairs)).select_from(joined).where(condition).correlate(None)
        return (local[0] if len(local) == 1 else sa.tuple_(*local)).in_(related)

    return hop


def _along(join: Condition, pairs: Sequence[tuple[sa.ColumnElement[Any], sa.ColumnElement[Any]]]) -> bool:
    """Whether a relationship's join condition is the equality of its foreign keys, and nothing more."""
    return bool(pairs) and join.compare(sa.and_(*(a == b for a, b in pairs)))


def _isnull(column: sa.ColumnElement[Any]) -> Callable[[bool], Condition]:
    return lambda isnull: column.is_(None) if isnull else column.is_not(None)
