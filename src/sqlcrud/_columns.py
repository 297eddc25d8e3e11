"""What a column can store, declared on the request bodies so every database answers alike.

SQLite stores a 64-bit integer in an ``Integer`` column, a NUL byte or an over-long
string without complaint; PostgreSQL refuses all three. So sqlcrud derives, once, a
body model from each create and update model that adds the limits of the columns
behind its fields. Pydantic then refuses what a column could not hold with an ordinary
422, and OpenAPI shows the limits (``maximum``, ``maxLength``) to clients.
"""

import copy
import datetime
import math
import types
from typing import Annotated, Any, Union, get_args, get_origin

import annotated_types as at
from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    TypeAdapter,
    ValidationError,
    create_model,
)
from pydantic.fields import FieldInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ColumnElement,
    DateTime,
    Enum,
    Float,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Time,
    TypeDecorator,
    type_coerce,
)
from sqlalchemy.types import TypeEngine

# Text in an index without a declared length: PostgreSQL's btree entries hold 2,704
# bytes, and a character takes up to 4 in UTF-8. The same limit on every database.
MAX_INDEXED_TEXT = 2704 // 4
_INT_BITS = ((BigInteger, 64), (SmallInteger, 16), (Integer, 32))


def encodes(value: str) -> bool:
    """Whether ``value`` is valid Unicode text: no lone surrogates, so it encodes as UTF-8."""
    if value.isascii():
        return True
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def storable(text: str) -> bool:
    """Whether every database can store ``text``: no NUL characters, valid Unicode."""
    return "\x00" not in text and encodes(text)


class _StorableText:
    """No NUL characters (PostgreSQL refuses them) and no lone surrogates (not UTF-8).

    A text primary key must also fit in one path segment: no ``/``, and not ``.`` or
    ``..``, which URL normalisation removes. Declared to clients as a JSON Schema
    ``pattern`` where the model sets none.
    """

    def __init__(self, key: bool = False) -> None:
        self.key = key

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._validate, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.setdefault("pattern", "^(?!\\.\\.?$)[^/\\u0000]*$" if self.key else "^[^\\u0000]*$")
        return json_schema

    def _validate(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if not storable(value):
            raise PydanticCustomError(
                "string_unicode", "Input should be text without NUL characters or lone surrogates"
            )
        if self.key and ("/" in value or value in (".", "..")):
            raise PydanticCustomError("key_segment", "Input should be one path segment: no '/', not '.' or '..'")
        return value


def storable_text(max_length: int) -> Any:
    """Text a query compares with columns: at most ``max_length`` characters, and none
    that no database stores (PostgreSQL refuses a NUL even in a parameter)."""
    return Annotated[str, at.MaxLen(max_length), _StorableText()]


class _StorableDatetime:
    """A datetime the column can hold, the same on every database.

    A value without an offset is read as UTC. A column with a time zone gets an aware
    UTC value, one without gets the naive UTC value. Either way the value must be
    within years 1 to 9999 once in UTC (``0001-01-01T00:00:00+14:00`` is not).
    """

    def __init__(self, aware: bool) -> None:
        self.aware = aware

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._validate, handler(source))

    def _validate(self, value: Any) -> Any:
        if not isinstance(value, datetime.datetime):
            return value
        if value.utcoffset() is None:
            value = value.replace(tzinfo=datetime.UTC)
        try:
            value = value.astimezone(datetime.UTC)
        except OverflowError:
            raise PydanticCustomError(
                "datetime_range", "Input should be a datetime within years 1 to 9999 in UTC"
            ) from None
        return value if self.aware else value.replace(tzinfo=None)


class _StorableTime:
    """A time of day as UTC, like datetimes: one with an offset is converted, one without is UTC.

    Stored without the offset (the column has none); answered with ``Z`` (see ``answered``).
    """

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._validate, handler(source))

    @staticmethod
    def _validate(value: Any) -> Any:
        if not isinstance(value, datetime.time) or value.utcoffset() is None:
            return value
        moment = datetime.datetime.combine(datetime.date(2000, 1, 1), value).astimezone(datetime.UTC)
        return moment.time()


