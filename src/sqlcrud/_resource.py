"""What a router serves, recorded on its endpoints, so that ``sqlcrud.testing`` can find
every ``crud_router`` of an app through the app's routes and know what to expect of it."""

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ._table import Table

RESOURCE = "sqlcrud_resource"  # endpoint attribute: (Resource, route name)


@dataclass(frozen=True, eq=False)
class Resource:
    """One ``crud_router``: its table, its models and the options a client can see."""

    table: Table
    public_model: type[BaseModel]
    create_body: type[BaseModel]
    update_body: type[BaseModel]
    routes: frozenset[str]
    filters: tuple[str, ...]
    sort: tuple[str, ...]
    count: bool
    cursor: bool
    etag: str | None  # "hash", the version field, or None
    require_if_match: bool
    scoped: bool
    max_limit: int
    create_status_code: int
    delete_status_code: int
    max_bulk: int | None = None  # bulk=True: the most rows one request may write
    trailing_slash: bool = True  # the collection's path: /heroes/, or /heroes with dialect=

    @property
    def title(self) -> str:
        return self.table.names.title

    @property
    def key(self) -> tuple[str, ...]:
        """The public fields holding the primary key, in the table's key order."""
        return self.table.key

    def key_of(self, row: dict[str, Any]) -> tuple[Any, ...] | None:
        """A row's key from its public fields; None if the row does not show it all."""
        return tuple(row[name] for name in self.key) if all(name in row for name in self.key) else None

    def path_values(self, row: dict[str, Any]) -> dict[str, str]:
        """The path parameters that name a row, from its public fields: ``{"hero_id": "3"}``,
        or one per column of a composite key (``{"hero_id": "3", "team_id": "1"}``)."""
        return {segment: str(row[name]) for segment, name in zip(self.table.segments, self.key)}


def record(endpoint: Any, resource: Resource, route: str) -> None:
    setattr(endpoint, RESOURCE, (resource, route))


def recorded(endpoint: Any) -> tuple[Resource, str] | None:
    """The resource and route name of a ``crud_router`` endpoint, or None for any other."""
    return getattr(endpoint, RESOURCE, None)
