"""OR groups: ``?or=[{"age__lt": 18}, {"age__gt": 65}]``, rows matching any of the groups.

The value is JSON: a list of groups, each an object of the router's filter parameters
(ANDed, as in the query string) and, to a fixed depth, an ``or`` of its own. Numbers are
read exactly (a long decimal is not rounded through a float); pydantic then validates the
groups with the filters' own types, so a bad value is a 422 that names its place
(``["query", "or", 1, "age__gt"]``), and OpenAPI shows the groups' schema as the JSON
content of a string parameter. The caller ANDs the result with the scope and the other
filters: a group can only narrow what the router lets a client see.
"""

import decimal
import json
from collections.abc import Sequence
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, GetJsonSchemaHandler, create_model
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from ._filters import Condition, Filter, all_of

MAX_DEPTH = 3  # levels of ``or``: a group's ``or`` may hold groups with an ``or`` of their own, once more
MAX_GROUPS = 20  # groups in one ``or``
MAX_EXPONENT = 400  # powers of ten a number may have: past every float, and far past every useful decimal
MAX_TEXT = 4000  # characters of the JSON: with MAX_IN values per filter, bounds the statement's parameters


class _JSONOf:
    """A string holding JSON that validates as ``annotation``: shown in OpenAPI as a
    string whose ``contentSchema`` is the annotation's. (Pydantic's ``Json[list[...]]``
    would do, but FastAPI reads a list annotation as a repeated query parameter, and
    pydantic reads JSON numbers as floats, which would round a long decimal.)"""

    def __init__(self, annotation: Any) -> None:
        self.annotation = annotation

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(_parsed, handler.generate_schema(self.annotation))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        content = handler(schema)
        return {
            "type": "string",
            "contentMediaType": "application/json",
            "contentSchema": content,
            "maxLength": MAX_TEXT,
        }


def _parsed(value: Any) -> Any:
    """The JSON in ``value``, numbers with a fraction or an exponent as exact decimals."""
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "Input should be a valid string")
    if len(value) > MAX_TEXT:
        raise PydanticCustomError(
            "string_too_long", "String should have at most {max_length} characters", {"max_length": MAX_TEXT}
        )
    try:
        return json.loads(value, parse_float=_number, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise PydanticCustomError("json_invalid", "Invalid JSON: {error}", {"error": str(error)}) from None


def _number(text: str) -> decimal.Decimal:
    """A JSON number with a fraction or an exponent, exactly; one beyond what any column
    holds (``1e999999``) is refused, before anything turns it into a million digits."""
    number = decimal.Decimal(text)
    if not -MAX_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        raise ValueError(f"{text} is beyond 1e{MAX_EXPONENT}")
    return number


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def or_parameter(name: str, filters: Sequence[Filter]) -> Any:
    """The annotation of ``?or=``: JSON groups of ``filters``, nested ``MAX_DEPTH`` deep."""
    conditions: dict[str, Any] = {f.param: (f.annotation, Field(None, description=f.description)) for f in filters}
    forbid = ConfigDict(extra="forbid")
    groups: Any = None
    for depth in range(MAX_DEPTH, 0, -1):
        nested = {"or": (groups, Field(None, description="Any of these groups"))} if groups else {}
        model = create_model(f"{name}Group{depth}", __config__=forbid, **(conditions | nested))
        groups = Annotated[list[model], Field(min_length=1, max_length=MAX_GROUPS)]  # type: ignore[valid-type]
    return Annotated[str, _JSONOf(groups)]


def any_of(groups: Sequence[BaseModel], filters: Sequence[Filter], loc: tuple[Any, ...] = ("query", "or")) -> Condition:
    """The condition that a row matches any of ``groups``: each group's filters ANDed.

    Raises:
        RequestValidationError: a group without any condition.
    """
    matches = []
    for i, group in enumerate(groups):
        conditions = all_of([(f, value) for f in filters if (value := getattr(group, f.param)) is not None])
        if (inner := getattr(group, "or", None)) is not None:
            conditions.append(any_of(inner, filters, (*loc, i, "or")))
        if not conditions:
            message = "A group needs at least one condition"
            raise RequestValidationError([{"type": "value_error", "loc": (*loc, i), "msg": message, "input": {}}])
        matches.append(sa.and_(*conditions))
    return sa.or_(*matches)
