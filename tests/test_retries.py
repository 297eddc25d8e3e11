"""A serialization failure or a deadlock is run again, a bounded number of times.

PostgreSQL raises them here from a trigger that fails the first N attempts: a sequence
counts the attempts, since ``nextval`` is not rolled back with the failed transaction.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from sqlcrud._errors import RETRIES
from tests.conftest import Backend

FLAKY = """
CREATE SEQUENCE sqlcrud_attempts;
CREATE FUNCTION sqlcrud_flaky() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF nextval('sqlcrud_attempts') <= TG_ARGV[0]::int THEN
        RAISE EXCEPTION 'made to fail' USING ERRCODE = TG_ARGV[1];
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER sqlcrud_flaky BEFORE UPDATE ON hero
    FOR EACH ROW EXECUTE FUNCTION sqlcrud_flaky({failures}, '{sqlstate}');
"""


@contextmanager
def failing(backend: Backend, failures: int, sqlstate: str) -> Iterator[list[int]]:
    """UPDATEs of heroes fail ``failures`` times with ``sqlstate``; yields the attempt count."""
    attempts: list[int] = []
    with backend.engine.begin() as connection:
        connection.exec_driver_sql(FLAKY.format(failures=failures, sqlstate=sqlstate))
    try:
        yield attempts
    finally:
        with backend.engine.begin() as connection:
            attempts.append(connection.execute(sa.text("SELECT last_value FROM sqlcrud_attempts")).scalar_one())
            connection.exec_driver_sql(
                "DROP TRIGGER sqlcrud_flaky ON hero; DROP FUNCTION sqlcrud_flaky; DROP SEQUENCE sqlcrud_attempts"
            )


# SQLSTATE 40001 and 40P01 are PostgreSQL's.
on_postgres = pytest.mark.parametrize("backend", ["pg_sync", "pg_async"], indirect=True)


@on_postgres
@pytest.mark.parametrize("sqlstate", ["40001", "40P01"])
def test_run_again_until_it_succeeds(backend: Backend, sqlstate: str) -> None:
    with backend.client() as client:
        client.post("/heroes/", json={"name": "Deadpond", "secret_name": "Dive Wilson"})
        with failing(backend, RETRIES, sqlstate) as attempts:
            response = client.patch("/heroes/1", json={"age": 30})
        assert (response.status_code, response.json()["age"]) == (200, 30)
        assert attempts == [RETRIES + 1]


@on_postgres
def test_then_a_503(backend: Backend) -> None:
    with backend.client() as client:
        client.post("/heroes/", json={"name": "Deadpond", "secret_name": "Dive Wilson"})
        with failing(backend, RETRIES + 1, "40001") as attempts:
            response = client.patch("/heroes/1", json={"age": 30})
        assert (response.status_code, response.headers["retry-after"]) == (503, "1")
        assert attempts == [RETRIES + 1]
        assert client.get("/heroes/1").json()["age"] is None  # nothing written


@on_postgres
def test_other_outages_are_not_run_again(backend: Backend) -> None:
    with backend.client() as client:
        client.post("/heroes/", json={"name": "Deadpond", "secret_name": "Dive Wilson"})
        with failing(backend, 1, "53300") as attempts:  # too many connections
            assert client.patch("/heroes/1", json={"age": 30}).status_code == 503
        assert attempts == [1]
