"""What the routes declare in OpenAPI beyond their models: the answers they can give,
the headers of conditional requests and lists, and links between the routes."""

import copy
import functools
from typing import Any, Literal

from fastapi.openapi.utils import validation_error_definition, validation_error_response_definition
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, RootModel, create_model

from ._etag import ETags
from ._names import Names

Responses = dict[int | str, dict[str, Any]]


class ErrorMessage(BaseModel):
    """The body of an error answer: FastAPI's ``{"detail": "..."}``."""

    detail: str


def _fastapis(definition: dict[str, Any]) -> ConfigDict:
    """A model config whose JSON Schema is FastAPI's own ``definition``: the same component
    whether a route of sqlcrud or of the app puts it in OpenAPI first."""

    def replace(schema: dict[str, Any]) -> None:
        schema.clear()
        schema.update(copy.deepcopy(definition))

    return ConfigDict(json_schema_extra=replace)


class ValidationError(BaseModel):
    # One problem in a request, as FastAPI describes it.
    model_config = _fastapis(validation_error_definition)
    loc: list[str | int]
    msg: str
    type: str


class HTTPValidationError(BaseModel):
    # FastAPI's 422 body: the problems of the request.
    model_config = _fastapis(validation_error_response_definition)
    detail: list[ValidationError]


class Deleted(BaseModel):
    """The tutorial's answer to a delete."""

    ok: Literal[True]


class Invalid(RootModel[HTTPValidationError | ErrorMessage]):
    """A 422: FastAPI's list of problems, or a message when the database refuses a value or
    the request ran past its time limit."""


def errors(names: Names) -> dict[str, Responses]:
    """The error answers of the routes, by kind."""
    return {
        "invalid": {422: {"model": Invalid, "description": "Validation Error"}},
        "not_found": {404: {"model": ErrorMessage, "description": f"{names.title} not found"}},
        "conflict": {409: {"model": ErrorMessage, "description": "Conflict with another row"}},
        "unreadable": {400: {"model": ErrorMessage, "description": "The body is not UTF-8 text"}},
        "down": {503: {"model": ErrorMessage, "description": "The database is unavailable; retry later"}},
    }


def list_answer(names: Names, count: bool, cursor: bool, content_range: bool = False) -> Responses:
    """The list answer's title (FastAPI's would be "Response Read Heroes Heroes  Get") and headers."""
    headers = {}
    if count:
        headers["X-Total-Count"] = {"description": "Rows matching the filters", "schema": {"type": "integer"}}
    if content_range:
        meaning = f"The rows of the page and the count: {names.plural} 0-24/319 ({names.plural} */0 if none)"
        headers["Content-Range"] = {"description": meaning, "schema": {"type": "string"}}
    if cursor:
        headers["Link"] = {"description": 'The next page: <url>; rel="next"', "schema": {"type": "string"}}
    answer: dict[str, Any] = {"content": {"application/json": {"schema": {"title": f"{names.title} list"}}}}
    return {200: answer | ({"headers": headers} if headers else {})}


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


def declare_links(added: dict[str, APIRoute], create_status_code: int, key: dict[str, str]) -> None:
    """OpenAPI links from the create answer to the read, update and delete of that row,
    whose path parameters ``key`` maps to the answer's fields (none: no links).

    Links name operations by id, so each route's id is fixed to the one FastAPI gives it
    here: the tutorial's (``read_hero_heroes__hero_id__get``), whatever prefix an
    ``include_router`` adds later.
    """
    for route in added.values():
        route.operation_id = route.unique_id
    create = added.get("create")
    if create is None or not key:
        return
    links = {
        route.name: {
            "operationId": route.operation_id,
            "parameters": {segment: f"$response.body#/{field}" for segment, field in key.items()},
        }
        for name, route in added.items()
        if name in ("read", "update", "delete")
    }
    if links:
        create.responses.setdefault(create_status_code, {})["links"] = links


def page_model(public_model: type[BaseModel], cursor: bool) -> type[BaseModel]:
    """The list answer of ``envelope=True``: fastapi-pagination's ``LimitOffsetPage`` shape."""
    fields: dict[str, Any] = {
        "items": (list[public_model], ...),  # type: ignore[valid-type]
        "total": (int, Field(description="Rows matching the filters")),
        "limit": (int, ...),
        "offset": (int, ...),
    }
    if cursor:
        fields["next_page"] = (str | None, Field(description="The cursor of the next page, or null on the last"))
    model: type[BaseModel] = create_model(f"{public_model.__name__}Page", **fields)
    return model


@functools.cache
def selected_model(public_model: type[BaseModel]) -> type[BaseModel]:
    """A row of a list with ``field_selection=True``: the public model's fields, none
    required, as ``?fields=`` may leave any out."""
    fields: dict[str, Any] = {
        name: (field.rebuild_annotation(), Field(None, description=field.description))
        for name, field in public_model.model_fields.items()
    }
    doc = f"A {public_model.__name__} with the fields that ?fields= names (all of them without it)"
    model: type[BaseModel] = create_model(f"{public_model.__name__}Fields", __doc__=doc, **fields)
    return model
