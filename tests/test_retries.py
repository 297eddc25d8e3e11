"""A serialization failure or a deadlock is run again, a bounded number of times.

The database raises them here from a trigger that fails the first N attempts: a sequence
counts the attempts, since ``nextval`` is not rolled back with the failed transaction.
MariaDB's trigger signals the error number of the real failure (a deadlock is 1213).
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


FLAKY_MARIADB = """
CREATE SEQUENCE sqlcrud_attempts NOCACHE;
CREATE TRIGGER sqlcrud_flaky BEFORE UPDATE ON hero FOR EACH ROW
BEGIN
    IF NEXTVAL(sqlcrud_attempts) <= {failures} THEN
        SIGNAL SQLSTATE '{sqlstate}' SET MYSQL_ERRNO = {errno}, MESSAGE_TEXT = 'made to fail';
    END IF;
END
"""
# MariaDB's (SQLSTATE, error number) standing for these: a deadlock; an error that gives
# only the SQLSTATE of a serialization failure (1644 is SIGNAL's own); too many connections.
MARIADB_ERROR = {"40001": ("40001", 1213), "40P01": ("40001", 1644), "53300": ("HY000", 1040)}


@contextmanager
def failing(backend: Backend, failures: int, sqlstate: str) -> Iterator[list[int]]:
    """UPDATEs of heroes fail ``failures`` times with ``sqlstate``; yields the attempt count."""
    attempts: list[int] = []
    with backend.engine.begin() as connection:
        if backend.is_mariadb:
            sequence, trigger = FLAKY_MARIADB.split(";", 1)
            connection.exec_driver_sql(sequence)
            state, errno = MARIADB_ERROR[sqlstate]
            connection.exec_driver_sql(trigger.format(failures=failures, sqlstate=state, errno=errno))
        else:
            connection.exec_driver_sql(FLAKY.format(failures=failures, sqlstate=sqlstate))
    try:
        yield attempts
    finally:
        with backend.engine.begin() as connection:
            if backend.is_mariadb:
                last = "SELECT next_not_cached_value - 1 FROM sqlcrud_attempts"
                attempts.append(connection.execute(sa.text(last)).scalar_one())
                connection.exec_driver_sql("DROP TRIGGER sqlcrud_flaky")
                connection.exec_driver_sql("DROP SEQUENCE sqlcrud_attempts")
            else:
                attempts.append(connection.execute(sa.text("SELECT last_value FROM sqlcrud_attempts")).scalar_one())
                connection.exec_driver_sql(
                    "DROP TRIGGER sqlcrud_flaky ON hero; DROP FUNCTION sqlcrud_flaky; DROP SEQUENCE sqlcrud_attempts"
                )


# SQLite has neither: its writers take turns.
on_servers = pytest.mark.parametrize("backend", ["pg_sync", "pg_async", "mariadb_sync", "mariadb_async"], indirect=True)


@on_servers
@pytest.mark.parametrize("sqlstate", ["40001", "40P01"])
def test_run_again_until_it_succeeds(backend: Backend, sqlstate: str) -> None:
    with backend.client() as client:
        client.post("/heroes/", json={"name": "Deadpond", "secret_name": "Dive Wilson"})
        with failing(backend, RETRIES, sqlstate) as attempts:
            response = client.patch("/heroes/1", json={"age": 30})
        assert (response.status_code, response.json()["age"]) == (200, 30)
        assert attempts == [RETRIES + 1]


@on_servers
def test_then_a_503(backend: Backend) -> None:
    with backend.client() as client:
        client.post("/heroes/", json={"name": "Deadpond", "secret_name": "Dive Wilson"})
        with failing(backend, RETRIES + 1, "40001") as attempts:
            response = client.patch("/heroes/1", json={"age": 30})
        assert (response.status_code, response.headers["retry-after"]) == (503, "1")
        assert attempts == [RETRIES + 1]
        assert client.get("/heroes/1").json()["age"] is None  # nothing written


@on_servers
def test_other_outages_are_not_run_again(backend: Backend) -> None:
    with backend.client() as client:
        client.post("/heroes/", json={"name": "Deadpond", "secret_name": "Dive Wilson"})
        with failing(backend, 1, "53300") as attempts:  # too many connections
            assert client.patch("/heroes/1", json={"age": 30}).status_code == 503
        assert attempts == [1]
