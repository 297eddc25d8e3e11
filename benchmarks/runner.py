"""``python -m benchmarks``: start the databases and the apps, check them, time them, write the report.

For each database and workload: a warm-up of every app, then rounds in which the apps
run one after another (A B C D E, A B C D E, ...), so drift of the machine hits all of
them alike. The report takes the median of the rounds.
"""

import argparse
import dataclasses
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from tests.mariadbserver import mariadb_server
from tests.pgserver import postgres_server

from . import _report
from ._database import (
    Database,
    mariadb_database,
    pin_mariadb,
    pin_postgres,
    postgres_databases,
    sqlite_database,
)
from ._load import WORKLOADS, Result, Workload, run_wrk, wrk_version
from ._servers import APPS, ROOT, Server, check, check_teams, cursor_after, start

ROWS = 10_000
DEEP_ROWS = 1_000_000
TEAMS = 500  # of 20 heroes each (ROWS / TEAMS), for the relationship workloads
Results = dict[tuple[str, str, str], list[Result]]
Anatomy = dict[tuple[str, str, str], dict[str, float]]
# In-process timings of these workloads, at these paths (read: one fixed row).
ANATOMY_PATHS = {"list": "/heroes/?limit=100", "read": "/heroes/5"}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--duration", type=int, default=5, help="seconds per timed run, whole (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of warm-up per app and workload (whole)")
    parser.add_argument("--connections", type=int, default=4, help="wrk keep-alive connections (default 4)")
    parser.add_argument("--only", default=",".join(w.key for w in WORKLOADS), help="workloads, comma-separated")
    parser.add_argument(
        "--db", default="sqlite,postgres,mariadb", help="databases: sqlite, postgres, mariadb (default all three)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="where benchmarks.md and .svg go")
    args = parser.parse_args(argv)
    keys = {w.key for w in WORKLOADS}
    args.only = [key for key in args.only.split(",") if key]
    args.db = [db for db in args.db.split(",") if db]
    if unknown := set(args.only) - keys:
        parser.error(f"unknown workloads {sorted(unknown)}; choose from {sorted(keys)}")
    if unknown := set(args.db) - {"sqlite", "postgres", "mariadb"}:
        parser.error(f"unknown databases {sorted(unknown)}")
    if args.rounds < 1 or args.duration < 1 or args.warmup < 0 or args.connections < 1:
        parser.error("--rounds, --duration and --connections must be positive")
    return args


def pinning() -> tuple[Callable[[int], list[str]], str]:
    """``taskset -c N`` when there are two cores to pin to, else nothing."""
    import os

    if shutil.which("taskset") and len(os.sched_getaffinity(0)) >= 2:
        return (lambda cpu: ["taskset", "-c", str(cpu)]), "app on core 0, wrk on core 1"
    return (lambda cpu: []), "not pinned (fewer than two cores, or no taskset)"


def apps_for(database: Database) -> list[str]:
    """The apps to run on ``database``: the ceiling speaks to SQLite and PostgreSQL only."""
    return [app for app in APPS if not (database.is_mariadb and app == "ceiling")]


def bench_database(
    database: Database,
    workloads: list[Workload],
    args: argparse.Namespace,
    results: Results,
    anatomies: Anatomy,
    logdir: Path,
) -> None:
    """Start the apps of ``workloads`` on ``database``, check them, then time each workload in rounds."""
    pin, _ = pinning()
    with ExitStack() as stack:
        servers: dict[str, Server] = {}
        for app in apps_for(database):
            if any(not w.apps or app in w.apps for w in workloads):
                servers[app] = start(app, database, pin, logdir)
                stack.callback(servers[app].stop)
        deep = any(w.postgres_only for w in workloads)
        for server in servers.values():
            if database.teams:
                check_teams(server, database)
            else:
                check(server, database, deep)
            database.reset()
        print(f"[{database.name}] all {len(servers)} apps answer correctly", flush=True)
        for workload in workloads:
            if "{cursor}" in workload.path:
                token = cursor_after(servers[workload.apps[0]])
                workload = dataclasses.replace(workload, path=workload.path.format(cursor=token))
            apps = [app for app in apps_for(database) if not workload.apps or app in workload.apps]
            for app in apps if args.warmup else []:  # warm-up: not recorded
                timed(servers[app], database, workload, args.warmup, args.connections, pin)
            for round_ in range(1, args.rounds + 1):
                for app in apps:
                    result = timed(servers[app], database, workload, args.duration, args.connections, pin)
                    results.setdefault((database.name, workload.key, app), []).append(result)
                    flag = f"  ({result.non_2xx} non-2xx, {result.socket_errors} socket errors!)" if result.bad else ""
                    print(
                        f"[{database.name}] {workload.key:6} round {round_} {app:17} {result.rps:9.1f} req/s"
                        f"  p50 {result.p50_ms:7.2f} ms  p99 {result.p99_ms:7.2f} ms{flag}",
                        flush=True,
                    )
    anatomy(database, workloads, anatomies)  # the servers have stopped: the core is the anatomy's alone
    if database.name == "postgres":
        by_workers(database, [w for w in workloads if w.key in ("list", "read")], args, results, logdir)


WORKERS = (1, 2, 4)


def unpinned(cpu: int) -> list[str]:
    return []


def by_workers(
    database: Database, workloads: list[Workload], args: argparse.Namespace, results: Results, logdir: Path
) -> None:
    """sqlcrud (sync) served by 1, 2 and 4 uvicorn workers in interleaved rounds, nothing pinned:
    the workers, PostgreSQL and wrk share both cores."""
    pinned = pinning()[1].startswith("app")
    if pinned:
        pin_postgres(database, set(os.sched_getaffinity(0)))
    with ExitStack() as stack:
        if pinned:
            stack.callback(pin_postgres, database, {1})
        servers = {}
        for workers in WORKERS:
            servers[workers] = start("sqlcrud_sync", database, unpinned, logdir, workers)
            stack.callback(servers[workers].stop)
        for workload in workloads:
            for round_ in range(1, args.rounds + 1):
                for workers, server in servers.items():
                    result = timed(server, database, workload, args.duration, args.connections * 2, unpinned)
                    results.setdefault((database.name, workload.key, f"sqlcrud_sync/{workers}w"), []).append(result)
                    print(
                        f"[{database.name}] {workload.key:6} round {round_} {workers} workers {result.rps:9.1f} req/s"
                    )


def anatomy(database: Database, workloads: list[Workload], anatomies: Anatomy) -> None:
    """Each app's in-process time per request, and sqlcrud's by layer (see ``_anatomy``)."""
    pin, _ = pinning()
    env = {**os.environ, "DATABASE_URL": database.url}
    for workload in (w for w in workloads if w.key in ANATOMY_PATHS and not w.teams):
        for app in apps_for(database):
            runs = [[]] + ([["--clocked"]] if app.startswith("sqlcrud") else [])
            for flags in runs:
                command = [*pin(0), sys.executable, "-m", "benchmarks._anatomy", app, ANATOMY_PATHS[workload.key]]
                done = subprocess.run([*command, *flags], cwd=ROOT, env=env, capture_output=True, text=True)
                if done.returncode:
                    raise RuntimeError(f"{shlex.join(command)} failed:\n{done.stderr}")
                key = (database.name, workload.key, app + ("/layers" if flags else ""))
                anatomies[key] = json.loads(done.stdout)
        print(f"[{database.name}] {workload.key:6} in-process anatomy done", flush=True)


def timed(
    server: Server,
    database: Database,
    workload: Workload,
    duration: int,
    connections: int,
    pin: Callable[[int], list[str]],
) -> Result:
    script_args = workload.script_args(database, duration)
    try:
        return run_wrk(server.url, workload, script_args, duration=duration, connections=connections, pin=pin)
    finally:
        if workload.writes:
            database.reset()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk (or brew install wrk)", file=sys.stderr)
        return 2
    command = shlex.join(["python", "-m", "benchmarks", *(sys.argv[1:] if argv is None else argv)])
    started = time.monotonic()
    results: Results = {}
    anatomies: Anatomy = {}
    meta: dict[str, str] = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "command": command}
    meta["pinning"] = pinning()[1]
    meta["wrk"] = wrk_version()
    chosen = [w for w in WORKLOADS if w.key in args.only]
    plain = [w for w in chosen if not (w.postgres_only or w.teams)]
    related = [w for w in chosen if w.teams]
    logdir = Path(tempfile.mkdtemp(prefix="sqlcrud-bench-logs-"))
    try:
        for teams, workloads in [(0, plain), (TEAMS, related)]:
            if "sqlite" in args.db and workloads:
                with sqlite_database(ROWS, teams) as database:
                    meta["SQLite"] = database.version()
                    bench_database(database, workloads, args, results, anatomies, logdir)
        if "postgres" in args.db:
            specs = [("postgres", "heroes", ROWS, 0)] if plain else []
            if any(w.postgres_only for w in chosen):
                specs.append(("postgres-1M", "heroes_deep", DEEP_ROWS, 0))
            if related:
                specs.append(("postgres-teams", "teams", ROWS, TEAMS))
            with postgres_server() as url, postgres_databases(url, specs) as databases:
                meta["PostgreSQL"] = databases[0].version()
                if meta["pinning"].startswith("app"):
                    pin_postgres(databases[0], {1})
                    meta["pinning"] += "; PostgreSQL on core 1 too, so the app has core 0 to itself"
                for database in databases:
                    workloads = [
                        w
                        for w in chosen
                        if w.postgres_only == (database.rows == DEEP_ROWS) and w.teams == bool(database.teams)
                    ]
                    bench_database(database, workloads, args, results, anatomies, logdir)
        if "mariadb" in args.db and plain:
            with mariadb_server() as url, mariadb_database(url, ROWS) as database:
                meta["MariaDB"] = database.version()
                if meta["pinning"].startswith("app"):
                    pin_mariadb(database, {1})
                bench_database(database, plain, args, results, anatomies, logdir)
    finally:
        shutil.rmtree(logdir, ignore_errors=True)
    meta["elapsed"] = f"{time.monotonic() - started:.0f} s"
    page = _report.write(args.out, results, anatomies, meta, args)
    print(f"wrote {page} in {meta['elapsed']}")
    return 0
