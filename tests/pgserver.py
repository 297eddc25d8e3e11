"""A throwaway PostgreSQL server for the tests and benchmarks.

``postgres_server()`` runs ``initdb`` and ``pg_ctl`` on a free loopback port with trust
authentication, yields its URL, then stops it and removes its files. The server
programs refuse to run as root, so under root they run as the ``postgres`` user.
Set ``SQLCRUD_TEST_POSTGRES_URL`` (``postgresql://user@host:port/db``) to use a server
of your own instead.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

# UTF-8 and the C locale: text sorts by code point, as on SQLite, whatever the machine's LANG.
INITDB_OPTIONS = ("-E", "UTF8", "--locale=C", "--no-sync")


def bindir() -> Path:
    """Where initdb and pg_ctl are: ``pg_config --bindir``, else Debian's usual place."""
    if pg_config := shutil.which("pg_config"):
        found = Path(subprocess.check_output([pg_config, "--bindir"], text=True).strip())
        if (found / "initdb").exists():
            return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    if found_initdb := shutil.which("initdb"):
        return Path(found_initdb).parent
    raise RuntimeError(
        "PostgreSQL server programs (initdb, pg_ctl) not found: install them "
        "(Debian: apt-get install postgresql) or set SQLCRUD_TEST_POSTGRES_URL"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Yield ``postgresql://postgres@127.0.0.1:PORT/postgres`` of a fresh server."""
    if url := os.environ.get("SQLCRUD_TEST_POSTGRES_URL"):
        yield url
        return
    bin_ = bindir()
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    workdir = Path(tempfile.mkdtemp(prefix="sqlcrud-pg-"))
    data, log = workdir / "data", workdir / "server.log"
    if as_root:
        shutil.chown(workdir, "postgres")
    port = free_port()
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {workdir} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    try:
        subprocess.run(
            [*prefix, str(bin_ / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", *INITDB_OPTIONS],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            [*prefix, str(bin_ / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [*prefix, str(bin_ / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                stdout=subprocess.DEVNULL,
                check=False,
            )
        shutil.rmtree(workdir, ignore_errors=True)
