"""Helpers for consent tests: a person to consent, and a complete consent to vary."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from rosc.people.models import Participant


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
