"""Councils of the shared world: the coordinator's council and another host's."""

from datetime import date

import pytest

from conftest import World
from rosc.accounts.models import Organization
from rosc.accounts.services import organization_create
from rosc.councils.models import Council
from rosc.councils.services import council_create, county_upsert

CHICAGO = "America/Chicago"


@pytest.fixture
def council(world: World) -> Council:
    """The Northern Region council, hosted by the council coordinator's organization."""
    counties = [
        county_upsert(fips="17201", name="Winnebago", state="IL"),
        county_upsert(fips="17141", name="Ogle", state="IL"),
    ]
    return council_create(
        name="Northern Region ROSC Council",
        host=world.orgs["council_host"],
        counties=counties,
        time_zone=CHICAGO,
        description="People in recovery, families and partners of the northern counties.",
    )


@pytest.fixture
def other_council(world: World) -> Council:
    """A council hosted by an organization no persona belongs to."""
    host = organization_create(name="Southern Host", kind=Organization.Kind.COUNCIL_HOST)
    return council_create(
        name="Southern ROSC Council",
        host=host,
        counties=[county_upsert(fips="17077", name="Jackson", state="IL")],
        time_zone=CHICAGO,
    )


JAN_1_2026 = date(2026, 1, 1)
