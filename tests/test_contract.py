"""The suite's own routers through ``sqlcrud.testing.check``, on every backend: round
trips, the hostile-input catalogue, and schemathesis, stateless and chained.

Four models: an int key (heroes), a UUID key with a unique column, an enum, a date and
``ge`` constraints (gadgets), a client-chosen text key (countries), and a column of every
type SQLModel maps (readings); with the defaults, and with every option a client sees.
"""

from typing import Any

import pytest

from sqlcrud.testing import check
from tests.conftest import Backend, hero_router
from tests.test_hostile import reading_router
from tests.test_keys import country_router, gadget_router

EVERY_OPTION = {"filters": True, "sort": True, "count": True, "cursor": True, "etag": True}


@pytest.mark.parametrize("options", [{}, EVERY_OPTION], ids=["defaults", "every-option"])
def test_every_key_type_and_column_type(backend: Backend, options: dict[str, Any]) -> None:
    routers = [router(backend, **options) for router in (hero_router, gadget_router, country_router, reading_router)]
    report = check(backend.app(*routers))
    assert not report.failures, report
    assert len(report.routes) == 20
    assert report.notes == ["isolation: give two identities or more to check it"]  # every other check ran


def test_the_second_round_of_querying(backend: Backend) -> None:
    """Filters through relationships, OR groups, search and field selection, on tables
    related every way (many-to-one, to itself, many-to-many, one-to-many). Adventurers
    refer to guilds, which the check creates for them, and to a mentor, an adventurer, for
    which it sends null; guilds update with their create model, whose ``name`` is required."""
    from tests.test_related_filters import adventurers, guilds

    options = {"or_groups": True, "search": ["name"], "field_selection": True, "sort": True, "cursor": True}
    report = check(backend.app(adventurers(backend, **options), guilds(backend, **options)))
    assert not report.failures, report
    assert len(report.routes) == 10
    assert report.notes == ["isolation: give two identities or more to check it"]
