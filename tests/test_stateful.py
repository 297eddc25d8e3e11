"""Stateful property-based test: schemathesis chains requests (create, then read, update
and delete what was created, and so on) and checks every answer against OpenAPI.

The links between operations are inferred by schemathesis from the schema (the create
answer's ``id`` feeds ``{hero_id}``). sqlcrud does not declare OpenAPI links itself: their
operation ids and paths depend on where the app mounts the router.
"""

from typing import Any

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from sqlmodel import SQLModel

from tests.conftest import Backend, hero_router
from tests.test_keys import country_router, gadget_router
from tests.test_schemathesis import QUERYING


def empty_tables(backend: Backend) -> None:
    with backend.engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
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
    routers = (hero_router(backend, **options), gadget_router(backend, **options), country_router(backend, **options))
    schema = schemathesis.openapi.from_asgi("/openapi.json", backend.app(*routers))
    workflow = schema.as_state_machine()
    transitions = {name.split("___")[0] for name in dir(workflow) if name.startswith("POST_") and "__GET_" in name}
    # Inferred where the key is the public field ``id``; countries (key ``code``) get
    # random requests only.
    assert transitions == {"POST_heroes", "POST_gadgets"}

    class Checked(workflow):  # type: ignore[misc, valid-type]
        def setup(self) -> None:  # every scenario starts from empty tables, as hypothesis replays them
            empty_tables(backend)

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            recorder = getattr(self, "recorder", None)
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs or None, recorder=recorder)

    Checked.run(settings=STEPS)
