"""OR groups: ``?or=[{"age__lt": 18}, {"age__gt": 65}]``, rows matching any of the groups.

The value is JSON: a list of groups, each an object of the router's filter parameters
(ANDed, as in the query string) and, to a fixed depth, an ``or`` of its own. Numbers are
read exactly (a long decimal is not rounded through a float); pydantic then validates the
groups with the filters' own types, so a bad value is a 422 that names its place
(``["query", "or", 1, "age__gt"]``), and OpenAPI shows the groups' schema as the JSON
content of a string parameter. The caller ANDs the result with the scope and the other
filters: a group can only narrow the rows the list would answer without it.
"""

import decimal
import json
from collections import Counter
from collections.abc import Sequence
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    create_model,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from ._filters import Condition, Filter, conditions

MAX_DEPTH = 3  # levels of ``or``: the query's, its groups', and theirs
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
        return json.loads(value, parse_float=_number, parse_constant=_no_constant, object_pairs_hook=_once)
    except (ValueError, RecursionError) as error:
        raise PydanticCustomError("json_invalid", "Invalid JSON: {error}", {"error": str(error)}) from None


def _number(text: str) -> decimal.Decimal:
    """A JSON number with a fraction or an exponent, exactly; one beyond what any column
    holds (``1e999999``) is refused, before anything turns it into a million digits."""
    number = decimal.Decimal(text)
    if number and not -MAX_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        raise ValueError(f"{text} has an exponent beyond ±{MAX_EXPONENT}")
    return number


def _once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys differ: a filter given twice is refused, as in the query string."""
    if twice := sorted(key for key, count in Counter(key for key, _ in pairs).items() if count > 1):
        raise ValueError(f"{', '.join(twice)} given more than once in an object")
    return dict(pairs)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def or_parameter(name: str, filters: Sequence[Filter]) -> Any:
    """The annotation of ``?or=``: JSON groups of ``filters``, nested ``MAX_DEPTH`` deep."""
    fields: dict[str, Any] = {f.param: (f.annotation, Field(None, description=f.description)) for f in filters}
    checks: Any = {"not_empty": model_validator(mode="after")(_not_empty)}
    groups: Any = None
    for depth in range(MAX_DEPTH, 0, -1):  # the innermost groups first, which have no "or"
        nested = {} if groups is None else {"or": (groups, Field(None, description="Any of these groups"))}
        model = create_model(
            f"{name}Group{depth}", __config__=ConfigDict(extra="forbid"), __validators__=checks, **(fields | nested)
        )
        groups = Annotated[list[model], Field(min_length=1, max_length=MAX_GROUPS)]  # type: ignore[valid-type]
    return Annotated[str, _JSONOf(groups)]


def _not_empty(group: BaseModel) -> BaseModel:
    if all(value is None for value in dict(group).values()):
        raise PydanticCustomError("empty_group", "A group needs at least one condition")
    return group


def matching(values: BaseModel, filters: Sequence[Filter]) -> list[Condition]:
    """The conditions that ``values`` sets, a list query or one of its groups: its filters
    (see ``conditions``) and its ``or``, if any: any of its groups, each ANDed."""
    found = conditions([(f, value) for f in filters if (value := getattr(values, f.param, None)) is not None])
    if (groups := getattr(values, "or", None)) is not None:
        found.append(sa.or_(*(sa.and_(*matching(group, filters)) for group in groups)))
    return found
