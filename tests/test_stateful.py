"""Stateful property-based test: schemathesis chains requests (create, then read, update
and delete what was created, and so on) and checks every answer against OpenAPI.

The chains follow the OpenAPI links sqlcrud declares on each create answer: its key
feeds the read, update and delete of the row (``{hero_id}``, ``{country_id}`` from ``code``).
"""

from typing import Any

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from sqlmodel import SQLModel

from examples.teams import app as teams
from tests.conftest import TEAMS, Backend, hero_router
from tests.test_hostile import reading_router
from tests.test_keys import country_router, gadget_router
from tests.test_schemathesis import QUERYING


def empty_tables(backend: Backend, metadata: sa.MetaData = SQLModel.metadata) -> None:
    with backend.engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())
        if backend.is_postgres:
            connection.execute(sa.text("SELECT setval(pg_get_serial_sequence('hero', 'id'), 1, false)"))


# No 5xx, every answer as OpenAPI declares it, and rows that behave as resources. Not
# run: positive_data_acceptance (see test_schemathesis.py) and negative_data_rejection,
# since pydantic's lax mode, FastAPI's default, takes ``false`` for an integer and a
# number for a date.
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.use_after_free,  # a deleted row is gone
    schemathesis.checks.ensure_resource_availability,  # a created row can be read
]
# derandomize: the same scenarios on every run, so CI never depends on a lucky draw.
STEPS = settings(
    max_examples=15, stateful_step_count=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


@pytest.mark.parametrize("options", [{}, {**QUERYING, "etag": True}], ids=["defaults", "all-options"])
def test_chained_requests_agree_with_openapi(backend: Backend, options: dict[str, Any]) -> None:
    routers = (
        hero_router(backend, **options),
        gadget_router(backend, **options),
        country_router(backend, **options),
        reading_router(backend, **options),
    )
    creates = {"POST_heroes", "POST_gadgets", "POST_countries", "POST_readings"}
    run(backend.app(*routers), backend, SQLModel.metadata, creates)


def test_chained_requests_over_the_team_app(backend: Backend) -> None:
    """Teams and heroes: nested reads, and heroes that name a team created before them."""
    teams.app.dependency_overrides[teams.get_session] = backend.teams.session
    try:
        run(teams.app, backend.teams, TEAMS, {"POST_teams", "POST_heroes"})
    finally:
        teams.app.dependency_overrides.clear()


def run(app: Any, backend: Backend, metadata: sa.MetaData, creates: set[str]) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    workflow = schema.as_state_machine()
    transitions = {name.split("___")[0] for name in dir(workflow) if name.startswith("POST_") and "__GET_" in name}
    assert transitions == creates

    class Checked(workflow):  # type: ignore[misc, valid-type]
        def setup(self) -> None:  # every scenario starts from empty tables, as hypothesis replays them
            empty_tables(backend, metadata)

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            recorder = getattr(self, "recorder", None)
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs or None, recorder=recorder)

    Checked.run(settings=STEPS)
