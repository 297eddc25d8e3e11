"""A test of an app's contract, as a user writes one: the notes example."""

import base64

from fastapi.testclient import TestClient

from examples.notes.app import app
from sqlcrud.testing import check


# --8<-- [start:test]
def basic(username: str, password: str) -> dict[str, str]:
    """The header of HTTP Basic credentials."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_the_api_keeps_its_contract() -> None:
    with TestClient(app) as client:  # two users to act as
        for name in ("ann", "bob"):
            password = f"{name}'s password"
            client.post("/users/", json={"username": name, "password": password})
    ann = basic("ann", "ann's password")
    bob = basic("bob", "bob's password")
    report = check(app, identities={"ann": ann, "bob": bob})
    assert not report.failures, report


# --8<-- [end:test]
