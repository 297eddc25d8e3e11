"""The databases the apps serve: a SQLite file, PostgreSQL and MariaDB, filled by one statement each.

Heroes 1..N are the read set (list, read by id, PATCH). Rows a workload adds (create) or
consumes (delete, from a block inserted just before) get ids above N and are removed
after each timed run, so every app meets the same table. Blocks for delete never reuse
an id: a request still in flight when wrk stops must not delete a row of the next run.

The relationship workloads have databases of their own, with the team/hero example's
tables (its ``hero`` table is not the hero example's): teams 1..T, and heroes 1..N
dealt round-robin among them, so that a page of 100 heroes has 100 teams and each team
N / T heroes.
"""

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from examples.heroes.models import Hero
from examples.teams.models import Base as TeamsBase

HERO: sa.Table = Hero.__table__  # type: ignore[attr-defined]
BLOCKS_FROM = 100_000_001  # far above any id a create gets; below PostgreSQL's INTEGER limit


@dataclass
class Database:
    """One database of heroes 1..``rows``, and a sync engine for the runner's own use."""

    name: str  # "sqlite", "postgres", "postgres-1M", "sqlite-teams", ...: how the report names it
    url: str  # DATABASE_URL for the apps, without a driver
    rows: int
    engine: sa.Engine
    teams: int = 0  # teams 1..``teams`` with the team/hero example's tables; 0: the hero example's table
    next_block: int = BLOCKS_FROM

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith("postgresql")

    @property
    def is_mariadb(self) -> bool:
        return self.url.startswith("mysql")

    def numbered(self, prefix: str) -> str:
        """SQL for the text ``"{prefix} {i}"``."""
        return f"CONCAT('{prefix} ', i)" if self.is_mariadb else f"'{prefix} ' || i"

    def values(self, prefix: str) -> str:
        """Hero i's name, age and secret name: age NULL for every tenth, so the JSON has nulls too."""
        return f"{self.numbered(prefix)}, CASE WHEN i % 10 = 0 THEN NULL ELSE i % 100 END, {self.numbered('Secret')}"

    def fill(self, count: int) -> None:
        """Insert heroes 1..``count`` (and first teams 1..``teams``), one statement each."""
        hero = f"i, {self.values('Hero')}"
        if not self.teams:
            self._insert("hero (id, name, age, secret_name)", hero, count)
            return
        team = f"i, {self.numbered('Team')}, {self.numbered('Tower')}"
        self._insert("team (id, name, headquarters)", team, self.teams)
        self._insert("hero (id, name, age, secret_name, team_id)", f"{hero}, (i - 1) % {self.teams} + 1", count)

    def block(self, count: int) -> tuple[int, int]:
        """Insert ``count`` heroes with ids never used before; the first and last id."""
        first = self.next_block
        self.next_block += count
        values = f"{first} - 1 + i, {self.values('Doomed')}"
        self._insert("hero (id, name, age, secret_name)", values, count, ids_from_one=False)
        return first, first + count - 1

    def _insert(self, into: str, values: str, count: int, *, ids_from_one: bool = True) -> None:
        """``INSERT INTO {into} SELECT {values}`` for ``i`` in 1..``count``."""
        table = into.split()[0]
        if self.is_postgres:
            sql = f"INSERT INTO {into} SELECT {values} FROM generate_series(1, :count) AS i"
        elif self.is_mariadb:  # the Sequence engine's tables: seq_1_to_N
            sql = f"INSERT INTO {into} SELECT {values} FROM (SELECT seq AS i FROM seq_1_to_{int(count)}) AS n"
        else:
            numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)"
            sql = f"INSERT INTO {into} {numbers} SELECT {values} FROM n"
        with self.engine.begin() as connection:
            inserted = connection.execute(sa.text(sql), {"count": count}).rowcount
            if self.is_postgres and ids_from_one:  # explicit ids: move the sequence past them
                sequence = sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), :n)")
                connection.execute(sequence, {"n": count})
        if inserted != count:
            raise RuntimeError(f"inserted {inserted} rows into {table}, not {count}")

    def reset(self) -> None:
        """Remove every row above the read set; VACUUM on PostgreSQL, so no run inherits dead rows."""
        with self.engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM hero WHERE id > :rows"), {"rows": self.rows})
        if self.is_postgres:
            self.vacuum()

    def vacuum(self) -> None:
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in ("team", "hero") if self.teams else ("hero",):
                connection.execute(sa.text(f"VACUUM ANALYZE {table}"))

    def rows_json(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        """Rows of ``sql`` as dicts, keyed by column label (as the public models name them)."""
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(sa.text(sql), params)]

    def rows_by_id(self, ids: list[int]) -> list[dict[str, Any]]:
        query = sa.select(HERO.c.name, HERO.c.age, HERO.c.id).where(HERO.c.id.in_(ids))
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]

    def version(self) -> str:
        with self.engine.connect() as connection:
            if self.is_postgres:
                return str(connection.execute(sa.text("SHOW server_version")).scalar_one()).split()[0]
            if self.is_mariadb:
                return str(connection.execute(sa.text("SELECT VERSION()")).scalar_one()).split("-")[0]
            return str(connection.execute(sa.text("SELECT sqlite_version()")).scalar_one())


