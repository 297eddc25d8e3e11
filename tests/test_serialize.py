"""Rows are written as FastAPI would write them through the public model, byte for byte."""

import datetime
import decimal
import uuid
from enum import Enum
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import BaseModel, Field, TypeAdapter, computed_field, field_serializer

from sqlcrud._related import Nested, Shape
from sqlcrud._serialize import Serializer


class Mood(str, Enum):
    happy = "happy"
    grumpy = "grumpy"


class Everything(BaseModel):
    id: uuid.UUID
    name: str
    score: float
    price: decimal.Decimal
    born: datetime.date
    seen: datetime.datetime
    alarm: datetime.time
    mood: Mood
    active: bool
    nickname: str | None
    count: int = Field(ge=0)


ROWS: list[dict[str, Any]] = [
    {
        "id": uuid.UUID(int=i),
        "name": f'É {i} 東京 " \\ \n',
        "score": i / 3,
        "price": decimal.Decimal("12.50"),
        "born": datetime.date(2000, 1, 1 + i),
        "seen": datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.UTC if i else None),
        "alarm": datetime.time(6, 30),
        "mood": Mood.happy if i else "grumpy",
        "active": bool(i),
        "nickname": None if i else "x",
        "count": i,
    }
    for i in range(3)
]


def reference(model: type[BaseModel], rows: list[dict[str, Any]]) -> bytes:
    """What FastAPI sends for a response_model: validate, then dump by alias."""
    adapter = TypeAdapter(list[model])  # type: ignore[valid-type]
    return adapter.dump_json(adapter.validate_python(rows), by_alias=True)


def test_plain_models_skip_validation_and_write_the_same_bytes() -> None:
    serializer = Serializer(Shape(Everything, tuple(Everything.model_fields)))
    assert not serializer.validates
    assert serializer.many(ROWS) == reference(Everything, ROWS)
    assert serializer.one(ROWS[1]) == reference(Everything, ROWS[1:2])[1:-1]


class Aliased(BaseModel):
    name: str = Field(serialization_alias="Name")


class Serialized(BaseModel):
    name: str

    @field_serializer("name")
    def shout(self, name: str) -> str:
        return name.upper()


class Computed(BaseModel):
    name: str

    @computed_field  # type: ignore[prop-decorator]
    @property
    def length(self) -> int:
        return len(self.name)


class Defaulted(BaseModel):
    name: str
    rank: str = "rookie"


@pytest.mark.parametrize("model", [Aliased, Serialized, Computed, Defaulted])
def test_models_that_change_their_output_are_validated(model: type[BaseModel]) -> None:
    serializer = Serializer(Shape(model, ("name",)))
    assert serializer.validates
    rows = [{"name": "ann"}, {"name": "bob"}]
    assert serializer.many(rows) == reference(model, rows)


class Inner(BaseModel):
    id: int
    name: str


class Outer(BaseModel):
    id: int
    one: Inner | None = None
    many: list[Inner] = Field(default_factory=list)


def test_nested_plain_models_write_the_same_bytes() -> None:
    inner = Shape(Inner, ("id", "name"))
    nested = (Nested("one", False, inner, sa.select()), Nested("many", True, inner, sa.select()))
    serializer = Serializer(Shape(Outer, ("id",), "id", nested))
    assert not serializer.validates
    rows = [
        {"id": 1, "one": {"id": 2, "name": "É"}, "many": [{"id": 3, "name": "a"}, {"id": 4, "name": "b"}]},
        {"id": 5, "one": None, "many": []},
    ]
    assert serializer.many(rows) == reference(Outer, rows)
