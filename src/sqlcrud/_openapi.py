"""What the routes declare in OpenAPI beyond their models: the answers they can give,
the headers of conditional requests and lists, and links between the routes."""

from typing import Any

from fastapi.routing import APIRoute
from pydantic import BaseModel

from ._etag import ETags
from ._names import Names

Responses = dict[int | str, dict[str, Any]]


class ErrorMessage(BaseModel):
    """The body of an error answer: FastAPI's ``{"detail": "..."}``."""

    detail: str


def errors(names: Names) -> dict[str, Responses]:
    """The error answers of the routes, by kind."""
    return {
        "not_found": {404: {"model": ErrorMessage, "description": f"{names.title} not found"}},
        "conflict": {409: {"model": ErrorMessage, "description": "Conflict with another row"}},
        "unreadable": {400: {"model": ErrorMessage, "description": "The body is not UTF-8 text"}},
        "down": {503: {"model": ErrorMessage, "description": "The database is unavailable; retry later"}},
    }


def list_headers(count: bool, cursor: bool) -> Responses:
    headers = {}
    if count:
        headers["X-Total-Count"] = {"description": "Rows matching the filters", "schema": {"type": "integer"}}
    if cursor:
        headers["Link"] = {"description": 'The next page: <url>; rel="next"', "schema": {"type": "string"}}
    return {200: {"headers": headers}} if headers else {}


def conditional_openapi(
    etags: ETags | None, create_status_code: int
) -> dict[str, tuple[Responses, dict[str, Any] | None]]:
    """Per route: the responses and header parameters of conditional requests."""
    if etags is None:
        return {}
    tag = {"ETag": {"description": "The row's entity tag", "schema": {"type": "string"}}}

    def header(name: str, meaning: str) -> dict[str, Any]:
        return {
            "parameters": [
                {"name": name, "in": "header", "required": False, "description": meaning, "schema": {"type": "string"}}
            ]
        }

    failed: Responses = {412: {"model": ErrorMessage, "description": "If-Match does not match the row"}}
    if etags.require_if_match:
        failed[428] = {"model": ErrorMessage, "description": "If-Match is required"}
    if_match = header("If-Match", "Write only if the row's ETag is one of these (or *)")
    return {
        "read": (
            {200: {"headers": tag}, 304: {"description": "Not modified", "headers": tag}},
            header("If-None-Match", "Answer 304 if the row's ETag is one of these"),
        ),
        "create": ({create_status_code: {"headers": tag}}, None),
        "update": ({200: {"headers": tag}, **failed}, if_match),
        "delete": (failed, if_match),
    }


def merge(responses: Responses, extra: Responses) -> Responses:
    merged = {status: dict(spec) for status, spec in responses.items()}
    for status, spec in extra.items():
        merged.setdefault(status, {}).update(spec)
    return merged


def declare_links(added: dict[str, APIRoute], create_status_code: int, pk: str | None) -> None:
    """OpenAPI links from the create answer to the read, update and delete of that row.

    Links name operations by id, so each route's id is fixed to the one FastAPI gives it
    here: the tutorial's (``read_hero_heroes__hero_id__get``), whatever prefix an
    ``include_router`` adds later.
    """
    for route in added.values():
        route.operation_id = route.unique_id
    create = added.get("create")
    if create is None or pk is None:
        return
    links = {
        route.name: {
            "operationId": route.operation_id,
            "parameters": dict.fromkeys(route.param_convertors, f"$response.body#/{pk}"),
        }
        for name, route in added.items()
        if name in ("read", "update", "delete")
    }
    if links:
        create.responses.setdefault(create_status_code, {})["links"] = links
