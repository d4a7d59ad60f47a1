"""The participant's page, the consent form, one consent, revocation and the disclosures list."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from rosc.consent.models import Consent
from rosc.consent.services import consent_record, disclosure_record
from rosc.consent.tests.conftest import consent_fields
from rosc.core.models import AuditEvent
from rosc.people.models import Participant


def consent_form(world, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "recipient_organization": str(world.orgs["provider"].public_id),
        "purpose": "care_coordination",
        "categories": ["identity_and_contact", "engagement_and_attendance"],
        "expires_on": (timezone.localdate() + timedelta(days=180)).isoformat(),
        "right_to_revoke_acknowledged": "on",
        "signature_name": "Maria Garcia",
        "signature_confirmed": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def consent(world, actor_of, person: Participant) -> Consent:
    return consent_record(
        actor=actor_of("rco_a_peer"),
        participant=person,
        recipient_organization=world.orgs["provider"],
        **consent_fields(),
    )


def test_peer_records_a_consent_from_the_participants_page(world, as_persona, person):
    peer = as_persona("rco_a_peer")
    page = peer.get(f"/participants/{person.public_id}/consents/new/")
    assert page.status_code == 200
    assert b"You may revoke (take back) this consent at any time" in page.content
    assert b"Lakeside Treatment Partners" in page.content
    assert b"Riverbend Recovery Community</option>" not in page.content  # not their own

    response = peer.post(f"/participants/{person.public_id}/consents/new/", consent_form(world))

    consent = Consent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/participants/{person.public_id}/consents/{consent.public_id}/"
    assert consent.recipient_organization == world.orgs["provider"]
    assert consent.signature_method == "in_person"
    assert consent.right_to_revoke_acknowledged and consent.signature_confirmed
    detail = peer.get(response["Location"])
    assert detail.status_code == 200
    assert b"42 CFR part 2 prohibits unauthorized use or disclosure" in detail.content
    assert b"Active" in detail.content
    overview = peer.get(f"/participants/{person.public_id}/")
    assert b"With Lakeside Treatment Partners" in overview.content
    assert b"Active" in overview.content


@pytest.mark.parametrize(
    ("missing", "field", "message"),
    [
        ("recipient_organization", "recipient_organization", "Name the organization"),
        ("purpose", "purpose", "Choose why the information may be shared."),
        ("categories", "categories", "Choose at least one kind of information"),
        ("expires_on", "expires_on", "Give the date this consent ends"),
        ("right_to_revoke_acknowledged", "right_to_revoke_acknowledged", "may revoke"),
        ("signature_name", "signature_name", "types their name"),
        ("signature_confirmed", "signature_confirmed", "confirm that this is their signature"),
    ],
)
def test_a_consent_missing_an_element_shows_the_error_next_to_that_field(
    world, as_persona, person, missing, field, message
):
    peer = as_persona("rco_a_peer")
    response = peer.post(
        f"/participants/{person.public_id}/consents/new/", consent_form(world, **{missing: None})
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert b'aria-invalid="true"' in response.content
    assert not Consent.objects.exists()


def test_a_past_end_date_and_a_class_of_recipients_instead_of_an_organization(
    world, as_persona, person
):
    peer = as_persona("rco_a_peer")
    url = f"/participants/{person.public_id}/consents/new/"
    past = consent_form(world, expires_on=(timezone.localdate() - timedelta(days=1)).isoformat())
    assert "already passed" in peer.post(url, past).context["form"].errors["expires_on"][0]
    by_class = consent_form(
        world,
        recipient_organization="",
        recipient_class="My treatment providers",
        expires_on="",
        expiry_event="I finish the program",
    )
    assert peer.post(url, by_class).status_code == 302
    consent = Consent.objects.get()
    assert consent.recipient_class == "My treatment providers"
    assert consent.expiry_event == "I finish the program"


def test_revoking_is_post_only_takes_effect_at_once_and_shows_as_revoked(
    world, as_persona, person, consent
):
    peer = as_persona("rco_a_peer")
    url = f"/participants/{person.public_id}/consents/{consent.public_id}/revoke/"
    assert peer.get(url).status_code == 405
    consent.refresh_from_db()
    assert consent.revoked_at is None

    response = peer.post(url, {"note": "Told me by phone on Monday."})

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    assert consent.revocation_note == "Told me by phone on Monday."
    assert not consent.is_in_force(timezone.now())
    detail = peer.get(response["Location"])
    assert b"Revoked" in detail.content
    assert b"Revoke consent</button>" not in detail.content
    assert b"Revoked" in peer.get(f"/participants/{person.public_id}/").content
    # A second revocation is refused with a message, not an error page.
    again = peer.post(url, {"note": ""}, follow=True)
    assert b"already revoked" in again.content


def test_the_printable_copy_carries_every_element_and_the_notice(
    world, as_persona, person, consent
):
    peer = as_persona("rco_a_peer")
    page = peer.get(f"/participants/{person.public_id}/consents/{consent.public_id}/print/")
    assert page.status_code == 200
    for text in (
        b"Maria Garcia",
        b"Riverbend Recovery Community",
        b"Lakeside Treatment Partners",
        b"Coordinating my care and support",
        b"Identity and contact details",
        b"You may revoke",
        b"42 CFR part 2 prohibits unauthorized use or disclosure",
    ):
        assert text in page.content, text


def test_the_disclosures_list_shows_what_went_where_under_which_consent(
    world, as_persona, actor_of, person, consent
):
    disclosure_record(
        actor=actor_of("rco_a_peer"),
        participant=person,
        recipient=world.orgs["provider"],
        purpose="care_coordination",
        categories=["identity_and_contact"],
    )
    page = as_persona("rco_a_peer").get(f"/participants/{person.public_id}/disclosures/")
    assert page.status_code == 200
    assert b"To Lakeside Treatment Partners" in page.content
    assert b"Identity and contact details" in page.content
    assert f"/consents/{consent.public_id}/".encode() in page.content


def test_another_organizations_peer_gets_404_on_every_page_of_the_person(
    world, as_persona, person, consent
):
    other = as_persona("rco_b_peer")
    base = f"/participants/{person.public_id}"
    pages = [
        f"{base}/",
        f"{base}/consents/new/",
        f"{base}/consents/{consent.public_id}/",
        f"{base}/consents/{consent.public_id}/print/",
        f"{base}/disclosures/",
    ]
    for url in pages:
        since = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
        assert other.get(url).status_code == 404, url
        assert AuditEvent.objects.filter(
            id__gt=since,
            username="rco_b_peer",
            outcome=AuditEvent.Outcome.DENIED,
            record_id=str(person.public_id),
        ).exists(), url
    assert other.post(f"{base}/consents/{consent.public_id}/revoke/").status_code == 404
    assert other.post(f"{base}/consents/new/", consent_form(world)).status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_at is None
    assert Consent.objects.count() == 1


def test_a_consent_under_another_participant_of_the_same_organization_is_not_found(
    world, as_persona, enrol, consent
):
    someone_else = enrol("rco_a_peer", "Sam", "Okafor")
    peer = as_persona("rco_a_peer")
    url = f"/participants/{someone_else.public_id}/consents/{consent.public_id}/"
    assert peer.get(url).status_code == 404
    assert peer.post(url + "revoke/").status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_at is None


def test_revoking_and_recording_without_the_csrf_token_are_refused(world, person, consent):
    client = sign_in(Client(enforce_csrf_checks=True), world, "rco_a_peer")
    base = f"/participants/{person.public_id}/consents"
    assert client.post(f"{base}/{consent.public_id}/revoke/", {"note": "x"}).status_code == 403
    assert client.post(f"{base}/new/", consent_form(world)).status_code == 403
    consent.refresh_from_db()
    assert consent.revoked_at is None
    assert Consent.objects.count() == 1
