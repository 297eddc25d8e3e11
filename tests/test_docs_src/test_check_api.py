"""docs_src/check_api.py: the how-to's test passes on the notes example (its code is sync)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from docs_src import check_api
from examples.notes import app as notes
from tests.conftest import Backend

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize("backend", ["sqlite_sync", "pg_sync"], indirect=True)
def test_the_how_to_test_passes(backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the lifespan creates the example's own tables in notes.db
    notes.app.dependency_overrides[notes.get_session] = backend.session
    try:
        check_api.test_the_api_keeps_its_contract()
    finally:
        notes.app.dependency_overrides.clear()


def test_the_report_the_how_to_shows(tmp_path: Path) -> None:
    """docs_src/check_report.txt is what the command line prints for tests/planted.py's app."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": f"sqlite:///{tmp_path / 'planted.db'}"}
    done = subprocess.run(
        [sys.executable, "-m", "sqlcrud.testing", "tests.planted:app"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 1
    shown = (ROOT / "docs_src" / "check_report.txt").read_text()

    # The counts, and whether Hypothesis ran every chain, vary with its version and schemathesis'.
    def failures(report: str) -> str:
        return re.sub(r"\d+ requests, [\d.]+ s", "", report.split("Not checked:")[0])

    assert failures(done.stdout) == failures(shown)
    assert "isolation: give two identities or more to check it" in done.stdout
