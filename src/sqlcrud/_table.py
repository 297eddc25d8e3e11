"""What sqlcrud needs to know about a table model, read once when the router is built."""

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
    pk_name: str
    pk_type: type[Any]
    key_check: TypeAdapter[Any]
    defaulted: frozenset[str]  # attributes where None means "let the column default fire"
    not_null: frozenset[str]  # attributes whose column is NOT NULL
    relationships: frozenset[str]  # relationship attributes (team, heroes)

    @property
    def pk(self) -> sa.Column[Any]:
        return self.columns[self.pk_name]

    def pk_fits(self, value: Any) -> bool:
        """Whether a row could have this primary key (else it is a 404 without any SQL)."""
        return fits(self.key_check, value)

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
        ValueError: the primary key is not a single column.
    """
    mapper = sa.inspect(model, raiseerr=False)
    if not isinstance(mapper, Mapper):
        raise TypeError(f"{model!r} is not a SQLModel table model: declare it with table=True")
    table = mapper.local_table
    if not isinstance(table, sa.Table):
        raise TypeError(f"{model.__name__} is not mapped to a single table")
    columns = {attr.key: attr.columns[0] for attr in mapper.column_attrs if isinstance(attr.columns[0], sa.Column)}
    keys = [name for name, column in columns.items() if column.primary_key]
    if len(keys) != 1:
        raise ValueError(f"{model.__name__} must have a single-column primary key, not {keys}")
    pk_name = keys[0]
    pk_type = sql_type(columns[pk_name]).python_type
    return Table(
        model=model,
        names=Names.of(model.__name__),
        table=table,
        columns=columns,
        pk_name=pk_name,
        pk_type=pk_type,
        key_check=key_check(columns[pk_name], pk_type),
        defaulted=frozenset(
            name
            for name, column in columns.items()
            if column.default is not None or column.server_default is not None or column is table.autoincrement_column
        ),
        not_null=frozenset(name for name, column in columns.items() if not column.nullable),
        relationships=frozenset(mapper.relationships.keys()),
    )
