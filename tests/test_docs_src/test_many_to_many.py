"""docs_src/many_to_many.py: a course's read nests the students its link rows name."""

from collections.abc import Callable

import sqlalchemy as sa
from fastapi.testclient import TestClient

from docs_src import many_to_many
from tests.conftest import Backend


def test_a_course_nests_its_students(serve: Callable[..., TestClient], backend: Backend) -> None:
    client = serve(many_to_many)
    assert client.post("/courses/", json={"title": "Flying"}).json() == {"id": 1, "title": "Flying"}
    client.post("/courses/", json={"title": "Diving"})
    for name in ("Ann", "Bob", "Cid"):
        client.post("/students/", json={"name": name})
    with backend.engine.begin() as connection:  # the link rows: written by the app's own code
        connection.execute(
            sa.insert(many_to_many.Enrollment),
            [{"course_id": 1, "student_id": 3}, {"course_id": 1, "student_id": 1}, {"course_id": 2, "student_id": 2}],
        )
    flying = client.get("/courses/1").json()
    assert flying == {"id": 1, "title": "Flying", "students": [{"id": 1, "name": "Ann"}, {"id": 3, "name": "Cid"}]}
    assert client.get("/courses/2").json()["students"] == [{"id": 2, "name": "Bob"}]
    assert client.get("/courses/").json() == [{"id": 1, "title": "Flying"}, {"id": 2, "title": "Diving"}]
    assert client.delete("/students/2").status_code == 409  # still enrolled: the foreign key holds


def test_the_link_rows_have_a_router_of_their_own(serve: Callable[..., TestClient]) -> None:
    client = serve(many_to_many)
    client.post("/courses/", json={"title": "Flying"})
    client.post("/students/", json={"name": "Ann"})
    enrolled = client.post("/enrollments/", json={"course_id": 1, "student_id": 1})
    assert enrolled.json() == {"course_id": 1, "student_id": 1}
    assert client.get("/courses/1").json()["students"] == [{"id": 1, "name": "Ann"}]
    assert client.post("/enrollments/", json={"course_id": 1, "student_id": 1}).status_code == 409
    assert client.post("/enrollments/", json={"course_id": 1, "student_id": 9}).status_code == 409
    assert client.delete("/enrollments/1/1").json() == {"ok": True}
    assert client.get("/courses/1").json()["students"] == []
    assert client.get("/enrollments/1/1").status_code == 404
