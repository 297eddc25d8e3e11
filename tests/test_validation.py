"""Bad input gets a 4xx, writes nothing, and the next request works: on every backend."""

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Backend

DEADPOND = {"name": "Deadpond", "secret_name": "Dive Wilson", "age": 30}
INT32_MAX = 2**31 - 1


@pytest.fixture
def hero(client: TestClient) -> dict[str, object]:
    body: dict[str, object] = client.post("/heroes/", json=DEADPOND).json()
    return body


def assert_unchanged(client: TestClient, hero: dict[str, object]) -> None:
    assert client.get("/heroes/").json() == [hero]


@pytest.mark.parametrize(
    ("query", "field", "type_"),
    [
        ("limit=-1", "limit", "greater_than_equal"),
        ("limit=101", "limit", "less_than_equal"),
        ("offset=-1", "offset", "greater_than_equal"),
        (f"offset={2**63}", "offset", "less_than_equal"),
        ("limit=ten", "limit", "int_parsing"),
        ("offset=1.5", "offset", "int_parsing"),
    ],
)
def test_bad_page_parameters_are_422(
    client: TestClient, hero: dict[str, object], query: str, field: str, type_: str
) -> None:
    response = client.get(f"/heroes/?{query}")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["loc"], error["type"]) == (["query", field], type_)


def test_largest_offset_is_an_empty_page(client: TestClient, hero: dict[str, object]) -> None:
    assert client.get(f"/heroes/?offset={2**63 - 1}").json() == []


@pytest.mark.parametrize("hero_id", [2**31, -(2**31) - 1, 2**63, -(2**63) - 1, 2**70, 0, -1])
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_ids_no_row_can_have_are_404(client: TestClient, hero: dict[str, object], hero_id: int, method: str) -> None:
    response = client.request(method, f"/heroes/{hero_id}", json={"name": "x"} if method == "PATCH" else None)
    assert (response.status_code, response.json()) == (404, {"detail": "Hero not found"})
    assert_unchanged(client, hero)


def test_non_integer_id_is_422(client: TestClient) -> None:
    response = client.get("/heroes/abc")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "hero_id"]


@pytest.mark.parametrize(
    ("age", "type_", "ctx"),
    [
        (INT32_MAX + 1, "less_than_equal", {"le": INT32_MAX}),
        (-INT32_MAX - 2, "greater_than_equal", {"ge": -INT32_MAX - 1}),
        (2**63, "less_than_equal", {"le": INT32_MAX}),
        (2**70, "less_than_equal", {"le": INT32_MAX}),
    ],
)
def test_integers_outside_the_column_type_are_422(
    client: TestClient, hero: dict[str, object], age: int, type_: str, ctx: dict[str, int]
) -> None:
    for response in (
        client.post("/heroes/", json={**DEADPOND, "age": age}),
        client.patch("/heroes/1", json={"age": age}),
    ):
        assert response.status_code == 422
        assert response.json() == {
            "detail": [
                {
                    "type": type_,
                    "loc": ["body", "age"],
                    "msg": response.json()["detail"][0]["msg"],
                    "input": age,
                    "ctx": ctx,
                }
            ]
        }
    assert_unchanged(client, hero)


def test_integer_bounds_are_accepted(client: TestClient, hero: dict[str, object]) -> None:
    assert client.patch("/heroes/1", json={"age": INT32_MAX}).json()["age"] == INT32_MAX
    assert client.post("/heroes/", json={**DEADPOND, "age": -INT32_MAX - 1}).json()["age"] == -INT32_MAX - 1


def test_patch_null_on_not_null_column_is_422(client: TestClient, hero: dict[str, object]) -> None:
    response = client.patch("/heroes/1", json={"name": None, "age": 31})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "string_type",
                "loc": ["body", "name"],
                "msg": "Input should be a valid string",
                "input": None,
            }
        ]
    }
    assert_unchanged(client, hero)


@pytest.mark.parametrize("text", [r"nul\u0000byte", r"lone \ud800 surrogate"])
def test_text_no_database_can_store_is_422(client: TestClient, hero: dict[str, object], text: str) -> None:
    body = f'{{"name": "{text}", "secret_name": "s"}}'
    for response in (
        client.post("/heroes/", content=body, headers={"content-type": "application/json"}),
        client.patch("/heroes/1", content=body, headers={"content-type": "application/json"}),
    ):
        assert response.status_code == 422
        [error] = response.json()["detail"]
        assert (error["type"], error["loc"]) == ("string_unicode", ["body", "name"])
    assert_unchanged(client, hero)


def test_lone_surrogates_in_any_invalid_input_are_422(client: TestClient) -> None:
    body = r'{"name": "x", "secret_name": "s", "age": "\ud800"}'
    response = client.post("/heroes/", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["input"] == "\\ud800"


def test_unicode_text_round_trips(client: TestClient) -> None:
    created = client.post("/heroes/", json={"name": "Élodie 🦸 東京", "secret_name": "s"}).json()
    assert client.get(f"/heroes/{created['id']}").json()["name"] == "Élodie 🦸 東京"


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[]", b'"hero"', b'{"name": 5, "secret_name": "s"}', b'{"name": "x"}', b""],
)
def test_malformed_bodies_are_422(client: TestClient, hero: dict[str, object], body: bytes) -> None:
    headers = {"content-type": "application/json"}
    assert client.post("/heroes/", content=body, headers=headers).status_code == 422
    if body != b'{"name": "x"}':  # a valid partial update
        assert client.patch("/heroes/1", content=body, headers=headers).status_code == 422
    client.patch("/heroes/1", json=DEADPOND)
    assert_unchanged(client, hero)


def test_errors_leave_the_session_usable(client: TestClient, hero: dict[str, object]) -> None:
    for _ in range(3):
        assert client.patch("/heroes/1", json={"age": 2**40}).status_code == 422
        assert client.post("/heroes/", json={**DEADPOND, "age": 2**40}).status_code == 422
    assert client.post("/heroes/", json=DEADPOND).status_code == 200


def test_model_constraints_apply_on_create_and_patch(backend: Backend) -> None:
    from tests.test_keys import gadget_router

    with backend.client(gadget_router(backend)) as client:
        gadget = {"serial": "s1", "color": "red", "made_on": "2024-01-02", "price": 1.5}
        created = client.post("/gadgets/", json=gadget).json()
        bad = [
            {"price": -1},
            {"color": "purple"},
            {"serial": "x" * 41},
            {"made_on": "2024-13-01"},
            {"stock": 2**15},
            {"stock": -1},
        ]
        for body in bad:
            assert client.post("/gadgets/", json={**gadget, "serial": "s2", **body}).status_code == 422, body
            assert client.patch(f"/gadgets/{created['id']}", json=body).status_code == 422, body
        assert client.get("/gadgets/").json() == [created]
