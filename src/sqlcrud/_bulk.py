"""What ``bulk=True`` adds to a router's requests: a create body of one row or many, and
the checks of a PATCH or DELETE of many rows (see ``_operations`` for their statements)."""

from typing import Annotated, Any, Union

from fastapi import HTTPException, Request
from pydantic import BaseModel, Field, TypeAdapter, ValidationError, WrapValidator
from pydantic_core import ErrorDetails


def one_or_many(body: type[BaseModel], max_bulk: int) -> Any:
    """A create body that is one row or a JSON array of at most ``max_bulk`` rows.

    OpenAPI shows both shapes. Each is validated as itself, so an error names the field
    as a single body would, after the item's index: ``["body", 2, "name"]``, not
    pydantic's union branches.
    """
    many: Any = Annotated[list[body], Field(max_length=max_bulk)]  # type: ignore[valid-type]
    one_adapter, many_adapter = TypeAdapter(body), TypeAdapter(many)

    def validate(value: Any, _: Any) -> Any:
        return (many_adapter if isinstance(value, list) else one_adapter).validate_python(value)

    return Annotated[Union[body, many], WrapValidator(validate)]  # noqa: UP007  (a runtime-built union)


def located(error: ValidationError, loc: tuple[str | int, ...]) -> list[ErrorDetails]:
    """Validation errors placed where the value came from: ``("body", 2, "age")``."""
    return [{**detail, "loc": (*loc, *detail["loc"])} for detail in error.errors(include_url=False)]


def unconditional(request: Request, tagged: bool) -> None:
    """A PATCH or DELETE of many rows has no entity tag to match. Without ``etag``
    (``tagged`` False), ``If-Match`` is ignored, as on single rows.

    Raises:
        HTTPException: 412, an ``If-Match`` other than ``*``, which no tag can match.
    """
    if_match = request.headers.get("if-match")
    if tagged and if_match is not None and if_match.strip() != "*":
        raise HTTPException(412, "A change of many rows has no ETag to match: send it without If-Match")
