"""Related rows that a public model nests, loaded eagerly: one SELECT per relationship.

A public field named like a relationship of the table model (``team``, ``heroes``) and
typed with a model (``TeamPublic | None``, ``list[HeroPublic]``) is filled from the
related table. The fields to load are found once, when the router is built, to any
depth the public models declare. Each is one statement for all the rows of an answer,
as SQLAlchemy's ``selectinload`` would send: the rows' keys go into ``IN (...)``, so
the number of statements does not grow with the page size. The statement joins along
the relationship itself, so foreign keys, link tables, ``order_by`` and self-references
are SQLAlchemy's to resolve. Nothing is ever lazy-loaded: the rows are plain dicts.
"""

import types
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.orm import RelationshipProperty, aliased

from ._columns import answered
from ._table import Table, inspect_table

PARENT = "sqlcrud_parent"  # the labels of the parent row's key in a related SELECT (sqlcrud_parent0, ...)
KEYS = "sqlcrud_keys"  # the bind parameter of the parent keys
RANK = "sqlcrud_rank"
CHUNK = 5_000  # parent keys per statement, below every driver's limit on parameters
Row = dict[str, Any]


@dataclass(frozen=True)
class Shape:
    """What a public model reads: its column fields, and the related rows it nests."""

    model: type[BaseModel]
    columns: tuple[str, ...]  # fields that are columns, by attribute name
    key: tuple[str, ...] = ()  # the primary key of the rows, for loading what they nest
    nested: tuple["Nested", ...] = ()
    labels: tuple[str, ...] = ()  # fields the rows carry under another column's value (``id``)

    def load(self, connection: sa.Connection, rows: list[Row]) -> None:
        """Add the related rows to ``rows``, in place, in one statement per relationship."""
        if not rows or not self.nested:
            return
        keys = list(dict.fromkeys(self.key_of(row) for row in rows))
        bound = keys if len(self.key) > 1 else [key for (key,) in keys]  # tuples for a tuple IN
        parent = [f"{PARENT}{i}" for i in range(len(self.key))]
        for nested in self.nested:
            found: dict[tuple[Any, ...], list[Row]] = {}
            for start in range(0, len(keys), CHUNK):
                result = connection.execute(nested.statement, {KEYS: bound[start : start + CHUNK]})
                names = list(result.keys())
                for values in result:
                    child = dict(zip(names, values))
                    found.setdefault(tuple(child.pop(label) for label in parent), []).append(child)
            nested.shape.load(connection, [child for children in found.values() for child in children])
            for row in rows:
                children = found.get(self.key_of(row), [])
                row[nested.name] = children if nested.many else (children[0] if children else None)

    def key_of(self, row: Row) -> tuple[Any, ...]:
        return tuple(row[name] for name in self.key)


@dataclass(frozen=True)
class Nested:
    """One relationship field of a public model, and how its rows are read."""

    name: str
    many: bool  # a list of rows (one-to-many, many-to-many), else one row or None
    shape: Shape
    statement: sa.Select[Any]


def shape_of(
    table: Table,
    public_model: type[BaseModel],
    max_related: int | None,
    seen: Sequence[type[Any]] = (),
    labels: tuple[str, ...] = (),
) -> Shape:
    """The shape of a public model of ``table``, with the statements of what it nests.

    Raises:
        ValueError: a public field is neither a column, a relationship, nor has a
            default; a relationship field is not typed with a model, or is a list where
            the relationship gives one row (or the reverse); a model that nests rows
            lacks its table's primary key; or the models nest in a cycle.
    """
    if public_model in seen:
        raise ValueError(f"{public_model.__name__} nests itself: sqlcrud loads nested rows to a fixed depth")
    columns, nested = [], []
    for name, field in public_model.model_fields.items():
        if name in labels:
            continue
        if name in table.columns:
            columns.append(name)
        elif name in table.relationships:
            nested.append(_nested(table, public_model, name, field.annotation, max_related, (*seen, public_model)))
        elif field.is_required():
            raise ValueError(
                f"{public_model.__name__}.{name} is not a column of {table.model.__name__} and has no default"
            )
    if nested and not set(table.key) <= set(columns):
        fields = ", ".join(repr(name) for name in table.key)
        raise ValueError(f"{public_model.__name__} nests related rows, so it needs the primary key field {fields}")
    return Shape(public_model, tuple(columns), table.key, tuple(nested), labels)


def _nested(
    table: Table,
    public_model: type[BaseModel],
    name: str,
    annotation: Any,
    max_related: int | None,
    seen: Sequence[type[Any]],
) -> Nested:
    relationship: RelationshipProperty[Any] = sa.inspect(table.model).relationships[name]
    model, many = _model_in(annotation)
    where = f"{public_model.__name__}.{name}"
    if model is None:
        raise ValueError(f"{where} is a relationship: type it with a public model of its rows")
    if many != bool(relationship.uselist):
        wanted = "a list" if relationship.uselist else "one row or None, not a list"
        raise ValueError(f"{where}: the relationship gives {wanted}")
    related = inspect_table(relationship.mapper.class_)
    shape = shape_of(related, model, max_related, seen)
    return Nested(name, many, shape, _statement(table, relationship, related, shape, max_related if many else None))


def _statement(
    table: Table, relationship: RelationshipProperty[Any], related: Table, shape: Shape, cap: int | None
) -> sa.Select[Any]:
    """``SELECT parent key, related columns FROM parent JOIN related WHERE parent key IN``.

    The parent is aliased, so a relationship of a table to itself joins two copies.
    With a ``cap``, each parent gets at most that many rows, the first in order.
    """
    parent = aliased(table.model)
    key = [getattr(parent, name) for name in table.key]
    labels = [f"{PARENT}{i}" for i in range(len(key))]
    columns = [answered(related.columns[name]).label(name) for name in shape.columns]
    order = [*(relationship.order_by or ()), *related.key_columns]
    select = sa.select(*(c.label(label) for c, label in zip(key, labels)), *columns)
    select = select.join(getattr(parent, relationship.key))
    select = select.where((key[0] if len(key) == 1 else sa.tuple_(*key)).in_(sa.bindparam(KEYS, expanding=True)))
    if cap is None:
        return select.order_by(*order)
    ranked = select.add_columns(sa.func.row_number().over(partition_by=key, order_by=order).label(RANK))
    inner = ranked.subquery()
    return (
        sa.select(*(inner.c[label] for label in (*labels, *shape.columns)))
        .where(inner.c[RANK] <= cap)
        .order_by(inner.c[RANK])
    )


def _model_in(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model in ``Model``, ``Model | None`` or ``list[Model]``, and whether a list."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(args) != 1:
            return None, False
        annotation = args[0]
    many = get_origin(annotation) in (list, Sequence, tuple)
    if many:
        annotation = next(iter(get_args(annotation)), None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, many
    return None, many
