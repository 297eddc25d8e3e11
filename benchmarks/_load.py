"""The workloads, and wrk to drive them: one thread, keep-alive connections, ``--latency``."""

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ._database import Database

SCRIPTS = Path(__file__).parent / "wrk"


@dataclass(frozen=True)
class Workload:
    key: str  # what ``--only`` names
    title: str
    path: str
    script: str | None = None
    writes: bool = False
    postgres_only: bool = False
    teams: bool = False  # on the team/hero example's tables, in a database of their own
    apps: tuple[str, ...] = ()  # only these apps serve it (default: all)

    def script_args(self, database: Database, duration: int) -> list[str]:
        """Arguments for the Lua script; for delete, a fresh block of rows to delete."""
        if self.key == "delete":
            # More rows than any app here can delete in ``duration``; running out shows as 404s.
            first, last = database.block(int(duration * MAX_DELETES_PER_SECOND) + 1000)
            return [str(first), str(last)]
        if self.script in ("read.lua", "patch.lua"):
            return [str(database.rows)]
        return []


MAX_DELETES_PER_SECOND = 20_000
# Related rows: sqlcrud against hand-written ``selectinload`` endpoints (no ceiling app).
RELATED_APPS = ("handwritten_sync", "handwritten_async", "sqlcrud_sync", "sqlcrud_async")

WORKLOADS = [
    Workload("list", "list 100 rows", "/heroes/?limit=100"),
    Workload("read", "read by id", "/heroes/", "read.lua"),
    Workload("deep", "deep offset 900k", "/heroes/?offset=900000&limit=100", postgres_only=True),
    # ``{cursor}``: the token of the page after row 900,000, asked of the app before timing.
    Workload(
        "cursor",
        "deep cursor 900k",
        "/cursor/heroes/?limit=100&cursor={cursor}",
        postgres_only=True,
        apps=("sqlcrud_sync", "sqlcrud_async"),
    ),
    Workload("create", "create", "/heroes/", "create.lua", writes=True),
    Workload("patch", "PATCH one field", "/heroes/", "patch.lua", writes=True),
    Workload("delete", "delete", "/heroes/", "delete.lua", writes=True),
    Workload("list-team", "list 100 with team", "/heroes/?limit=100", teams=True, apps=RELATED_APPS),
    Workload("read-team", "team + 20 heroes", "/teams/1", teams=True, apps=RELATED_APPS),
]


@dataclass(frozen=True)
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int

    @property
    def bad(self) -> int:
        """Non-2xx answers plus socket errors: a run with any is not a clean run."""
        return self.non_2xx + self.socket_errors


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(match[1]) * _UNITS[match[2]]


def parse(output: str) -> Result:
    """The numbers of one ``wrk --latency`` report."""
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    requests = re.search(r"^\s+(\d+) requests in", output, re.MULTILINE)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if not (requests and rps and "50" in percentiles and "99" in percentiles):
        raise ValueError(f"could not read wrk's report:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return Result(
        float(rps[1]),
        _ms(percentiles["50"]),
        _ms(percentiles["99"]),
        int(requests[1]),
        int(non_2xx[1]) if non_2xx else 0,
        sum(map(int, socket.groups())) if socket else 0,
    )


def wrk_version() -> str:
    if not shutil.which("wrk"):
        return "missing"
    output = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10, check=False)
    return (output.stdout + output.stderr).split("Copyright")[0].strip()


def run_wrk(
    base_url: str,
    workload: Workload,
    script_args: list[str],
    *,
    duration: int,
    connections: int,
    pin: Callable[[int], list[str]],
) -> Result:
    """Drive ``base_url`` (always 127.0.0.1) for ``duration`` seconds; bounded by a timeout."""
    if not base_url.startswith("http://127.0.0.1:"):
        raise ValueError(f"the benchmark only sends traffic to 127.0.0.1, not {base_url}")
    command = [
        *pin(1),
        "wrk",
        "--threads", "1",
        "--connections", str(connections),
        "--duration", f"{duration}s",
        "--timeout", "10s",
        "--latency",
    ]  # fmt: skip
    if workload.script:
        command += ["--script", str(SCRIPTS / workload.script)]
    command += [base_url + workload.path]
    if script_args:
        command += ["--", *script_args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 30, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse(done.stdout)