class _AsUTC(TypeDecorator[Any]):
    """A column of UTC values, read back as aware values: a column without a time zone
    holds them naive, and so does one with a time zone on SQLite and MariaDB, whose
    types keep none."""

    impl: TypeEngine[Any] | type[TypeEngine[Any]] = DateTime
    cache_ok = True

    def __init__(self, type_: TypeEngine[Any]) -> None:
        super().__init__()
        self.type_ = self.impl = type_

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return value if value is None or value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)


def _naive(column: Column[Any]) -> bool:
    """Whether the column holds datetimes or times without a time zone."""
    type_ = sql_type(column)
    return isinstance(type_, DateTime | Time) and not type_.timezone


def answered(column: Column[Any]) -> Any:
    """The column as a SELECT reads it: a datetime or time read without a time zone comes
    back as aware UTC, which is what sqlcrud stored (see ``_StorableDatetime``), so every
    answer ends in ``Z`` and matches JSON Schema's ``date-time`` and ``time`` formats."""
    return type_coerce(column, _AsUTC(column.type)) if isinstance(sql_type(column), DateTime | Time) else column


def bound(column: Column[Any], value: Any) -> Any:
    """A value read through ``answered``, as the column compares it."""
    if _naive(column) and isinstance(value, datetime.datetime | datetime.time):
        return value.replace(tzinfo=None)
    return value


class _StorableJSON:
    """JSON whose text is valid Unicode and whose numbers are finite, so it can be sent back."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._validate, handler(source))

    @staticmethod
    def _validate(value: Any) -> Any:
        pending = [value]
        while pending:
            item = pending.pop()
            if isinstance(item, dict):
                pending += [*item.keys(), *item.values()]
            elif isinstance(item, list | tuple):
                pending += item
            elif (isinstance(item, str) and not storable(item)) or (
                isinstance(item, float) and not math.isfinite(item)
            ):
                raise PydanticCustomError(
                    "json_storable",
                    "Input should hold finite numbers and text without NUL characters or lone surrogates",
                )
        return value


def _indexed(column: Column[Any]) -> bool:
    """Whether the column is indexed on its own: a key, ``index=True`` or ``unique=True``."""
    return bool(column.primary_key or column.index or column.unique)


def sql_type(column: ColumnElement[Any]) -> TypeEngine[Any]:
    """The column's type, seen through decorators such as SQLModel's ``AutoString``."""
    type_ = column.type
    return type_.impl_instance if isinstance(type_, TypeDecorator) else type_


def column_limits(column: Column[Any]) -> list[Any]:
    """Annotation metadata for what ``column``'s SQL type can hold on every database."""
    type_ = sql_type(column)
    for int_type, bits in _INT_BITS:
        if isinstance(type_, int_type):
            return [at.Ge(-(2 ** (bits - 1))), at.Le(2 ** (bits - 1) - 1)]
    if isinstance(type_, String) and not isinstance(type_, Enum):
        length = type_.length or (MAX_INDEXED_TEXT if _indexed(column) else None)
        return [*([at.MaxLen(length)] if length else []), _StorableText(key=column.primary_key)]
    if isinstance(type_, Float):
        return [Field(allow_inf_nan=False), AfterValidator(_no_negative_zero)]
    if isinstance(type_, Numeric) and type_.precision is not None:
        return [Field(max_digits=type_.precision, decimal_places=type_.scale or 0, allow_inf_nan=False)]
    if isinstance(type_, DateTime):
        return [_StorableDatetime(aware=bool(type_.timezone))]
    if isinstance(type_, Time):
        return [_StorableTime()]
    if isinstance(type_, JSON):
        return [_StorableJSON()]
    return []


def _no_negative_zero(value: Any) -> Any:
    """-0.0 as 0.0: PostgreSQL keeps the sign, SQLite and MariaDB do not."""
    return value + 0.0 if isinstance(value, float) else value


