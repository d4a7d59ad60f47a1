"""Signing a consent on the person's own phone through a one-time link."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from rosc.accounts.services import membership_deactivate
from rosc.consent.models import Consent, SigningRequest
from rosc.consent.services import signing_request_create
from rosc.consent.tests.test_views import consent_form
from rosc.core.models import AuditEvent
from rosc.people.models import Participant

UNSIGNED = {
    "signature_name": None,
    "signature_confirmed": None,
    "right_to_revoke_acknowledged": None,
}


def prepare_link(peer: Client, world, person: Participant) -> tuple[SigningRequest, str]:
    """The peer prepares the consent with the person and asks for a link; returns its path."""
    response = peer.post(
        f"/participants/{person.public_id}/consents/new/",
        {**consent_form(world, **UNSIGNED), "send_link": "1"},
    )
    signing = SigningRequest.objects.get()
    assert response["Location"] == (
        f"/participants/{person.public_id}/consents/signing/{signing.public_id}/"
    )
    page = peer.get(response["Location"])
    assert page.status_code == 200
    link = re.search(rb'value="http://testserver(/consent/sign/[^"]+/)"', page.content)
    assert link is not None, "the staff page shows the link to hand over"
    assert b'class="qr"' in page.content
    return signing, link[1].decode()


SIGNATURE = {
    "right_to_revoke_acknowledged": "on",
    "signature_name": "Maria Garcia",
    "signature_confirmed": "on",
}


def test_the_person_signs_on_their_own_phone_and_the_link_then_stops_working(
    world, as_persona, person
):
    peer = as_persona("rco_a_peer")
    signing, path = prepare_link(peer, world, person)
    assert not Consent.objects.exists(), "nothing is signed until the person signs"

    phone = Client()  # the person's own phone: no account
    page = phone.get(path)
    assert page.status_code == 200
    assert b"Lakeside Treatment Partners" in page.content
    assert b"Engagement and attendance" in page.content
    assert b"You may revoke (take back) this consent at any time" in page.content

    done = phone.post(path, SIGNATURE)
    assert done.status_code == 200
    assert b"Thank you" in done.content
    consent = Consent.objects.get()
    assert consent.signature_method == "own_device"
    assert consent.signature_name == "Maria Garcia"
    assert consent.recipient_organization == world.orgs["provider"]
    assert consent.categories == ["identity_and_contact", "engagement_and_attendance"]
    signing.refresh_from_db()
    assert signing.consent == consent and signing.used_at is not None

    again = Client().get(path)
    assert again.status_code == 404
    assert b"no longer works" in again.content
    assert Client().post(path, SIGNATURE).status_code == 404
    assert Consent.objects.count() == 1

    staff_page = peer.get(f"/participants/{person.public_id}/consents/signing/{signing.public_id}/")
    assert b"Open the signed consent" in staff_page.content


def test_a_missing_signature_is_named_next_to_its_field_and_nothing_is_signed(
    world, as_persona, person
):
    _, path = prepare_link(as_persona("rco_a_peer"), world, person)
    phone = Client()
    response = phone.post(path, {"signature_name": "Maria Garcia"})
    assert response.status_code == 200
    assert b"The signer needs to confirm that this is their signature." in response.content
    assert b"The person needs to be told they may revoke" in response.content
    assert not Consent.objects.exists()
    assert phone.post(path, SIGNATURE).status_code == 200, "the link still works after an error"


def test_preparing_a_link_checks_every_term_first(world, as_persona, person):
    peer = as_persona("rco_a_peer")
    response = peer.post(
        f"/participants/{person.public_id}/consents/new/",
        {**consent_form(world, recipient_organization=None, **UNSIGNED), "send_link": "1"},
    )
    assert response.status_code == 200
    assert b"Name the organization that may receive the information" in response.content
    assert not SigningRequest.objects.exists()


def test_only_a_hash_of_the_token_is_stored(world, actor_of, person):
    signing, token = signing_request_create(
        actor=actor_of("rco_a_peer"),
        participant=person,
        recipient_organization=world.orgs["provider"],
        purpose="referral",
        categories=["identity_and_contact"],
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    assert len(token) >= 40
    assert token not in signing.token_hash
    assert token not in str(SigningRequest.objects.filter(pk=signing.pk).values().get())


@pytest.mark.parametrize("ending", ["expired", "cancelled", "preparer_left"])
def test_an_expired_cancelled_or_orphaned_link_no_longer_opens(
    world, as_persona, actor_of, person, ending
):
    peer = as_persona("rco_a_peer")
    signing, path = prepare_link(peer, world, person)
    if ending == "expired":
        SigningRequest.objects.filter(pk=signing.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    elif ending == "cancelled":
        url = f"/participants/{person.public_id}/consents/signing/{signing.public_id}/cancel/"
        assert peer.post(url).status_code == 302
    else:
        membership_deactivate(
            actor=actor_of("rco_a_admin"), membership=world.memberships["rco_a_peer"]
        )
        # The page may still open, but signing must refuse: nobody may record it for the org.
        response = Client().post(path, SIGNATURE)
        assert response.status_code == 404
        assert not Consent.objects.exists()
        return
    assert Client().get(path).status_code == 404
    assert Client().post(path, SIGNATURE).status_code == 404
    assert not Consent.objects.exists()


def test_preparing_viewing_and_signing_are_each_audited(world, as_persona, person):
    peer = as_persona("rco_a_peer")
    signing, path = prepare_link(peer, world, person)
    Client().post(path, SIGNATURE)
    events = AuditEvent.objects.filter(record_id=str(signing.public_id)).order_by("id")
    assert [e.action for e in events] == ["create", "view", "update"]
    assert events[2].detail["signed_on_own_device"] is True
    assert all(e.subject_id == str(person.public_id) for e in events)


def test_another_organizations_peer_cannot_open_the_staff_page_of_a_link(world, as_persona, person):
    signing, _ = prepare_link(as_persona("rco_a_peer"), world, person)
    other = as_persona("rco_b_peer")
    url = f"/participants/{person.public_id}/consents/signing/{signing.public_id}/"
    assert other.get(url).status_code == 404
    assert other.post(url + "cancel/").status_code == 404
    signing.refresh_from_db()
    assert signing.cancelled_at is None
