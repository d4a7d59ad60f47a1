"""A person asks an organization to contact them from its directory listing (a self-referral)."""

import re
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rosc.accounts.models import Organization
from rosc.accounts.services import organization_create
from rosc.core.models import AuditEvent
from rosc.directory.models import Phone, Service
from rosc.referrals.contact import client_hash, self_referral_create
from rosc.referrals.contact_forms import form_token, listing_key
from rosc.referrals.models import (
    ContactAttempt,
    Notification,
    Referral,
    ReferralEvent,
    ReferralStatus,
)

pytestmark = pytest.mark.django_db

PHONE = "217-555-0142"


@pytest.fixture(autouse=True)
def no_minimum_wait(settings):
    """Most tests send the form at once; the too-fast test puts the wait back."""
    settings.ROSC_CONTACT_MIN_SECONDS = 0


@pytest.fixture
def partner(world) -> Organization:
    """Lakeside Treatment Partners: its staff use ROSC Hub, so its listing takes requests."""
    org = world.orgs["provider"]
    Phone.objects.create(organization=org, number=PHONE)
    return org


@pytest.fixture
def service(partner) -> Service:
    return Service.objects.create(
        organization=partner,
        name="Outpatient recovery support",
        description="Weekly groups and one-to-one support.",
        status=Service.Status.ACTIVE,
    )


def form_url(org: Organization, service: Service | None = None) -> str:
    if service is not None:
        return reverse("referrals:contact_service", args=[service.public_id])
    return reverse("referrals:contact_organization", args=[org.public_id])


