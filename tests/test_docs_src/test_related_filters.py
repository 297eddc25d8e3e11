"""docs_src/related_filters.py: what the "Filter through relationships" section says beyond
its exchanges (which test_pages replays): one statement, and the typed parameters."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from docs_src import related_filters
from tests.conftest import Backend
from tests.test_statements import statements


def test_a_filter_through_a_relationship_is_one_statement(serve: Callable[..., TestClient], backend: Backend) -> None:
    client = serve(related_filters)
    client.post("/teams/", json={"name": "Preventers", "headquarters": "Sharp Tower"})
    with statements(backend.teams.app_engine) as sent:
        assert client.get("/heroes/?team__name=Preventers&age__gte=18").json() == []
        assert client.get("/teams/?heroes__age__gte=18").json() == []
    assert sent == ["SELECT", "SELECT"]


def test_openapi_types_the_related_fields() -> None:
    schema = related_filters.app.openapi()
    heroes = {p["name"]: p["schema"] for p in schema["paths"]["/heroes/"]["get"]["parameters"]}
    teams = {p["name"]: p["schema"] for p in schema["paths"]["/teams/"]["get"]["parameters"]}
    assert heroes["team__name__icontains"]["type"] == "string"
    assert teams["heroes__age__gte"] == {"type": "integer", "maximum": 2147483647, "minimum": -2147483648,
        "title": "heroes__age__gte", "description": "heroes.age greater than or equal to, for a related row",
    }  # fmt: skip
    assert "heroes__name" not in teams  # only what the router names
