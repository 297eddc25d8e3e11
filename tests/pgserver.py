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


class PostgresServer:
    """A throwaway server in its own directory, which a test may stop and start again."""

    def __init__(self, *, durable: bool = False) -> None:
        # Not durable (the default, for speed): a crash loses the last commits, as
        # synchronous_commit=off allows. A test that crashes the server wants it durable.
        self.durable = durable
        self.bin = bindir()
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.workdir = Path(tempfile.mkdtemp(prefix="sqlcrud-pg-"))
        if self.prefix:
            shutil.chown(self.workdir, "postgres")
        self.data, self.log = self.workdir / "data", self.workdir / "server.log"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        subprocess.run(
            [
                *self.prefix,
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                *INITDB_OPTIONS,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.workdir} -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._pg_ctl("-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("-m", mode, "-w", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate")
        shutil.rmtree(self.workdir, ignore_errors=True)

    def _pg_ctl(self, *args: str) -> None:
        command = [*self.prefix, str(self.bin / "pg_ctl"), "-D", str(self.data), *args]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Yield ``postgresql://postgres@127.0.0.1:PORT/postgres`` of a fresh server."""
    if url := os.environ.get("SQLCRUD_TEST_POSTGRES_URL"):
        yield url
        return
    server = PostgresServer()
    try:
        server.start()
        yield server.url
    finally:
        server.remove()
