"""What sqlcrud needs to know about a table model, read once when the router is built."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, TypeAdapter
from sqlalchemy.orm import Mapper
from sqlmodel import SQLModel

from ._columns import fits, key_check, sql_type
from ._names import Names


@dataclass(frozen=True)
class Table:
    """A SQLModel table model as sqlcrud sees it.

    Attributes are keyed by the model's attribute names, which is what the create, public
    and update models use; ``columns`` maps them to the underlying SQL columns.
    """

    model: type[SQLModel]
    names: Names
    table: sa.Table
    columns: dict[str, sa.Column[Any]]
    key: tuple[str, ...]  # the primary key's attributes, in the table's key order
    key_types: tuple[type[Any], ...]  # their Python types
    key_checks: tuple[TypeAdapter[Any], ...]  # what each key column can hold
    defaulted: frozenset[str]  # attributes where None means "let the column default fire"
    not_null: frozenset[str]  # attributes whose column is NOT NULL
    relationships: frozenset[str]  # relationship attributes (team, heroes)

    @property
    def key_columns(self) -> list[sa.Column[Any]]:
        return [self.columns[name] for name in self.key]

    @property
    def segments(self) -> list[str]:
        """The item path's parameters: the tutorial's ``hero_id`` for a key of one column;
        for several, each column's attribute, in the table's key order."""
        return [f"{self.names.singular}_id"] if len(self.key) == 1 else list(self.key)

    def key_fits(self, values: tuple[Any, ...]) -> bool:
        """Whether a row could have this primary key (else it is a 404 without any SQL)."""
        return all(fits(check, value) for check, value in zip(self.key_checks, values))

    def key_of(self, row: Mapping[str, Any]) -> tuple[Any, ...]:
        """The primary key of a row given by attribute (a dict of public fields, say)."""
        return tuple(row[name] for name in self.key)

    def insert_values(self, row: SQLModel) -> dict[str, Any]:
        """The column values to INSERT for a validated instance of the table model."""
        values = {name: getattr(row, name) for name in self.columns}
        return {name: value for name, value in values.items() if value is not None or name not in self.defaulted}

    def update_values(self, body: BaseModel) -> dict[str, Any]:
        """The column values a PATCH body sets: the fields the client sent, if columns."""
        return {name: value for name, value in body.model_dump(exclude_unset=True).items() if name in self.columns}


def inspect_table(model: type[SQLModel]) -> Table:
    """Read a table model's columns and primary key.

    Raises:
        TypeError: ``model`` is not a SQLModel table model (``table=True``).
        ValueError: the table has no primary key.
    """
    mapper = sa.inspect(model, raiseerr=False)
    if not isinstance(mapper, Mapper):
        raise TypeError(f"{model!r} is not a SQLModel table model: declare it with table=True")
    table = mapper.local_table
    if not isinstance(table, sa.Table):
        raise TypeError(f"{model.__name__} is not mapped to a single table")
    columns = {attr.key: attr.columns[0] for attr in mapper.column_attrs if isinstance(attr.columns[0], sa.Column)}
    attribute = {column: name for name, column in columns.items()}
    key = tuple(attribute[column] for column in table.primary_key.columns)
    if not key:
        raise ValueError(f"{model.__name__} has no primary key")
    key_types = tuple(sql_type(columns[name]).python_type for name in key)
    return Table(
        model=model,
        names=Names.of(model.__name__),
        table=table,
        columns=columns,
        key=key,
        key_types=key_types,
        key_checks=tuple(key_check(columns[name], type_) for name, type_ in zip(key, key_types)),
        defaulted=frozenset(
            name
            for name, column in columns.items()
            if column.default is not None or column.server_default is not None or column is table.autoincrement_column
        ),
        not_null=frozenset(name for name, column in columns.items() if not column.nullable),
        relationships=frozenset(mapper.relationships.keys()),
    )