def _implied(limit: Any, constraints: list[Any]) -> bool:
    """Whether the model's own ``constraints`` already keep values within ``limit``."""
    for c in constraints:
        low: Any = c.ge if isinstance(c, at.Ge) else c.gt if isinstance(c, at.Gt) else None
        high: Any = c.le if isinstance(c, at.Le) else c.lt if isinstance(c, at.Lt) else None
        if isinstance(limit, at.Ge) and low is not None and low >= limit.ge:
            return True
        if isinstance(limit, at.Le) and high is not None and high <= limit.le:
            return True
        if isinstance(limit, at.MaxLen) and isinstance(c, at.MaxLen) and c.max_length <= limit.max_length:
            return True
    return False


def with_metadata(annotation: Any, metadata: list[Any]) -> Any:
    """``Annotated[annotation, *metadata]``, or ``annotation`` alone when there is none."""
    return Annotated[(annotation, *metadata)] if metadata else annotation


def accepts_none(model: type[BaseModel], name: str) -> bool:
    """Whether the model's field takes ``None``: ``X | None``, ``Any``, ``Optional[X]``."""
    try:
        TypeAdapter(model.model_fields[name].rebuild_annotation()).validate_python(None)
    except ValidationError:
        return False
    return True


def _without_none(annotation: Any) -> Any:
    """``X | None`` -> ``X``: for a column that cannot hold NULL."""
    if get_origin(annotation) is Annotated:
        inner, *metadata = get_args(annotation)
        return Annotated[(_without_none(inner), *metadata)]
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        if args and len(args) < len(get_args(annotation)):
            return Union[tuple(args)]  # noqa: UP007  (a runtime-built union)
    return annotation


def body_model(
    model: type[BaseModel], columns: dict[str, Column[Any]], not_null: set[str], role: str
) -> type[BaseModel]:
    """``model`` with the limits of the columns behind its fields, under the same name.

    Fields named in ``not_null`` lose ``None`` from their type: a client may leave them
    out, but not send ``null``. A table model (the tutorial's first step uses ``Hero`` as
    its body) does not validate when built, so its body is a plain model with the same
    fields, named for its ``role`` (``HeroCreate``) so that OpenAPI keeps ``Hero`` for
    the answers.
    """
    table = bool(model.model_config.get("table"))
    fields: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if name not in columns and not table:
            continue
        annotation = field.rebuild_annotation()
        if name in not_null:
            annotation = _without_none(annotation)
        # Applied after the model's own constraints, so a column limit is added only
        # where it is tighter: a model's ``ge=0`` stays, a column's 32-bit bound joins it.
        limits = [limit for limit in column_limits(columns[name]) if not _implied(limit, field.metadata)]
        if limits or name in not_null or table:
            fields[name] = (with_metadata(annotation, limits), _copy(field))
    if table:
        name = f"{model.__name__}{role.capitalize()}"
        return create_model(name, __module__=model.__module__, __doc__=model.__doc__, **fields)
    if model.model_config.get("extra") == "allow":
        # A client sets only the fields the model declares, never any other column.
        config = {**model.model_config, "extra": "ignore"}
        model = type(model.__name__, (model,), {"model_config": config, "__module__": model.__module__})
    if not fields:
        return model
    return create_model(model.__name__, __base__=model, __module__=model.__module__, __doc__=model.__doc__, **fields)


def _copy(field: FieldInfo) -> FieldInfo:
    """A copy of a caller's field: pydantic before 2.11.7 merges metadata into the one it is given."""
    copied = copy.copy(field)
    copied.metadata = list(field.metadata)
    return copied


def key_check(column: Column[Any], python_type: type[Any]) -> TypeAdapter[Any]:
    """A validator of primary-key values that ``column`` could hold."""
    return TypeAdapter(with_metadata(python_type, column_limits(column)))


def fits(adapter: TypeAdapter[Any], value: Any) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True
