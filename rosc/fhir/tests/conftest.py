"""Referrals to read over FHIR, and API keys to read them with."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class

from rosc.accounts.actor import Actor
from rosc.accounts.services import api_token_create
from rosc.consent.models import Category, Consent, Purpose
from rosc.consent.services import consent_record
from rosc.directory.models import Phone, Service
from rosc.referrals.models import Referral
from rosc.referrals.services import referral_create


def r4_parse(data: dict[str, Any]) -> Any:
    """Parse a resource with the fhir.resources R4B model of its type (raises when invalid)."""
    return get_fhir_model_class(data["resourceType"]).model_validate(data)


def give_consent(actor: Actor, participant: Any, recipient: Any, categories: list[str]) -> Consent:
    return consent_record(
        actor=actor,
        participant=participant,
        recipient_organization=recipient,
        purpose=Purpose.REFERRAL,
        categories=categories,
        expires_on=timezone.localdate() + timedelta(days=365),
        right_to_revoke_acknowledged=True,
        signature_name="Maria Garcia",
        signature_confirmed=True,
        signature_method="in_person",
    )


@pytest.fixture
def housing_service(world: Any) -> Service:
    provider = world.org_of("provider_staff")
    service = Service.objects.create(
        organization=provider,
        name="Recovery housing navigation",
        description="Help finding recovery housing.",
        status=Service.Status.ACTIVE,
    )
    Phone.objects.create(service=service, number="555-0199")
    return service


@pytest.fixture
def maria(enrol: Callable[..., Any]) -> Any:
    return enrol(
        "rco_a_peer",
        "Maria",
        "Garcia",
        preferred_name="Mari",
        phone="555-0100",
        email="maria@example.org",
        preferred_contact="text",
        may_leave_message=True,
        language="Spanish",
    )


@pytest.fixture
def referral(
    world: Any, actor_of: Callable[[str], Actor], maria: Any, housing_service: Service
) -> Referral:
    """Sent by Riverbend's peer to Lakeside's housing service, identity shared."""
    provider = world.org_of("provider_staff")
    peer = actor_of("rco_a_peer")
    give_consent(peer, maria, provider, [Category.IDENTITY_CONTACT, Category.REFERRAL_DETAILS])
    return referral_create(
        actor=peer,
        participant=maria,
        recipient_organization=provider,
        recipient_service=housing_service,
        need="housing",
        urgency="urgent",
        note_for_recipient="Mari would like a call in the afternoon.",
    )


@pytest.fixture
def key_of(actor_of: Callable[[str], Actor]) -> Callable[[str], str]:
    """key_of("provider_staff") -> a new API key acting as that persona."""

    def _key(persona: str) -> str:
        _token, key = api_token_create(actor=actor_of(persona), name="Partner system")
        return key

    return _key


@pytest.fixture
def api(key_of: Callable[[str], str]) -> Callable[[str], Client]:
    """api("provider_staff") -> a client that sends that persona's API key (no session)."""

    def _client(persona: str) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Bearer {key_of(persona)}")

    return _client
