"""The ``crud_router`` routes of an app, found through the app's own routes."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI

from .._resource import Resource, recorded

METHODS = {"create": "POST", "list": "GET", "read": "GET", "update": "PATCH", "delete": "DELETE"}
METHODS |= {"update_many": "PATCH", "delete_many": "DELETE", "replace": "PUT"}  # bulk=True, put=True
ITEM_ROUTES = ("read", "update", "delete", "replace")


@dataclass
class Target:
    """One ``crud_router`` as mounted in the app: where its routes are, and what they declare."""

    resource: Resource
    collection: str  # "/heroes/"
    item: str  # "/heroes/{hero_id}"
    operations: dict[str, dict[str, Any]] = field(default_factory=dict)  # route name -> OpenAPI operation

    def has(self, *routes: str) -> bool:
        return all(route in self.operations for route in routes)

    def label(self, route: str) -> str:
        return f"{METHODS[route]} {self.item if route in ITEM_ROUTES else self.collection}"

    def url(self, row: dict[str, Any]) -> str:
        """The URL of a row, from its public fields."""
        url = self.item
        for name, value in self.resource.path_values(row).items():
            url = url.replace(f"{{{name}}}", quote(value, safe=""))
        return url

    def url_with(self, *segments: str) -> str:
        """The item URL with ``segments`` (already encoded) as its key's; one segment
        stands for every column of a composite key."""
        url, names = self.item, self.resource.table.segments
        for name, segment in zip(names, segments * len(names) if len(segments) == 1 else segments):
            url = url.replace(f"{{{name}}}", segment)
        return url

    @property
    def title(self) -> str:
        return self.resource.title


def targets(app: FastAPI) -> list[Target]:
    """Every ``crud_router`` of the app, once per path it is mounted at, in the app's order."""
    schema = app.openapi()
    found: dict[tuple[int, str], Target] = {}
    for path, methods, endpoint in _api_routes(app):
        described = recorded(endpoint)
        if described is None:
            continue
        resource, route = described
        segments = "".join(f"/{{{name}}}" for name in resource.table.segments)
        item = path if route in ITEM_ROUTES else path.rstrip("/") + segments
        slash = "/" if resource.trailing_slash else ""  # dialect routers: /heroes, as the providers call it
        collection = path if route not in ITEM_ROUTES else path.removesuffix(segments) + slash
        target = found.setdefault((id(resource), collection), Target(resource, collection, item))
        operation = schema.get("paths", {}).get(path, {}).get(METHODS[route].lower())
        if operation is not None and METHODS[route] in methods:
            target.operations[route] = operation
    return list(found.values())


def _api_routes(app: FastAPI) -> Iterator[tuple[str, set[str], Any]]:
    """(path, methods, endpoint) of every route FastAPI serves, included routers' too."""
    try:  # newer FastAPI keeps included routers whole, behind route contexts
        from fastapi.routing import iter_route_contexts  # type: ignore[attr-defined,unused-ignore]
    except ImportError:  # pragma: no cover - before, include_router copied each route (make test-lowest)
        for route in app.routes:
            if hasattr(route, "endpoint") and hasattr(route, "path_format"):
                yield route.path_format, set(getattr(route, "methods", ()) or ()), route.endpoint
        return
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if hasattr(route, "endpoint") and context.path_format is not None:
            yield context.path_format, set(getattr(route, "methods", ()) or ()), route.endpoint
