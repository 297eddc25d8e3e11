"""By default a client sees the tutorial's API: same paths, operation ids, summaries, schemas.

Compared against the tutorial's hand-written app (the benchmark's copy of it). sqlcrud
only adds: the error responses it can give (400, 404, 409, 503 and their ``ErrorMessage`` schema),
a 422 that is FastAPI's body or an ``ErrorMessage`` (``Invalid``), the delete answer's
schema (``Deleted``), a plain title for the list answer, ``minimum`` bounds on ``offset``
and ``limit``, and the column limits on request bodies.
"""

import copy
import json
import re
from typing import Any

from fastapi import FastAPI

import benchmarks.handwritten_sync
import examples.teams.app
import tests.tutorial_teams
from tests.conftest import Backend, hero_router
from tests.test_keys import country_router


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
    assert_same_api(ours, tutorial, {"HeroUpdate": ("name", "secret_name")})


def assert_same_api(ours: Any, tutorial: Any, not_null: dict[str, tuple[str, ...]]) -> None:
    """Equal but for what sqlcrud adds: error responses, bounds, links, and ``not_null``
    fields of update models, which a PATCH may leave out but not set to null."""
    ours, tutorial = copy.deepcopy(ours), copy.deepcopy(tutorial)  # FastAPI caches them
    for op in (op for path in ours["paths"].values() for op in path.values()):
        added = set(op["responses"]) - {"200", "422"}
        assert added <= {"400", "404", "409", "503"}
        for status in added:
            del op["responses"][status]
        invalid = op["responses"]["422"]["content"]["application/json"]
        assert invalid["schema"] == {"$ref": "#/components/schemas/Invalid"}
        invalid["schema"] = {"$ref": "#/components/schemas/HTTPValidationError"}
        answer = op["responses"]["200"]["content"]["application/json"]
        if answer["schema"] == {"$ref": "#/components/schemas/Deleted"}:
            answer["schema"] = {}
    for op in (op for document in (ours, tutorial) for path in document["paths"].values() for op in path.values()):
        answer = op["responses"]["200"]["content"]["application/json"]["schema"]
        if answer.get("type") == "array":  # FastAPI's title is "Response Read Heroes Heroes  Get"
            del answer["title"]
    for added_schema in ("ErrorMessage", "Invalid", "Deleted"):
        del ours["components"]["schemas"][added_schema]
    for model, fields in not_null.items():
        update = tutorial["components"]["schemas"][model]["properties"]
        for name in fields:
            update[name] = update[name]["anyOf"][0] | {"title": update[name]["title"]}
    added = {"minimum", "maximum", "maxLength", "pattern", "links"}
    assert without(ours, added) == without(tutorial, added)


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
        "maxLength": 676,  # an indexed column: what PostgreSQL's index can hold, on every database
        "pattern": "^[^\\u0000]*$",
        "title": "Name",
    }


def test_same_api_as_sqlmodels_team_tutorial() -> None:
    """``examples/teams``: two routers with ``read_model``, against the hand-written app."""
    assert_same_api(
        examples.teams.app.app.openapi(),
        tests.tutorial_teams.app.openapi(),
        {"HeroUpdate": ("name", "secret_name"), "TeamUpdate": ("id", "name", "headquarters")},
    )


def test_the_create_answer_links_to_the_row(backend: Backend) -> None:
    app = FastAPI()
    app.include_router(
        country_router(backend, create_status_code=201, routes=["create", "read", "delete"]), prefix="/v1"
    )
    document = app.openapi()
    links = document["paths"]["/v1/countries/"]["post"]["responses"]["201"]["links"]
    by_code = {"country_id": "$response.body#/code"}
    assert links == {
        "read_country": {"operationId": "read_country_countries__country_id__get", "parameters": by_code},
        "delete_country": {"operationId": "delete_country_countries__country_id__delete", "parameters": by_code},
    }
    ids = {op["operationId"] for path in document["paths"].values() for op in path.values()}
    assert {link["operationId"] for link in links.values()} <= ids


def test_what_a_generated_client_reads(backend: Backend) -> None:
    """No ``null`` for query parameters, the sort keys, both 422 bodies, the delete answer, plain titles."""
    schema = backend.app(
        hero_router(backend, filters=True, sort=True, cursor=True, count=True, create_status_code=201)
    ).openapi()
    parameters = schema["paths"]["/heroes/"]["get"]["parameters"]
    assert all('"type": "null"' not in json.dumps(p["schema"]) for p in parameters), parameters
    (sort,) = [p["schema"] for p in parameters if p["name"] == "sort"]
    pattern = re.compile(sort["pattern"])
    assert all(pattern.fullmatch(value) for value in ("name", "-age,name", " -id , age", ""))
    assert not any(pattern.fullmatch(value) for value in ("secret_name", "name,", "--age"))
    for operations in schema["paths"].values():
        for operation in operations.values():
            assert operation["responses"]["422"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Invalid"
            }
    deleted = schema["paths"]["/heroes/{hero_id}"]["delete"]["responses"]["200"]["content"]["application/json"]
    ok = schema["components"]["schemas"][deleted["schema"]["$ref"].split("/")[-1]]["properties"]["ok"]
    assert (ok["type"], ok["const"]) == ("boolean", True)
    titles = re.findall(r'"title": "([^"]*)"', json.dumps(schema))
    assert titles
    assert [title for title in titles if "  " in title] == []
