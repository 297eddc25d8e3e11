"""Property-based: random requests from the OpenAPI schema never get a 5xx, on every backend.

Four models: an int key (heroes), a UUID key with a unique column, an enum, a date and
``ge`` constraints (gadgets), a client-chosen string key (countries), and a column of
every type SQLModel maps (readings). Every check
of schemathesis runs, so responses must also match what OpenAPI declares.
"""

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from examples.teams import app as teams
from tests.conftest import Backend, hero_router
from tests.test_hostile import reading_router
from tests.test_keys import country_router, gadget_router

EXAMPLES = 40  # per operation and backend
# Left out: schemathesis sends the schema's own maximum 2**63-1 as the JSON number
# 9223372036854776000 (a float), which the API rightly refuses. Refusals of valid input
# are tested one by one in test_validation.py instead.
positive_data_acceptance = schemathesis.checks.positive_data_acceptance


QUERYING = {"filters": True, "sort": True, "count": True, "cursor": True}


@pytest.mark.parametrize("options", [{}, QUERYING], ids=["defaults", "querying"])
def test_no_server_errors(backend: Backend, options: dict[str, bool]) -> None:
    app = backend.app(
        hero_router(backend, **options),
        gadget_router(backend, **options),
        country_router(backend, **options),
        reading_router(backend, **options),
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 20
    for operation in operations:
        run(operation)


def run(operation: Any) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    try:
        check()
    except Exception as error:  # name the operation that failed
        pytest.fail(f"{operation.method.upper()} {operation.path}: {error}")


def test_no_server_errors_over_the_team_app(backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLModel's team/hero app: nested reads, foreign keys between the two routers."""
    monkeypatch.chdir(tmp_path)
    teams.app.dependency_overrides[teams.get_session] = backend.teams.session
    try:
        schema = schemathesis.openapi.from_asgi("/openapi.json", teams.app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) == 10
        for operation in operations:
            run(operation)
    finally:
        teams.app.dependency_overrides.clear()
