"""42 CFR §2.35: a justice-system consent may be irrevocable for a time, and the forms say so."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from rosc.consent.models import Category, Consent
from rosc.consent.notices import JUSTICE_CONSENT_EXPLANATION
from rosc.consent.services import consent_record, signing_request_create

from .conftest import consent_fields

pytestmark = pytest.mark.django_db

FOR_JUSTICE = "This consent is for a justice-system program."


def _text(response) -> str:
    return unescape(response.content.decode())


def test_the_consent_form_for_a_justice_purpose_explains_irrevocability_and_shows_the_fields(
    world, person, as_persona
):
    court = world.org_of("court_partner")
    page = _text(
        as_persona("rco_a_peer").get(
            f"/participants/{person.public_id}/consents/new/"
            f"?purpose=justice&recipient={court.public_id}"
            "&categories=engagement_and_attendance&categories=recovery_plan"
        )
    )
    assert FOR_JUSTICE in page
    assert JUSTICE_CONSENT_EXPLANATION in page
    assert "42 CFR §2.35" in page
    assert 'name="irrevocable_until"' in page
    assert 'name="irrevocable_until_event"' in page
    assert re.search(r'value="justice"[^>]*checked', page)
    assert f'<option value="{court.public_id}" selected>' in page


def test_choosing_a_court_as_recipient_brings_up_the_justice_explanation_on_the_form(
    world, person, as_persona
):
    court = world.org_of("court_partner")
    page = _text(
        as_persona("rco_a_peer").post(
            f"/participants/{person.public_id}/consents/new/",
            {"recipient_organization": str(court.public_id), "purpose": "referral"},
        )
    )
    assert "There is a problem" in page
    assert FOR_JUSTICE in page


def test_an_ordinary_consent_form_still_shows_the_field_but_not_the_justice_notice(
    person, as_persona
):
    page = _text(as_persona("rco_a_peer").get(f"/participants/{person.public_id}/consents/new/"))
    assert FOR_JUSTICE not in page
    assert "Justice-system programs only (42 CFR §2.35)" in page
    assert 'name="irrevocable_until"' in page


def test_a_made_up_recipient_in_the_link_is_ignored(person, as_persona):
    response = as_persona("rco_a_peer").get(
        f"/participants/{person.public_id}/consents/new/?purpose=nonsense&recipient=not-an-id"
    )
    assert response.status_code == 200
    assert '<option value="" selected>' in response.content.decode()
    assert not re.search(r'value="justice"[^>]*checked', response.content.decode())


def _justice_consent(world, person, actor_of, **overrides) -> Consent:
    return consent_record(
        actor=actor_of("rco_a_peer"),
        participant=person,
        **consent_fields(
            recipient_organization=world.org_of("court_partner"),
            purpose="justice",
            categories=[Category.ENGAGEMENT, Category.RECOVERY_PLAN],
            **overrides,
        ),
    )


def test_the_printable_copy_of_an_irrevocable_justice_consent_states_until_when(
    world, person, actor_of, as_persona
):
    until = timezone.localdate() + timedelta(days=120)
    consent = _justice_consent(world, person, actor_of, irrevocable_until=until)
    page = _text(
        as_persona("rco_a_peer").get(
            f"/participants/{person.public_id}/consents/{consent.public_id}/print/"
        )
    )
    assert "Justice-system referral (42 CFR §2.35)" in page
    assert JUSTICE_CONSENT_EXPLANATION in page
    assert f"It cannot be revoked until {until:%b}" in page
    assert f"{until.day}, {until.year}" in page


def test_the_printable_copy_of_a_justice_consent_without_a_period_says_it_can_be_revoked(
    world, person, actor_of, as_persona
):
    consent = _justice_consent(world, person, actor_of)
    page = _text(
        as_persona("rco_a_peer").get(
            f"/participants/{person.public_id}/consents/{consent.public_id}/print/"
        )
    )
    assert "Justice-system referral (42 CFR §2.35)" in page
    assert "it may be revoked at any time" in page


def test_the_printable_copy_of_an_ordinary_consent_has_no_justice_section(
    world, person, actor_of, as_persona
):
    consent = consent_record(
        actor=actor_of("rco_a_peer"),
        participant=person,
        **consent_fields(recipient_organization=world.org_of("provider_staff")),
    )
    page = _text(
        as_persona("rco_a_peer").get(
            f"/participants/{person.public_id}/consents/{consent.public_id}/print/"
        )
    )
    assert "42 CFR §2.35" not in page


def test_the_person_signing_a_justice_consent_on_their_phone_reads_the_explanation(
    world, person, actor_of, client
):
    _request, token = signing_request_create(
        actor=actor_of("rco_a_peer"),
        participant=person,
        recipient_organization=world.org_of("court_partner"),
        purpose="justice",
        categories=[Category.ENGAGEMENT],
        expires_on=timezone.localdate() + timedelta(days=90),
    )
    page = _text(client.get(f"/consent/sign/{token}/"))
    assert JUSTICE_CONSENT_EXPLANATION in page
