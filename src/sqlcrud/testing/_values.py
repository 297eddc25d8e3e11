"""Valid values for a JSON Schema, distinct for each ``n``: the bodies a check sends first.

Only what OpenAPI says about a field is used, so any model works; a value the app still
refuses (a custom validator, a pattern) sends the check to schemathesis' generator instead.
"""

import uuid
from typing import Any

Schema = dict[str, Any]


class Schemas:
    """The components of an OpenAPI document, to resolve ``$ref``."""

    def __init__(self, openapi: dict[str, Any]) -> None:
        self.components = openapi.get("components", {}).get("schemas", {})

    def resolve(self, schema: Schema) -> Schema:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def branch(self, schema: Schema) -> Schema:
        """The schema itself, or the first branch of an ``anyOf`` that is not null."""
        schema = self.resolve(schema)
        choices: list[Schema] = schema.get("anyOf") or schema.get("oneOf") or []
        for choice in choices:
            if self.resolve(choice).get("type") != "null":
                return self.branch(choice)
        return schema

    def nullable(self, schema: Schema) -> bool:
        schema = self.resolve(schema)
        return any(self.resolve(choice).get("type") == "null" for choice in schema.get("anyOf", ()))

    def properties(self, schema: Schema) -> dict[str, Schema]:
        return dict(self.resolve(schema).get("properties", {}))

    def body(self, operation: dict[str, Any]) -> Schema | None:
        """The body of one row: with ``bulk=True`` a create takes an array of them too."""
        content = operation.get("requestBody", {}).get("content", {})
        schema: Schema | None = content.get("application/json", {}).get("schema")
        return None if schema is None else self.branch(schema)

    def value(self, schema: Schema, n: int) -> Any:
        """A valid value, different for each ``n`` where the type allows it."""
        schema = self.branch(schema)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return schema["enum"][n % len(schema["enum"])]
        kind = schema.get("type")
        if kind == "string":
            return _text(schema, n)
        if kind == "integer":
            return int(_number(schema, n))
        if kind == "number":
            return _number(schema, n) + 0.5
        if kind == "boolean":
            return n % 2 == 1
        if kind == "array":
            return [self.value(schema.get("items", {}), n + i) for i in range(schema.get("minItems", 0))]
        if kind == "object" or "properties" in schema:
            return self.instance(schema, n, every=False)
        return f"value {n}"

    def instance(self, schema: Schema, n: int, *, every: bool = True) -> dict[str, Any]:
        """An object of the schema: every property (``every``), or just the required ones."""
        schema = self.resolve(schema)
        required = set(schema.get("required", ()))
        return {
            name: self.value(property_schema, n)
            for name, property_schema in self.properties(schema).items()
            if every or name in required
        }


def _number(schema: Schema, n: int) -> float:
    """Each ``n`` its own number; every third one at the schema's bound, where it has one."""
    low = schema.get("minimum", schema.get("exclusiveMinimum", -(10**6)) + 1)
    high = schema.get("maximum", schema.get("exclusiveMaximum", 10**6) - 1)
    low, high = max(low, -(10**6)), min(high, 10**6)
    if n % 3 == 1 and "maximum" in schema:
        return float(high)
    if n % 3 == 2 and "minimum" in schema:
        return float(low)
    return float(low + (n * 7919 + 1) % max(1, int(high - low)))


def _text(schema: Schema, n: int) -> str:
    fmt = schema.get("format")
    day = 1 + n % 28
    if fmt == "date-time":
        return f"2024-05-{day:02d}T06:{n % 60:02d}:00Z"
    if fmt == "date":
        return f"2024-05-{day:02d}"
    if fmt == "time":
        return f"06:{n % 60:02d}:00"
    if fmt == "uuid":
        return str(uuid.UUID(int=n + 1))
    if fmt == "email":
        return f"user{n}@example.com"
    if fmt in ("uri", "url"):
        return f"https://example.com/{n}"
    low, high = schema.get("minLength", 1), schema.get("maxLength", 24)
    text = [f"check {n}", f"a {n} Zebra", f"Ünï {n} ok"][n % 3]  # ASCII and not, both cases
    if len(text) > high:
        text = _base36(n)[-high:]
    return text.ljust(low, "x")


def _base36(n: int) -> str:
    digits = ""
    while True:
        n, digit = divmod(n, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
        if n == 0:
            return digits
