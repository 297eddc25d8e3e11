"""The SQL statements of a router, built once; no I/O here.

Every route runs a single statement: a column SELECT for reads, and INSERT, UPDATE or
DELETE with RETURNING of the public columns for writes, so a write needs no second trip
to read back what it wrote. Later features (filters, sorting, scopes) narrow these
statements with ``.where()`` and ``.order_by()``; they never add round trips.
"""

from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel

from ._table import Table

PK = "sqlcrud_pk"  # bind parameter name; column keys are free to be anything else


class Statements:
    """The statements that read and write one table through one public model."""

    def __init__(self, table: Table, public_model: type[BaseModel], version: str | None = None) -> None:
        self.table = table
        columns = public_columns(table, public_model)
        self._public = {label.name: table.columns[label.name] for label in columns}
        pk = table.pk
        self.select = sa.select(*columns).order_by(pk)
        self.page = self.select.offset(sa.bindparam("offset")).limit(sa.bindparam("limit"))
        self.one = sa.select(*columns).where(pk == sa.bindparam(PK))
        self.insert = sa.insert(table.table).returning(*columns)
        self.update = sa.update(table.table).where(pk == sa.bindparam(PK)).returning(*columns)
        if version is not None:  # every UPDATE increments the version column, in itself
            bump = table.columns[version]
            self.update = self.update.values({bump: bump + 1})
        self.delete = sa.delete(table.table).where(pk == sa.bindparam(PK)).returning(pk)

    def params(self, values: dict[str, Any]) -> dict[str, Any]:
        """Bind parameters for ``insert`` or ``update`` from attribute values.

        Core INSERT and UPDATE take their column list from the parameters' keys, so one
        statement serves every subset of columns a client sends.
        """
        columns = self.table.columns
        return {columns[name].key: value for name, value in values.items()}

    def unchanged(self, row: dict[str, Any]) -> list[sa.ColumnElement[bool]]:
        """Conditions that the public columns still hold the values of ``row``."""
        return [column.is_not_distinct_from(row[name]) for name, column in self._public.items()]


def public_columns(table: Table, public_model: type[BaseModel]) -> list[sa.Label[Any]]:
    """The table columns behind the public model's fields, labelled with the field names.

    A public field that is not a column must have a default: nothing could fill it.

    Raises:
        ValueError: a public field is neither a column of the table nor has a default,
            or is a relationship (nested related rows are not served yet: rather than
            answer them as always empty, sqlcrud refuses the model).
    """
    columns = []
    for name, field in public_model.model_fields.items():
        if name in table.relationships:
            raise ValueError(
                f"{public_model.__name__}.{name} is a relationship of {table.model.__name__}: "
                "sqlcrud does not load related rows yet; leave it out of the public model"
            )
        if name in table.columns:
            columns.append(table.columns[name].label(name))
        elif field.is_required():
            raise ValueError(
                f"{public_model.__name__}.{name} is not a column of {table.model.__name__} and has no default"
            )
    return columns
