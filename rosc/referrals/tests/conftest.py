"""Helpers for the referral tests: consents and referrals made as real staff would."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization
from rosc.consent.models import Category, Consent, Purpose
from rosc.consent.services import consent_record
from rosc.people.models import Participant


def record_consent(
    actor: Actor,
    participant: Participant,
    recipient: Organization,
    categories: list[str] | None = None,
    purpose: str = Purpose.REFERRAL,
) -> Consent:
    return consent_record(
        actor=actor,
        participant=participant,
        recipient_organization=recipient,
        purpose=purpose,
        categories=categories or [Category.IDENTITY_CONTACT, Category.REFERRAL_DETAILS],
        expires_on=timezone.localdate() + timedelta(days=365),
        right_to_revoke_acknowledged=True,
        signature_name=participant.legal_name,
        signature_confirmed=True,
        signature_method="in_person",
    )


@pytest.fixture
def consent_to(actor_of: Callable[[str], Actor], world: World) -> Callable[..., Consent]:
    """consent_to("rco_a_peer", maria, "provider_staff", categories=[...]) -> a signed consent
    of the person to share with that persona's organization."""

    def _consent(persona: str, participant: Participant, to: str, **kwargs: Any) -> Consent:
        return record_consent(actor_of(persona), participant, world.org_of(to), **kwargs)

    return _consent
