"""react-admin's and refine's data providers, the real npm packages run in Node, against
the admin example served by uvicorn, on SQLite and PostgreSQL: every method, and what it
hands the UI (data, total, ids).

The packages are those of ``tests/admin/package-lock.json``, installed there by
``make test`` (``npm ci``), or by this module when they are missing.
"""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Backend
from tests.test_examples.serve import ROOT, serving

PROVIDERS = ROOT / "tests" / "admin"
pytestmark = pytest.mark.parametrize("backend", ["sqlite_sync", "pg_sync"], indirect=True)


@pytest.fixture(scope="session")
def node() -> str:
    """Node, with the providers installed: never skipped (Node is part of the test machine)."""
    found = shutil.which("node")
    assert found, "node is needed for the admin front ends' tests: install Node 20"
    if not (PROVIDERS / "node_modules" / "ra-data-simple-rest").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PROVIDERS, check=True)
    return found


def run(node: str, base_url: str, provider: str) -> dict[str, Any]:
    done = subprocess.run([node, "providers.mjs", base_url, provider], cwd=PROVIDERS, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    results: dict[str, Any] = json.loads(done.stdout)
    return results


def database_url(backend: Backend, tmp_path: Path) -> str:
    if backend.is_postgres:
        return backend.admin.engine.url.render_as_string(hide_password=False)
    return f"sqlite:///{tmp_path / 'admin.db'}"


def post(id_: int, title: str, views: int, author: str, published: bool = False) -> dict[str, Any]:
    return {"title": title, "views": views, "published": published, "author_login": author, "id": id_}


HELLO, WORLD, AGAIN = post(1, "Hello", 5, "ann"), post(2, "World", 50, "ann"), post(3, "Hello again", 500, "bob")
ANN, BOB = {"login": "ann", "name": "Ann", "id": "ann"}, {"login": "bob", "name": "Bob", "id": "bob"}


def test_react_admin(node: str, backend: Backend, tmp_path: Path) -> None:
    with serving("examples.admin", cwd=tmp_path, database_url=database_url(backend, tmp_path)) as client:
        got = run(node, str(client.base_url), "react-admin")
    assert got["create_author"] == {"data": ANN}  # keyed by login, seen as id
    assert got["create_Hello again"] == {"data": AGAIN}
    assert got["getList"] == {"data": [AGAIN, WORLD], "total": 3}
    assert got["getList_page_2"] == {"data": [HELLO], "total": 3}
    assert got["getList_filtered"] == {"data": [AGAIN], "total": 1}  # q (title) and views_gte
    assert got["getList_empty"] == {"data": [], "total": 0}
    assert got["getOne"] == {"data": WORLD}
    assert got["getOne_author"] == {"data": ANN}
    assert got["getMany"] == {"data": [HELLO, AGAIN]}
    assert got["getMany_authors"] == {"data": [ANN, BOB]}
    assert got["getManyReference"] == {"data": [HELLO, WORLD], "total": 2}
    assert got["update"] == {"data": {**HELLO, "title": "Hello, edited"}}  # PUT of the whole record
    assert got["update_author"] == {"data": {**BOB, "name": "Robert"}}
    assert got["update_read_only"]["status"] == 422
    assert got["update_read_only"]["error"].startswith("body.id: Field is read-only")  # ra-core shows json.message
    assert got["updateMany"] == {"data": [1, 2]}
    assert got["delete"] == {"data": AGAIN}  # the deleted record
    assert got["deleteMany"] == {"data": [1, 2]}
    assert got["getList_after"] == {"data": [], "total": 0}
    assert got["getOne_missing"] == {"error": "Post not found", "status": 404}
    assert got["getList_bad_filter"]["status"] == 422


def test_refine(node: str, backend: Backend, tmp_path: Path) -> None:
    with serving("examples.admin", cwd=tmp_path, database_url=database_url(backend, tmp_path)) as client:
        got = run(node, str(client.base_url), "refine")
    assert got["create_author"] == {"data": ANN}
    assert got["getList"] == {"data": [AGAIN, WORLD], "total": 3}
    assert got["getList_page_2"] == {"data": [HELLO], "total": 3}
    assert got["getList_filtered"] == {"data": [AGAIN], "total": 1}  # title_like, views_gte, views_ne
    assert got["getList_search"] == {"data": [WORLD], "total": 1}  # q, case-insensitive
    assert got["getList_in"] == {"data": [HELLO, WORLD, AGAIN], "total": 3}  # author_login=bob&author_login=ann
    assert got["getList_empty"] == {"data": [], "total": 0}
    assert got["getOne"] == {"data": WORLD}
    assert got["getOne_author"] == {"data": ANN}
    assert got["getMany"] == {"data": [HELLO, AGAIN]}  # id=3&id=1
    assert got["getMany_authors"] == {"data": [ANN, BOB]}
    assert got["update"] == {"data": {**HELLO, "title": "Hello, edited"}}  # PATCH
    assert got["update_author"] == {"data": {**BOB, "name": "Robert"}}
    assert got["deleteOne"] == {"data": AGAIN}
    assert got["getList_after"] == {"data": [{**HELLO, "title": "Hello, edited"}, WORLD], "total": 2}
    assert got["getOne_missing"] == {"error": "Post not found", "status": 404}  # refine shows data.message
    assert got["getList_bad_filter"]["status"] == 422