def _create(name: str, url: str, driver_url: str, rows: int, teams: int = 0) -> Database:
    engine = sa.create_engine(driver_url)
    if teams:
        TeamsBase.metadata.create_all(engine)
        with engine.begin() as connection:
            # The tutorial's models leave the foreign key unindexed; a team's heroes need it.
            connection.execute(sa.text("CREATE INDEX ix_hero_team_id ON hero (team_id)"))
    else:
        HERO.create(engine)
    database = Database(name, url, rows, engine, teams)
    database.fill(rows)
    if database.is_postgres:
        database.vacuum()
    return database


@contextmanager
def sqlite_database(rows: int, teams: int = 0) -> Iterator[Database]:
    """A SQLite file in WAL mode (readers and the writer do not block each other)."""
    workdir = Path(tempfile.mkdtemp(prefix="sqlcrud-bench-"))
    path = workdir / ("teams.db" if teams else "heroes.db")
    try:
        name = "sqlite-teams" if teams else "sqlite"
        database = _create(name, f"sqlite:///{path}", f"sqlite:///{path}", rows, teams)
        with database.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        yield database
        database.engine.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def postgres_databases(server_url: str, specs: list[tuple[str, str, int, int]]) -> Iterator[list[Database]]:
    """Databases ``(report name, database name, rows, teams)`` on the server at ``server_url``."""
    admin = sa.create_engine(server_url.replace("postgresql://", "postgresql+psycopg://"))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for _, db_name, _, _ in specs:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{db_name}"')
            connection.exec_driver_sql(f'CREATE DATABASE "{db_name}"')
    admin.dispose()
    base = server_url.rsplit("/", 1)[0]
    databases = [
        _create(
            name,
            f"{base}/{db_name}",
            f"{base}/{db_name}".replace("postgresql://", "postgresql+psycopg://"),
            rows,
            teams,
        )
        for name, db_name, rows, teams in specs
    ]
    try:
        yield databases
    finally:
        for database in databases:
            database.engine.dispose()


@contextmanager
def mariadb_database(server_url: str, rows: int) -> Iterator[Database]:
    """The hero table with ``rows`` heroes in a database ``heroes`` on the server at ``server_url``."""
    address = server_url.split("://", 1)[1].rstrip("/")
    admin = sa.create_engine(f"mysql+pymysql://{address}/")
    with admin.begin() as connection:
        connection.exec_driver_sql("DROP DATABASE IF EXISTS heroes")
        connection.exec_driver_sql("CREATE DATABASE heroes")
    admin.dispose()
    url = f"mysql://{address}/heroes?charset=utf8mb4"
    database = _create("mariadb", url, url.replace("mysql://", "mysql+pymysql://"), rows)
    try:
        yield database
    finally:
        database.engine.dispose()


def pin_mariadb(database: Database, cpus: set[int]) -> None:
    """Pin the server, every thread of it, to ``cpus``."""
    with database.engine.connect() as connection:
        pid_file = str(connection.execute(sa.text("SELECT @@pid_file")).scalar_one())
    pid = Path(pid_file).read_text().strip()
    subprocess.run(["taskset", "-a", "-cp", ",".join(map(str, sorted(cpus))), pid], check=True, capture_output=True)


def pin_postgres(database: Database, cpus: set[int]) -> int:
    """Pin the server's postmaster and its processes to ``cpus``; later backends inherit it.

    Returns how many processes were pinned.
    """
    with database.engine.connect() as connection:
        backend = int(connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())
    postmaster = _parent(backend)
    pinned = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (int(entry.name) == postmaster or _parent(int(entry.name)) == postmaster):
            try:
                os.sched_setaffinity(int(entry.name), cpus)
                pinned += 1
            except OSError:  # gone meanwhile, or not ours to pin
                pass
    return pinned


def _parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return -1
    return int(stat.rsplit(")", 1)[1].split()[1])
