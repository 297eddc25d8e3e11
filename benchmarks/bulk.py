"""``python -m benchmarks.bulk``: creating 1,000 rows, three ways, on SQLite and PostgreSQL.

1. sqlcrud, 1,000 requests of one row each (the tutorial's POST, one after another);
2. sqlcrud with ``bulk=True``, one request of 1,000 rows;
3. a hand-written bulk endpoint, as one would write it after the tutorial: a
   ``list[HeroCreate]`` body, ``session.add_all``, ``commit``, and the rows answered as
   ``list[HeroPublic]`` (which refreshes each row after the commit).

The requests go through httpx's ASGI transport to one app serving all three, in process,
with a sync ``Session``. Rounds alternate the three ways; the table is emptied before each
run; the median of the rounds is reported, with ratios against one bulk request of sqlcrud
measured in the same run. The page ``docs/benchmarks-bulk.md`` is written from them.
"""

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import httpx2 as httpx
import sqlalchemy as sa
from fastapi import Depends, FastAPI
from sqlmodel import Session, SQLModel

from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import crud_router
from tests.pgserver import postgres_server

ROWS = 1000
WAYS = {
    "single": "sqlcrud, 1,000 requests of one row",
    "bulk": "sqlcrud `bulk=True`, one request of 1,000 rows",
    "handwritten": "hand-written `session.add_all`, one request",
}


def app_for(engine: sa.Engine) -> FastAPI:
    def get_session() -> Iterator[Session]:
        with Session(engine) as session:
            yield session

    app = FastAPI()
    app.include_router(crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=get_session, bulk=True))

    @app.post("/handwritten/heroes/", response_model=list[HeroPublic])
    def create_heroes(heroes: list[HeroCreate], session: Annotated[Session, Depends(get_session)]) -> Any:
        rows = [Hero.model_validate(hero) for hero in heroes]
        session.add_all(rows)
        session.commit()
        return rows

    return app


async def timed(app: FastAPI, way: str) -> float:
    heroes = [{"name": f"Hero {i}", "secret_name": f"Secret {i}", "age": i % 90} for i in range(ROWS)]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        start = time.perf_counter()
        if way == "single":
            for hero in heroes:
                (await client.post("/heroes/", json=hero)).raise_for_status()
        else:
            path = "/heroes/" if way == "bulk" else "/handwritten/heroes/"
            answer = await client.post(path, json=heroes)
            answer.raise_for_status()
            assert len(answer.json()) == ROWS
        return time.perf_counter() - start


@contextmanager
def databases(names: list[str]) -> Iterator[Iterator[tuple[str, sa.Engine]]]:
    def each() -> Iterator[tuple[str, sa.Engine]]:
        if "sqlite" in names:
            with tempfile.TemporaryDirectory() as workdir:
                engine = sa.create_engine(f"sqlite:///{Path(workdir) / 'bulk.db'}")
                with engine.connect() as connection:
                    connection.exec_driver_sql("PRAGMA journal_mode=WAL")
                yield "SQLite", engine
                engine.dispose()
        if "postgres" in names:
            with postgres_server() as url:
                engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
                yield "PostgreSQL", engine
                engine.dispose()

    yield each()


def measure(engine: sa.Engine, rounds: int) -> dict[str, float]:
    SQLModel.metadata.create_all(engine, tables=[Hero.__table__])  # type: ignore[list-item]
    app = app_for(engine)
    times: dict[str, list[float]] = {way: [] for way in WAYS}
    for round_ in range(rounds + 1):  # the first round warms up
        for way in WAYS:
            with engine.begin() as connection:
                connection.execute(sa.delete(Hero))
            spent = asyncio.run(timed(app, way))
            if round_:
                times[way].append(spent)
    return {way: statistics.median(spent) for way, spent in times.items()}


def page(results: dict[str, dict[str, float]], rounds: int) -> str:
    lines = [
        "# Benchmarks: many rows at once",
        "",
        "<!-- Written by `python -m benchmarks.bulk` (part of `make bench`); do not edit. -->",
        "",
        f"Creating {ROWS:,} heroes, the median of {rounds} rounds, in process through httpx's",
        "ASGI transport, sync `Session`, on this machine (2 cores). The ratio is each way's",
        "time against one `bulk=True` request of sqlcrud in the same run: how many times longer.",
        "",
        "| database | way | seconds | ratio to bulk |",
        "|---|---|---:|---:|",
    ]
    for database, times in results.items():
        for way, title in WAYS.items():
            lines.append(f"| {database} | {title} | {times[way]:.3f} | {times[way] / times['bulk']:.1f} |")
    lines += [
        "",
        "The hand-written endpoint is the tutorial's style: `session.add_all` inserts in",
        "batches, and answering the ORM objects after `commit` reads each row back, one",
        "`SELECT` per row. sqlcrud's bulk create is one `INSERT … RETURNING` of the public",
        "columns, in one transaction.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bulk", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "docs")
    args = parser.parse_args(argv)
    results: dict[str, dict[str, float]] = {}
    with databases(args.db.split(",")) as each:
        for name, engine in each:
            results[name] = measure(engine, args.rounds)
            print(name, {way: round(seconds, 3) for way, seconds in results[name].items()}, flush=True)
    text = page(results, args.rounds)
    (args.out / "benchmarks-bulk.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
