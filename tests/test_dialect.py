"""The admin front ends' dialects through HTTP, in process, on every backend: their list
queries, ``id`` for a key of another name, ``Content-Range``, PUT, the deleted row, and
error bodies with a ``message``. (``test_admin`` runs the providers themselves.)"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from examples.admin import app as example
from examples.admin.models import Author, AuthorCreate, AuthorPublic, AuthorUpdate
from sqlcrud import crud_router
from sqlcrud.testing import check
from tests.conftest import Backend


@pytest.fixture
def client(backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.chdir(tmp_path)  # the lifespan creates the example's tables in admin.db
    example.app.dependency_overrides[example.get_session] = backend.admin.session
    try:
        with TestClient(example.app) as client:
            for login in ("ann", "bob", "Cid"):
                client.post("/ra/authors", json={"login": login, "name": login.title()})
            for i in range(12):
                post = {"title": f"Post {i:02}", "views": i * 10, "published": i % 2 == 0, "author_login": "ann"}
                client.post("/ra/posts", json=post if i < 6 else {**post, "author_login": "bob"})
            yield client
    finally:
        example.app.dependency_overrides.clear()


def ids(response: Any) -> list[Any]:
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()]


def test_react_admin_lists(client: TestClient) -> None:
    page = client.get('/ra/posts?sort=["views","DESC"]&range=[0,4]&filter={"published":true}')
    assert (ids(page), page.headers["content-range"], page.headers["x-total-count"]) == (
        [11, 9, 7, 5, 3], "posts 0-4/6", "6",
    )  # fmt: skip
    second = client.get('/ra/posts?sort=["views","DESC"]&range=[5,9]&filter={"published":true}')
    assert (ids(second), second.headers["content-range"]) == ([1], "posts 5-5/6")
    empty = client.get('/ra/posts?filter={"title":"none"}')
    assert (ids(empty), empty.headers["content-range"]) == ([], "posts */0")
    assert ids(client.get('/ra/posts?filter={"id":[12,1,3]}')) == [1, 3, 12]  # getMany: every id, no range
    assert ids(client.get('/ra/posts?filter={"views_gte":50,"views_lt":70,"author_login":"ann"}')) == [6]
    assert ids(client.get('/ra/posts?filter={"q":"post 1"}&sort=["id","ASC"]')) == [11, 12]
    assert ids(client.get('/ra/authors?sort=["id","ASC"]')) == ["Cid", "ann", "bob"]  # by code point
    assert ids(client.get('/ra/authors?filter={"id":["bob","ann"]}')) == ["ann", "bob"]


def test_refine_lists(client: TestClient) -> None:
    page = client.get("/refine/posts?_start=2&_end=5&_sort=author_login,views&_order=desc,asc")
    assert (ids(page), page.headers["x-total-count"]) == ([9, 10, 11], "12")
    assert "content-range" not in page.headers
    assert ids(client.get("/refine/posts?id=3&id=1")) == [1, 3]
    assert ids(client.get("/refine/posts?id=3")) == [3]
    assert ids(client.get("/refine/posts?views_gte=30&views_lte=50&views_ne=40")) == [4, 6]
    assert ids(client.get("/refine/posts?title_like=ST%2001")) == [2]  # case-insensitive substring
    assert ids(client.get("/refine/authors?q=CI")) == ["Cid"]


@pytest.mark.parametrize(
    ("url", "where"),
    [
        ('/ra/posts?sort=["views"]', ["query", "sort", 1]),
        ('/ra/posts?sort=["nope","ASC"]', ["query", "sort", 0]),
        ("/ra/posts?range=[5,1]", ["query", "range"]),
        ("/ra/posts?range=[0,500]", ["query", "range"]),
        ("/ra/posts?range=oops", ["query", "range"]),
        ('/ra/posts?filter={"views":"many"}', ["query", "filter", "views"]),
        ('/ra/posts?filter={"nope":1}', ["query", "filter", "nope"]),
        ("/ra/posts?filter=[1]", ["query", "filter"]),
        ('/ra/posts?filter={"id":[' + ",".join(["1"] * 101) + "]}", ["query", "filter", "id"]),
        ("/ra/posts?range=[0,1]&range=[0,2]", ["query", "range"]),
        ("/ra/posts?limit=5", ["query", "limit"]),
        ('/ra/posts?embed=["author"]', ["query", "embed"]),
        ("/refine/posts?_start=-1", ["query", "_start"]),
        ("/refine/posts?_start=5&_end=2", ["query", "_end"]),
        ("/refine/posts?_start=0&_end=500", ["query", "_end"]),
        ("/refine/posts?_sort=views&_order=up", ["query", "_order"]),
        ("/refine/posts?_sort=nope", ["query", "sort"]),
        ("/refine/posts?views_gte=x", ["query", "views_gte"]),
        ("/refine/posts?views_gte=1&views_gte=2", ["query", "views_gte"]),
        ("/refine/posts?nope=1", ["query", "nope"]),
        ("/refine/posts?q=" + "x" * 201, ["query", "q"]),
    ],
)
def test_bad_dialect_values_are_422s_naming_them(client: TestClient, url: str, where: list[Any]) -> None:
    response = client.get(url)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert any(error["loc"][: len(where)] == where for error in detail), detail
    assert response.json()["message"].startswith(".".join(map(str, detail[0]["loc"])))


def test_put_takes_the_whole_record_and_delete_answers_the_row(client: TestClient) -> None:
    record = client.get("/ra/posts/2").json()
    assert record == {"title": "Post 01", "views": 10, "published": False, "author_login": "ann", "id": 2}
    changed = client.put("/ra/posts/2", json={**record, "title": "Edited", "nested": {"ignored": True}})
    assert changed.json() == {**record, "title": "Edited"}
    assert client.put("/ra/posts/2", json={"views": 11}).json()["title"] == "Edited"  # what is left out stays
    refused = client.put("/ra/posts/2", json={**record, "id": 3})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "id"]
    assert client.put("/ra/authors/ann", json={"id": "ann", "login": "ann", "name": "Annie"}).json()["name"] == "Annie"
    assert client.put("/ra/authors/ann", json={"login": "bob"}).status_code == 422
    missing = client.put("/ra/posts/99", json={"title": "x"})
    assert missing.json() == {"detail": "Post not found", "message": "Post not found"}
    deleted = client.delete("/refine/posts/2")
    assert deleted.json() == {**record, "title": "Edited", "views": 11}
    assert client.get("/refine/posts/2").status_code == 404
    conflict = client.delete("/ra/authors/ann")  # posts still name ann
    assert conflict.status_code == 409
    assert conflict.json()["message"] == conflict.json()["detail"]


def test_collections_answer_without_a_trailing_slash(client: TestClient) -> None:
    assert client.get("/ra/posts", params={"range": "[0,0]"}).status_code == 200
    schema = example.app.openapi()["paths"]
    assert {"/ra/posts", "/ra/posts/{post_id}", "/refine/authors", "/refine/authors/{author_id}"} <= set(schema)
    assert "/ra/posts/" not in schema
    listed = schema["/ra/posts"]["get"]
    assert [p["name"] for p in listed["parameters"]] == ["sort", "range", "filter"]
    assert set(listed["responses"]["200"]["headers"]) == {"X-Total-Count", "Content-Range"}
    assert "put" in schema["/refine/posts/{post_id}"]
    author = example.app.openapi()["components"]["schemas"]["AuthorPublic"]
    assert set(author["required"]) == {"login", "name", "id"}
    # The item path with an empty key is a missing row, not a redirect to the collection.
    for method in ("GET", "PATCH", "PUT", "DELETE"):
        answer = client.request(method, "/refine/authors/", json={"name": "x"}, follow_redirects=False)
        assert (answer.status_code, answer.json()) == (
            404,
            {"detail": "Author not found", "message": "Author not found"},
        )


def test_dialects_are_checked_when_built(backend: Backend) -> None:
    def build(**options: Any) -> Any:
        return crud_router(Author, AuthorCreate, AuthorPublic, AuthorUpdate, session=backend.session, **options)

    for options, message in (
        ({"dialect": "django"}, "dialect must be one of react-admin, refine"),
        ({"dialect": "refine", "etag": True}, "do not take etag"),
        ({"search": ["nope"]}, "search: 'nope' is not a column field"),
        ({"dialect": "react-admin", "filters": True, "or_groups": True}, "cannot take or_groups=True"),
    ):
        with pytest.raises(ValueError, match=message):
            build(**options)


def test_the_conformance_kit_finds_no_failure(client: TestClient) -> None:
    """The kit's list walks speak sqlcrud's own query, which the dialects do not: it notes
    that and checks the rest (round trips, hostile input, schemathesis)."""
    report = check(example.app, max_examples=5)
    assert not report.failures, report
    assert len(report.routes) == 2 * 2 * 6  # two dialects, two tables, six routes (PUT too)


@pytest.mark.parametrize(
    ("dialect", "query"),
    [
        ("react-admin", {"filter": json.dumps({"team__name": "Preventers"})}),
        ("react-admin", {"filter": json.dumps({"team__name_q": "PREVENT"})}),
        ("refine", {"team__name": "Preventers"}),
        ("refine", {"team__name_like": "PREVENT"}),
    ],
)
def test_filters_through_relationships_speak_the_dialect(backend: Backend, dialect: str, query: Any) -> None:
    from examples.teams.models import Hero, HeroCreate, HeroPublic, HeroUpdate, Team, TeamCreate, TeamPublic

    teams = backend.teams
    heroes = crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=teams.session, dialect=dialect,
        filters=["team__name"])  # fmt: skip
    with teams.client(heroes, crud_router(Team, TeamCreate, TeamPublic, TeamCreate, session=teams.session)) as client:
        client.post("/teams/", json={"name": "Preventers", "headquarters": "Sharp Tower"})
        client.post("/heroes", json={"name": "Rusty-Man", "secret_name": "Tommy Sharp", "team_id": 1})
        client.post("/heroes", json={"name": "Deadpond", "secret_name": "Dive Wilson"})
        assert ids(client.get("/heroes", params=query)) == [1]


def test_put_takes_read_only_fields_with_constraints(backend: Backend) -> None:
    """A read-only field whose public model constrains it (``max_length``) is accepted
    with the row's value and refused with another, as any read-only field."""
    from sqlmodel import Field, SQLModel

    from examples.admin.models import Post, PostCreate

    class PostLimited(SQLModel):
        id: int
        title: str = Field(max_length=200)
        views: int

    class PostViews(SQLModel):
        views: int | None = None

    admin = backend.admin
    authors = crud_router(Author, AuthorCreate, AuthorPublic, AuthorUpdate, session=admin.session)
    posts = crud_router(Post, PostCreate, PostLimited, PostViews, session=admin.session, put=True)
    with admin.client(authors, posts) as client:
        client.post("/authors/", json={"login": "ann", "name": "Ann"})
        client.post("/posts/", json={"title": "First", "author_login": "ann"})
        assert client.put("/posts/1", json={"id": 1, "title": "First", "views": 5}).json()["views"] == 5
        refused = client.put("/posts/1", json={"title": "Other", "views": 6})
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"] == ["body", "title"]
