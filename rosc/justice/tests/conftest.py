"""A jail with a reentry coordinator, beside the shared world's personas."""

import pytest

from conftest import World
from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization
from rosc.justice.tests.factories import justice_partner


@pytest.fixture
def jail(world: World) -> Actor:
    """The legal partner (reentry coordinator) of "Fictional County Jail", persona "jail_partner"."""
    return justice_partner(world, "jail_partner", "Fictional County Jail", Organization.Kind.JAIL)
