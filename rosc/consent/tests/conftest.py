"""Helpers for consent tests: the Actor of a persona, and enrolling someone as them."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from rosc.accounts.actor import Actor, actor_for_user
from rosc.people.models import Participant
from rosc.people.services import participant_enrol


@pytest.fixture
def actor_of(world: World) -> Callable[[str], Actor]:
    def _actor(persona: str) -> Actor:
        return actor_for_user(world.users[persona], world.org_of(persona))

    return _actor


@pytest.fixture
def enrol(actor_of: Callable[[str], Actor]) -> Callable[..., Participant]:
    def _enrol(persona: str, first: str, last: str, **fields: Any) -> Participant:
        return participant_enrol(
            actor=actor_of(persona), legal_first_name=first, legal_last_name=last, **fields
        )

    return _enrol


@pytest.fixture
def person(enrol: Callable[..., Participant]) -> Participant:
    return enrol("rco_a_peer", "Maria", "Garcia")


def consent_fields(**overrides: Any) -> dict[str, Any]:
    """A complete consent; tests take elements away or change them."""
    fields: dict[str, Any] = {
        "purpose": "care_coordination",
        "categories": ["identity_and_contact", "engagement_and_attendance"],
        "expires_on": timezone.localdate() + timedelta(days=365),
        "right_to_revoke_acknowledged": True,
        "signature_name": "Maria Garcia",
        "signature_confirmed": True,
        "signature_method": "in_person",
    }
    fields.update(overrides)
    return fields
