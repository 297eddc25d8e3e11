"""A Galera cluster: the same app served against each of three nodes at once.

Galera certifies a transaction when it commits: of two nodes that change one row, or
insert one unique value, the second to commit fails (error 1213, SQLSTATE 40001) and
sqlcrud runs it again, then answers 503. So a race across nodes has exactly one winner,
the losers get the 409, 412 or 503 they would get on one server, and nothing
acknowledged is lost. A node that stops gives its clients 503s until it is back.
"""

import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import SQLModel

from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import crud_router
from tests import models as m
from tests.conftest import sync_dependency
from tests.galera import GaleraCluster

TABLES = [Hero.__table__, m.Gadget.__table__]  # type: ignore[attr-defined]
GADGET = {"color": "green", "made_on": "2024-02-29", "price": 9.5}


def database(url: str) -> str:
    return f"mysql+pymysql://{url.split('://', 1)[1]}heroes?charset=utf8mb4"


@pytest.fixture(scope="module")
def cluster() -> Iterator[GaleraCluster]:
    cluster = GaleraCluster()
    try:
        cluster.start()
        engine = sa.create_engine(f"mysql+pymysql://{cluster.urls[0].split('://', 1)[1]}")
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE DATABASE heroes")
        engine.dispose()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def nodes(cluster: GaleraCluster) -> Iterator[list[TestClient]]:
    """A client of the app on each node, on empty tables."""
    engines = [sa.create_engine(database(url), pool_pre_ping=True, pool_timeout=5) for url in cluster.urls]
    SQLModel.metadata.drop_all(engines[0], tables=TABLES)
    SQLModel.metadata.create_all(engines[0], tables=TABLES)
    clients = []
    for engine in engines:
        session = sync_dependency(engine)
        app = FastAPI()
        app.include_router(crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=session, etag=True))
        app.include_router(crud_router(m.Gadget, m.GadgetCreate, m.GadgetPublic, m.GadgetUpdate, session=session))
        clients.append(TestClient(app))
    yield clients
    for engine in engines:
        engine.dispose()


def at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(lambda call: call(), calls))


def synced(clients: list[TestClient], path: str, expected: Any, timeout: float = 10) -> None:
    """Every node answers ``expected`` for ``path`` within ``timeout`` (replication is not instant)."""
    deadline = time.monotonic() + timeout
    while (answers := [client.get(path).json() for client in clients]) != [expected] * len(clients):
        assert time.monotonic() < deadline, answers
        time.sleep(0.1)


def test_writes_on_any_node_replicate(nodes: list[TestClient]) -> None:
    heroes = []
    for i, client in enumerate([nodes[0], nodes[0], nodes[1], nodes[1], nodes[2], nodes[2]]):
        heroes.append(client.post("/heroes/", json={"name": f"h{i}", "secret_name": "s"}).json())
    ids = [hero["id"] for hero in heroes]
    assert len(set(ids)) == 6
    assert ids[-1] > 6  # each node counts in steps of the cluster's size: there are gaps
    print(f"six creates, two per node in turn: ids {ids}")
    synced(nodes, "/heroes/", sorted(heroes, key=lambda hero: hero["id"]))


def test_one_unique_value_created_on_every_node_at_once(nodes: list[TestClient]) -> None:
    for round_ in range(5):
        body = GADGET | {"serial": f"race-{round_}"}
        answers = at_once(
            [lambda client=client, body=body: client.post("/gadgets/", json=body) for client in nodes * 3]
        )
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses.count(200) == 1, statuses
        assert set(statuses) <= {200, 409, 503}, [answer.text for answer in answers]
        print(f"one serial created on 3 nodes by 9 clients at once: {statuses}")
    for client in nodes:
        assert sorted(gadget["serial"] for gadget in client.get("/gadgets/").json()) == [f"race-{i}" for i in range(5)]


def test_one_if_match_patched_from_every_node_at_once(nodes: list[TestClient]) -> None:
    created = nodes[0].post("/heroes/", json={"name": "Deadpond", "secret_name": "Dive Wilson"})
    hero, etag = created.json(), created.headers["etag"]
    synced(nodes, f"/heroes/{hero['id']}", hero)
    calls = [
        lambda client=nodes[i % 3], age=i: client.patch(
            f"/heroes/{hero['id']}", json={"age": age}, headers={"If-Match": etag}
        )
        for i in range(20)
    ]
    answers = at_once(calls)
    statuses = [answer.status_code for answer in answers]
    assert statuses.count(200) == 1, statuses
    assert set(statuses) <= {200, 412, 503}, [answer.text for answer in answers]
    print(f"20 PATCHes with one If-Match over 3 nodes: {sorted(statuses)}")
    winner = next(answer.json() for answer in answers if answer.status_code == 200)
    synced(nodes, f"/heroes/{hero['id']}", winner)


def test_conflicting_updates_are_retried_or_503_and_nothing_acknowledged_is_lost(
    nodes: list[TestClient], caplog: pytest.LogCaptureFixture
) -> None:
    hero = nodes[0].post("/heroes/", json={"name": "Rusty-Man", "secret_name": "Tommy Sharp"}).json()
    synced(nodes, f"/heroes/{hero['id']}", hero)
    calls: list[Callable[[], Any]] = []
    for i in range(30):
        client = nodes[i % 3]
        calls.append(lambda client=client, age=i: client.patch(f"/heroes/{hero['id']}", json={"age": age}))
        calls.append(lambda client=client, i=i: client.post("/heroes/", json={"name": f"n{i}", "secret_name": "s"}))
    with caplog.at_level(logging.WARNING, logger="sqlcrud"):
        answers = at_once(calls)
    assert {answer.status_code for answer in answers} <= {200, 503}, [answer.text for answer in answers]
    conflicts = [record for record in caplog.records if "SQLSTATE 40001" in record.getMessage()]
    assert conflicts  # the nodes did conflict, at commit, and were run again or answered 503
    print(f"{len(conflicts)} certification conflicts, {[a.status_code for a in answers].count(503)} answered 503")
    created = {answer.json()["id"] for answer in answers[1::2] if answer.status_code == 200}
    ages = {answer.json()["age"] for answer in answers[0::2] if answer.status_code == 200}
    time.sleep(1)
    for client in nodes:
        listed = {row["id"] for row in client.get("/heroes/?limit=100").json()}
        assert created | {hero["id"]} <= listed  # every acknowledged create is on every node
        assert client.get(f"/heroes/{hero['id']}").json()["age"] in ages  # one of the acknowledged PATCHes


def test_a_node_stopped_mid_traffic(cluster: GaleraCluster, nodes: list[TestClient]) -> None:
    nodes[1].post("/heroes/", json={"name": "before", "secret_name": "s"})
    cluster.stop(1)
    try:
        down = [nodes[1].get("/heroes/"), nodes[1].post("/heroes/", json={"name": "x", "secret_name": "s"})]
        assert [answer.status_code for answer in down] == [503, 503]
        up = [client.post("/heroes/", json={"name": "during", "secret_name": "s"}) for client in (nodes[0], nodes[2])]
        assert [answer.status_code for answer in up] == [200, 200]
    finally:
        cluster.start(1)
    deadline = time.monotonic() + 30
    while (answer := nodes[1].get("/heroes/")).status_code != 200:  # the same app, no restart
        assert answer.status_code == 503, answer.text
        assert time.monotonic() < deadline, "no recovery"
        time.sleep(0.2)
    assert sorted(hero["name"] for hero in answer.json()) == ["before", "during", "during"]
