"""Four uvicorn worker processes on one PostgreSQL: whatever worker answers, cursors and
ETags hold, an If-Match race has one winner, and the pools stay within their sizes."""

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx
import pytest
import sqlalchemy as sa

from tests.conftest import Backend
from tests.pgserver import free_port
from tests.workers_app import MAX_OVERFLOW, NAME, POOL_SIZE

ROOT = Path(__file__).parents[1]
WORKERS = 4
pytestmark = pytest.mark.parametrize("backend", ["pg_sync"], indirect=True)


@pytest.fixture
def base_url(backend: Backend) -> Iterator[str]:
    """The app served by four workers on the backend's database."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": backend.engine.url.render_as_string(False)}
    command = [sys.executable, "-m", "uvicorn", "tests.workers_app:app", "--port", str(port), "--workers", str(WORKERS)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while len({get(url, "/heroes/").headers["x-worker"] for _ in range(40)} if ready(url) else ()) < 2:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(30)


def ready(url: str) -> bool:
    try:
        return get(url, "/heroes/").status_code == 200
    except httpx.TransportError:
        return False


def get(url: str, path: str, **kwargs: object) -> httpx.Response:
    return request(url, "GET", path, **kwargs)


def request(url: str, method: str, path: str, **kwargs: object) -> httpx.Response:
    """One request on a connection of its own, so that any worker may take it."""
    with httpx.Client(base_url=url, timeout=30) as client:
        return client.request(method, path, **kwargs)  # type: ignore[arg-type]


def test_a_cursor_walk_across_workers(base_url: str) -> None:
    ids = [
        request(base_url, "POST", "/heroes/", json={"name": f"h{i % 7}", "secret_name": "s"}).json()["id"]
        for i in range(40)
    ]
    walked, workers, path = [], set(), "/heroes/?sort=-name&limit=6"
    while path:
        page = get(base_url, path)
        assert page.status_code == 200, page.text
        walked += [hero["id"] for hero in page.json()]
        workers.add(page.headers["x-worker"])
        path = page.links.get("next", {}).get("url", "").removeprefix(base_url)
    assert sorted(walked) == sorted(ids)
    assert walked == [hero["id"] for hero in get(base_url, "/heroes/?sort=-name&limit=100").json()]
    assert len(workers) > 1


def test_an_etag_from_one_worker_holds_on_another(base_url: str) -> None:
    created = request(base_url, "POST", "/heroes/", json={"name": "Deadpond", "secret_name": "Dive Wilson"})
    hero_id, etag = created.json()["id"], created.headers["etag"]
    tags = {get(base_url, f"/heroes/{hero_id}").headers["etag"] for _ in range(12)}
    assert tags == {etag}  # every worker computes the same tag
    with ThreadPoolExecutor(20) as pool:
        answers = list(
            pool.map(
                lambda age: request(
                    base_url, "PATCH", f"/heroes/{hero_id}", json={"age": age}, headers={"If-Match": etag}
                ),
                range(20),
            )
        )
    assert sorted(answer.status_code for answer in answers) == [200] + [412] * 19
    assert len({answer.headers["x-worker"] for answer in answers}) > 1


def test_the_pools_stay_within_their_sizes(base_url: str, backend: Backend) -> None:
    """Under 40 clients at once, the server never sees more than workers * (pool + overflow)."""
    peak, done = [0], threading.Event()

    def sample() -> None:
        with backend.engine.connect() as connection:
            while not done.is_set():
                count = "SELECT count(*) FROM pg_stat_activity WHERE application_name = :name"
                peak[0] = max(peak[0], connection.execute(sa.text(count), {"name": NAME}).scalar_one())
                connection.rollback()
                time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        with ThreadPoolExecutor(40) as pool:
            answers = list(pool.map(lambda _: get(base_url, "/heroes/?limit=100"), range(400)))
    finally:
        done.set()
        sampler.join()
    assert {answer.status_code for answer in answers} == {200}
    assert WORKERS <= peak[0] <= WORKERS * (POOL_SIZE + MAX_OVERFLOW), peak[0]
    print(f"{WORKERS} workers, 40 clients: at most {peak[0]} connections of {WORKERS * (POOL_SIZE + MAX_OVERFLOW)}")
