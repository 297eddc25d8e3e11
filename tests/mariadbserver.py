"""A throwaway MariaDB server for the tests and benchmarks.

``mariadb_server()`` makes a data directory with ``mariadb-install-db`` in a temporary
directory, runs ``mariadbd`` on a free loopback port, yields its URL (without a driver:
``mariadb://root@127.0.0.1:PORT/``), then stops it and removes its files. The server
runs with the character set and collation most servers have (``utf8mb4``, compared
case-insensitively), so the suite shows that sqlcrud answers as on the other databases
whatever the collation. As root, ``mariadbd`` needs ``--user=root``. Set
``SQLCRUD_TEST_MARIADB_URL`` (``mariadb://user:password@host:port/``) to use a server of
your own instead; ``make test`` installs the server programs when they are missing.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pymysql

from tests.pgserver import free_port

OPTIONS = (
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_general_ci",
    "--max-connections=500",
    "--skip-log-bin",
    "--innodb-buffer-pool-size=256M",
)
FAST = ("--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0")  # a crash may lose the last commits


def program(name: str) -> str:
    if found := shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin"):
        return found
    raise RuntimeError(
        f"MariaDB server program {name} not found: install it (Debian: apt-get install mariadb-server; "
        "`make test` does) or set SQLCRUD_TEST_MARIADB_URL"
    )


def install(data: Path, user: str | None) -> None:
    """A new data directory, whose root connects without a password."""
    subprocess.run(
        [
            program("mariadb-install-db"),
            "--no-defaults",
            f"--datadir={data}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
            *([f"--user={user}"] if user else []),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def mariadbd(data: Path, socket: Path, port: int, log: Path, user: str | None) -> list[str]:
    """The command of a server on ``data``, listening on loopback only."""
    return [
        program("mariadbd"),
        "--no-defaults",
        *([f"--user={user}"] if user else []),
        f"--datadir={data}",
        f"--socket={socket}",
        f"--port={port}",
        "--bind-address=127.0.0.1",
        "--skip-name-resolve",
        f"--log-error={log}",
        *OPTIONS,
    ]


class MariaDBServer:
    """A throwaway server in its own directory, which a test may stop and start again."""

    def __init__(self, *, durable: bool = False) -> None:
        # Not durable (the default, for speed). A test that kills the server wants it durable.
        self.durable = durable
        self.workdir = Path(tempfile.mkdtemp(prefix="sqlcrud-mariadb-"))
        self.data, self.log, self.socket = self.workdir / "data", self.workdir / "server.log", self.workdir / "sock"
        self.port = free_port()
        self.url = f"mariadb://root@127.0.0.1:{self.port}/"
        self.process: subprocess.Popen[bytes] | None = None
        self.user = "root" if os.geteuid() == 0 else None  # as root, mariadbd must be told to stay root
        install(self.data, self.user)

    def start(self) -> None:
        command = [
            *mariadbd(self.data, self.socket, self.port, self.log, self.user),
            *(() if self.durable else FAST),
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                pymysql.connect(host="127.0.0.1", port=self.port, user="root", connect_timeout=1).close()
                return
            except pymysql.err.OperationalError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"mariadbd did not start: see {self.log}") from None
                time.sleep(0.1)

    def stop(self, mode: str = "fast") -> None:
        """Shut down cleanly (``fast``), or kill the server as a crash would (``immediate``)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate() if mode == "fast" else self.process.kill()
            self.process.wait(60)

    def remove(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(60)
        shutil.rmtree(self.workdir, ignore_errors=True)


@contextlib.contextmanager
def mariadb_server() -> Iterator[str]:
    """Yield ``mariadb://root@127.0.0.1:PORT/`` of a fresh server."""
    if url := os.environ.get("SQLCRUD_TEST_MARIADB_URL"):
        yield url
        return
    server = MariaDBServer()
    try:
        server.start()
        yield server.url
    finally:
        server.remove()
