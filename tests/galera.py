"""A MariaDB Galera cluster of three nodes on loopback, for the scale-out tests.

Each node is a ``mariadbd`` with a data directory of its own and four ports: SQL, group
communication, incremental state transfer (IST) and snapshot state transfer (SST, by
rsync). The first node starts a new cluster; the others join it and receive its data.
Nodes run as the ``mysql`` user, their directories owned by it: as root, the rsync state
transfer fails. Set ``SQLCRUD_TEST_GALERA_URLS`` (URLs separated by spaces) to use a
cluster of your own instead.
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

from tests.mariadbserver import install, mariadbd
from tests.pgserver import free_port

PROVIDER = Path("/usr/lib/galera/libgalera_smm.so")


class Node:
    """One node: its directory, ports and process."""

    def __init__(self, workdir: Path, name: str) -> None:
        self.name, self.workdir = name, workdir
        self.data, self.log, self.socket = workdir / "data", workdir / "server.log", workdir / "sock"
        self.port, self.group, self.ist, self.sst = (free_port() for _ in range(4))
        self.url = f"mariadb://root@127.0.0.1:{self.port}/"
        self.process: subprocess.Popen[bytes] | None = None

    def command(self, members: str, *, new_cluster: bool) -> list[str]:
        return [
            *mariadbd(self.data, self.socket, self.port, self.log, "mysql"),
            "--innodb-flush-log-at-trx-commit=2",
            "--binlog-format=ROW",
            "--default-storage-engine=InnoDB",
            "--innodb-autoinc-lock-mode=2",
            "--wsrep-on=ON",
            f"--wsrep-provider={PROVIDER}",
            "--wsrep-cluster-name=sqlcrud",
            f"--wsrep-cluster-address=gcomm://{members}",
            f"--wsrep-node-name={self.name}",
            f"--wsrep-node-address=127.0.0.1:{self.group}",
            f"--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:{self.group};ist.recv_addr=127.0.0.1:{self.ist}",
            f"--wsrep-sst-receive-address=127.0.0.1:{self.sst}",
            "--wsrep-sst-method=rsync",
            *(["--wsrep-new-cluster"] if new_cluster else []),
        ]

    def status(self, name: str) -> str | None:
        """A ``wsrep_`` status variable, or None while the node does not answer."""
        try:
            connection = pymysql.connect(host="127.0.0.1", port=self.port, user="root", connect_timeout=1)
        except pymysql.err.OperationalError:
            return None
        with contextlib.closing(connection), connection.cursor() as cursor:
            cursor.execute("SHOW GLOBAL STATUS LIKE %s", (name,))
            row = cursor.fetchone()
        return None if row is None else str(row[1])


class GaleraCluster:
    """Three nodes, started one after another; a test may stop a node and start it again."""

    def __init__(self, size: int = 3) -> None:
        if not PROVIDER.exists():
            raise RuntimeError(f"Galera's provider {PROVIDER} not found: apt-get install galera-4 (make test does)")
        self.workdir = Path(tempfile.mkdtemp(prefix="sqlcrud-galera-"))
        self.nodes = [Node(self.workdir / f"node{i}", f"node{i}") for i in range(size)]
        self.members = ",".join(f"127.0.0.1:{node.group}" for node in self.nodes)
        for node in self.nodes:
            node.workdir.mkdir()
        subprocess.run(["chown", "-R", "mysql:mysql", str(self.workdir)], check=True)
        for node in self.nodes:
            install(node.data, "mysql")

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes]

    def start(self, index: int | None = None) -> None:
        """Start every node (the first one starting the cluster), or the one at ``index``."""
        for i, node in enumerate(self.nodes):
            if index is None or i == index:
                new_cluster = index is None and i == 0
                command = node.command(self.members, new_cluster=new_cluster)
                node.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                self._wait_synced(node)

    def stop(self, index: int, *, kill: bool = False) -> None:
        node = self.nodes[index]
        if node.process is not None and node.process.poll() is None:
            node.process.kill() if kill else node.process.terminate()
            node.process.wait(60)

    def remove(self) -> None:
        for node in self.nodes:
            if node.process is not None and node.process.poll() is None:
                node.process.kill()
                node.process.wait(60)
        shutil.rmtree(self.workdir, ignore_errors=True)

    @staticmethod
    def _wait_synced(node: Node) -> None:
        deadline = time.monotonic() + 120
        while node.status("wsrep_local_state_comment") != "Synced":
            assert node.process is not None
            if node.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Galera node {node.name} did not join: see {node.log}")
            time.sleep(0.2)


@contextlib.contextmanager
def galera_cluster() -> Iterator[list[str]]:
    """Yield the URLs (``mariadb://root@127.0.0.1:PORT/``) of the nodes of a fresh cluster."""
    if urls := os.environ.get("SQLCRUD_TEST_GALERA_URLS"):
        yield urls.split()
        return
    cluster = GaleraCluster()
    try:
        cluster.start()
        yield cluster.urls
    finally:
        cluster.remove()