def token_from(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "the form carries a token"
    return match.group(1)


def answers(**overrides) -> dict[str, str]:
    data = {
        "name": "Sam Rivera",
        "phone": "(217) 555-0199",
        "email": "sam@example.org",
        "preferred_contact": "text",
        "may_leave_message": "on",
        "need": "housing",
        "message": "Looking for a sober living place near work.",
        "consent_to_contact": "on",
        "contact_reference": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def send(client: Client, url: str, ip: str = "203.0.113.7", **overrides):
    """Open the form (as a person would), then send it from `ip`."""
    token = token_from(client.get(url, REMOTE_ADDR=ip))
    return client.post(url, {**answers(**overrides), "token": token}, REMOTE_ADDR=ip)


def test_a_persons_request_lands_in_the_inbox_as_a_requested_self_referral_with_consent(
    client, partner, service
):
    response = send(client, form_url(partner, service))

    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:contact_sent", args=[partner.public_id])
    referral = Referral.objects.get(recipient_organization=partner)
    assert referral.kind == "self_referral"
    assert referral.source == "contact_form"
    assert referral.status == ReferralStatus.REQUESTED
    assert referral.sent_at is not None
    assert referral.sender_organization is None and referral.sender_user is None
    assert referral.participant is None
    assert referral.recipient_service == service
    assert referral.need == "housing"
    assert referral.note_for_recipient == "Looking for a sober living place near work."
    assert referral.categories == ["identity_and_contact", "referral_details"]
    identity = referral.shared["identity_and_contact"]
    assert identity["name"] == "Sam Rivera"
    assert (identity["first_name"], identity["last_name"]) == ("Sam", "Rivera")
    assert identity["phone"] == "(217) 555-0199"
    assert identity["email"] == "sam@example.org"
    assert identity["preferred_contact"] == "text"
    assert identity["may_leave_message"] is True
    details = referral.shared["referral_details"]
    assert details["consent_to_contact"] is True
    assert details["consent_statement"] == (
        "I agree that Lakeside Treatment Partners may contact me about this."
    )
    assert details["consented_at"]
    assert details["service"] == "Outpatient recovery support"
    assert details["note"] == "Looking for a sober living place near work."
    assert referral.person_label == "Sam Rivera"
    event = referral.events.get()
    assert (event.kind, event.side, event.to_status) == (
        ReferralEvent.Kind.STATUS,
        ReferralEvent.Side.PERSON,
        "requested",
    )
    audit = AuditEvent.objects.get(record_id=str(referral.public_id))
    assert audit.action == AuditEvent.Action.CREATE
    assert audit.user_id is None and audit.ip is None
    assert audit.record_organization_id == partner.public_id
    # The address is counted by its keyed hash only.
    attempt = ContactAttempt.objects.get()
    assert attempt.ip_hash == client_hash("203.0.113.7")
    assert "203.0.113.7" not in attempt.ip_hash


def test_the_organization_page_sends_a_request_without_a_service_and_an_unsaid_need(
    client, partner
):
    response = send(
        client,
        form_url(partner),
        name="Jo",
        phone="",
        preferred_contact="email",
        need="",
        may_leave_message=None,
    )

    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.recipient_service is None
    assert referral.need == "recovery_wellness"
    assert referral.shared["referral_details"]["need_stated"] is False
    identity = referral.shared["identity_and_contact"]
    assert (identity["first_name"], identity["last_name"]) == ("Jo", "")
    assert identity["may_leave_message"] is False
    assert identity["preferred_contact_label"] == "E-mail"


def test_missing_contact_and_consent_are_errors_next_to_the_fields_and_nothing_is_saved(
    client, partner
):
    response = send(
        client, form_url(partner), phone="", email="", consent_to_contact=None, name="Sam"
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'id="id_phone_error"' in page
    assert "Please give a phone number or an e-mail address" in page
    assert 'id="id_consent_to_contact_error"' in page
    assert 'aria-describedby="id_consent_to_contact_error"' in page
    assert 'value="Sam"' in page  # what they typed is kept
    assert "Looking for a sober living place near work." in page
    assert not Referral.objects.exists()
    assert not ContactAttempt.objects.exists()


def test_choosing_email_without_an_address_or_a_bad_phone_is_refused_at_the_field(client, partner):
    response = send(client, form_url(partner), email="", preferred_contact="email")
    assert "You chose e-mail: please give your e-mail address." in response.content.decode()

    response = send(client, form_url(partner), phone="555-01", email="")
    assert "Enter a 10-digit number with its area code" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_message_over_a_thousand_characters_is_refused(client, partner):
    response = send(client, form_url(partner), message="x" * 1001)
    assert "Please keep the message under 1,000 characters." in response.content.decode()
    assert not Referral.objects.exists()


def test_a_filled_honeypot_gets_the_thank_you_page_and_nothing_is_saved(client, partner):
    response = send(client, form_url(partner), contact_reference="http://spam.example")

    assert response.status_code == 302
    assert response["Location"].endswith("/contact-me/sent/")
    assert not Referral.objects.exists()
    assert not ContactAttempt.objects.exists()
    assert not Notification.objects.exists()


def test_a_form_sent_faster_than_a_person_could_is_thanked_and_not_saved(client, partner, settings):
    settings.ROSC_CONTACT_MIN_SECONDS = 3
    response = send(client, form_url(partner))

    assert response.status_code == 302
    assert not Referral.objects.exists()


def test_the_form_is_taken_after_the_minimum_wait(client, partner, settings, monkeypatch):
    settings.ROSC_CONTACT_MIN_SECONDS = 3
    url = form_url(partner)
    token = token_from(client.get(url))
    later = time.time() + 4
    monkeypatch.setattr(time, "time", lambda: later)
    client.post(url, {**answers(), "token": token})
    assert Referral.objects.count() == 1


def test_a_form_left_open_over_a_day_asks_to_send_it_again_with_the_input_kept(
    client, partner, monkeypatch
):
    url = form_url(partner)
    two_days_ago = time.time() - 2 * 24 * 3600
    with monkeypatch.context() as m:
        m.setattr(time, "time", lambda: two_days_ago)
        stale = form_token(listing_key(partner, None))

    response = client.post(url, {**answers(name="Sam Rivera"), "token": stale})

    assert response.status_code == 200
    page = response.content.decode()
    assert "This form was open for more than a day, so it was not sent." in page
    assert 'value="Sam Rivera"' in page
    assert token_from(response) != stale  # a fresh token: sending it again works
    assert not Referral.objects.exists()
    response = client.post(url, {**answers(), "token": token_from(response)})
    assert response.status_code == 302
    assert Referral.objects.count() == 1


def test_a_token_from_another_listing_or_a_forged_one_is_not_accepted(client, partner, service):
    other = form_token(listing_key(partner, service))
    response = client.post(form_url(partner), {**answers(), "token": other})
    assert "Something went wrong with this form" in response.content.decode()
    response = client.post(form_url(partner), {**answers(), "token": "forged:token:x"})
    assert "Something went wrong with this form" in response.content.decode()
    assert not Referral.objects.exists()


def test_the_sixth_request_in_an_hour_from_one_address_gets_429_with_the_phone_number(
    client, partner
):
    url = form_url(partner)
    for _ in range(5):
        assert send(client, url, ip="198.51.100.4").status_code == 302
    assert Referral.objects.count() == 5

    response = send(client, url, ip="198.51.100.4")

    assert response.status_code == 429
    page = response.content.decode()
    assert "We could not send your request just now" in page
    assert PHONE in page
    assert "988" in page
    assert Referral.objects.count() == 5
    # Another address still gets through.
    assert send(client, url, ip="198.51.100.5").status_code == 302


def test_an_organization_takes_twenty_requests_an_hour_from_everyone(client, partner):
    now = timezone.now()
    ContactAttempt.objects.bulk_create(
        ContactAttempt(ip_hash=client_hash(f"192.0.2.{i}"), organization=partner, at=now)
        for i in range(20)
    )
    # Requests from more than an hour ago no longer count.
    ContactAttempt.objects.filter(ip_hash=client_hash("192.0.2.0")).update(
        at=now - timedelta(minutes=61)
    )
    assert send(client, form_url(partner), ip="192.0.2.200").status_code == 302

    response = send(client, form_url(partner), ip="192.0.2.201")

    assert response.status_code == 429
    assert Referral.objects.count() == 1


def test_the_service_refuses_past_the_limit_and_saves_nothing(partner):
    from rosc.referrals.contact import ContactLimitReached

    arguments = {
        "organization": partner,
        "ip_hash": client_hash("198.51.100.9"),
        "name": "Sam",
        "phone": PHONE,
        "preferred_contact": "phone_call",
        "consent_to_contact": True,
    }
    for _ in range(5):
        self_referral_create(**arguments)
    with pytest.raises(ContactLimitReached):
        self_referral_create(**arguments)
    assert Referral.objects.count() == 5


def test_the_service_checks_what_was_typed_even_without_the_form(partner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        self_referral_create(
            organization=partner,
            ip_hash="x",
            name="",
            preferred_contact="in_person",
            consent_to_contact=False,
        )
    assert set(refused.value.message_dict) == {
        "name",
        "phone",
        "preferred_contact",
        "consent_to_contact",
    }
    assert not Referral.objects.exists()


def test_an_inactive_organization_answers_404_everywhere(client, partner, service):
    partner.is_active = False
    partner.save()
    assert client.get(form_url(partner)).status_code == 404
    assert client.get(form_url(partner, service)).status_code == 404
    assert client.post(form_url(partner), answers()).status_code == 404
    assert (
        client.get(reverse("referrals:contact_sent", args=[partner.public_id])).status_code == 404
    )
    assert not Referral.objects.exists()


def test_a_listing_whose_staff_do_not_use_rosc_hub_offers_no_form(client, db):
    elsewhere = organization_create(name="Harbor Housing", kind=Organization.Kind.HOUSING)
    page = client.get(reverse("directory:organization", args=[elsewhere.public_id]))
    assert page.status_code == 200
    assert "Ask them to contact me" not in page.content.decode()
    assert client.get(form_url(elsewhere)).status_code == 404


def test_the_listing_pages_link_to_the_form(client, partner, service):
    org_page = client.get(reverse("directory:organization", args=[partner.public_id]))
    assert f'href="{form_url(partner)}"' in org_page.content.decode()
    service_page = client.get(reverse("directory:service", args=[service.public_id]))
    assert f'href="{form_url(partner, service)}"' in service_page.content.decode()
    assert "Ask them to contact me" in service_page.content.decode()


def test_a_waiting_list_is_said_but_the_request_is_still_taken(client, partner):
    partner.accepting_new_people = False
    partner.save()
    page = client.get(form_url(partner)).content.decode()
    assert "has a waiting list" in page
    assert send(client, form_url(partner)).status_code == 302
    assert Referral.objects.count() == 1


def test_the_recipient_staff_are_notified_without_the_persons_name(client, world, partner):
    send(client, form_url(partner), name="Sam Rivera")

    notified = Notification.objects.filter(organization=partner)
    assert {n.user for n in notified} == {
        world.users["provider_staff"],
        world.users["provider_admin"],
    }
    for note in notified:
        assert "Sam" not in note.message and "Rivera" not in note.message
        assert "0199" not in note.message
        assert note.referral == Referral.objects.get()


def test_the_thank_you_page_says_what_happens_next_and_where_to_get_help_now(client, partner):
    page = client.get(reverse("referrals:contact_sent", args=[partner.public_id]))
    text = page.content.decode()
    assert "What happens next" in text
    assert "988" in text and "911" in text
    assert PHONE in text


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, partner):
    page = client.get(form_url(partner)).content.decode()
    wrapper = re.search(r'<div class="contact-extra" aria-hidden="true">(.*?)</div>', page, re.S)
    assert wrapper
    assert 'tabindex="-1"' in wrapper.group(1)
    assert 'autocomplete="off"' in wrapper.group(1)


def test_the_recipient_reads_what_the_person_agreed_and_a_single_name_is_explained(
    client, world, partner, actor_of, as_persona
):
    from rosc.referrals.services import referral_enrol_person, referral_transition

    send(client, form_url(partner), name="Sam")
    referral = Referral.objects.get(recipient_organization=partner)
    page = as_persona("provider_staff").get(f"/referrals/{referral.public_id}/")
    assert page.status_code == 200
    assert "I agree that Lakeside Treatment Partners may contact me about this." in (
        page.content.decode()
    )
    staff = actor_of("provider_staff")
    referral = referral_transition(actor=staff, referral=referral, to_status="accepted")
    with pytest.raises(ValidationError) as refused:
        referral_enrol_person(actor=staff, referral=referral)
    assert "Only one name was shared" in str(refused.value)
