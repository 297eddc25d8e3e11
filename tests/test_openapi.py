"""By default a client sees the tutorial's API: same paths, operation ids, summaries, schemas.

Compared against the tutorial's hand-written app (the benchmark's copy of it). sqlcrud
only adds: the error responses it can give (400, 404, 409, 503 and their ``ErrorMessage`` schema),
``minimum`` bounds on ``offset`` and ``limit``, and the column limits on request bodies.
"""

from typing import Any

from fastapi import FastAPI

import benchmarks.handwritten_sync
from tests.conftest import Backend, hero_router


def without(document: Any, keys: set[str]) -> Any:
    if isinstance(document, dict):
        return {k: without(v, keys) for k, v in document.items() if k not in keys}
    if isinstance(document, list):
        return [without(v, keys) for v in document]
    return document


def test_same_api_as_the_tutorial(backend: Backend) -> None:
    app = FastAPI()
    app.include_router(hero_router(backend))
    ours = app.openapi()
    tutorial = benchmarks.handwritten_sync.app.openapi()

    operations = [op for path in ours["paths"].values() for op in path.values()]
    assert {op["operationId"]: op["summary"] for op in operations} == {
        "create_hero_heroes__post": "Create Hero",
        "read_heroes_heroes__get": "Read Heroes",
        "read_hero_heroes__hero_id__get": "Read Hero",
        "update_hero_heroes__hero_id__patch": "Update Hero",
        "delete_hero_heroes__hero_id__delete": "Delete Hero",
    }
    for op in operations:
        added = set(op["responses"]) - {"200", "422"}
        assert added <= {"400", "404", "409", "503"}
        for status in added:
            del op["responses"][status]
    del ours["components"]["schemas"]["ErrorMessage"]
    # PATCH may leave out a NOT NULL column but not set it to null: not nullable here.
    update = tutorial["components"]["schemas"]["HeroUpdate"]["properties"]
    for name in ("name", "secret_name"):
        update[name] = {"type": "string", "title": update[name]["title"]}
    bounds = {"minimum", "maximum", "pattern"}
    assert without(ours, bounds) == without(tutorial, bounds)


def test_limits_shown_in_openapi(backend: Backend) -> None:
    app = FastAPI()
    app.include_router(hero_router(backend))
    schemas = app.openapi()["components"]["schemas"]
    age = {"anyOf": [{"type": "integer", "maximum": 2**31 - 1, "minimum": -(2**31)}, {"type": "null"}]}
    assert schemas["HeroCreate"]["properties"]["age"]["anyOf"] == age["anyOf"]
    assert schemas["HeroUpdate"]["properties"]["age"]["anyOf"] == age["anyOf"]
    # PATCH may leave ``name`` out, but not set the NOT NULL column to null.
    assert schemas["HeroUpdate"]["properties"]["name"] == {
        "type": "string",
        "pattern": "^[^\\u0000]*$",
        "title": "Name",
    }
