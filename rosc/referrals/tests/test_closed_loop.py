"""The closed loop through the pages: a peer refers a person, a partner takes it on, the peer
sees every step. The story of issue 5, told as the two organizations' staff live it."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rosc.consent.models import Category, Disclosure
from rosc.consent.services import consent_revoke
from rosc.core.models import AuditEvent
from rosc.referrals.models import Notification, Referral, ReferralEvent, ReferralStatus
from rosc.referrals.services import referral_create
from rosc.referrals.tasks import notifications_email

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _refer_through_the_form(client, maria, housing, **fields):
    data = {
        "recipient_organization": str(housing.public_id),
        "need": "housing",
        "urgency": "soon",
        "purpose": "referral",
        "note_for_recipient": "Maria is looking for a quiet place near the bus line.",
        "categories": [Category.IDENTITY_CONTACT],
        "action": "send",
        **fields,
    }
    return client.post(reverse("referrals:new", args=[maria.public_id]), data)


def test_a_peer_refers_a_person_with_consent_and_the_partner_takes_it_round_the_loop(
    world, as_persona, enrol, consent_to
):
    maria = enrol("rco_a_peer", "Maria", "Garcia", phone="555-0100")
    housing = world.org_of("provider_staff")
    consent_to("rco_a_peer", maria, "provider_staff")
    peer, partner = as_persona("rco_a_peer"), as_persona("provider_staff")

    # The person's page offers the referral; the form shows which consent is in force.
    page = peer.get(reverse("care:participant", args=[maria.public_id]))
    assert b"Refer to another organization" in page.content
    form = peer.get(reverse("referrals:new", args=[maria.public_id]))
    assert "With Lakeside Treatment Partners" in form.content.decode()

    sent = _refer_through_the_form(peer, maria, housing)
    referral = Referral.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == reverse("referrals:detail", args=[referral.public_id])
    assert referral.status == ReferralStatus.REQUESTED
    assert referral.urgency == "soon"
    assert set(referral.shared) == {Category.IDENTITY_CONTACT, Category.REFERRAL_DETAILS}

    # The partner's inbox lists it, not opened yet; opening it is a timestamp, not a status.
    inbox = partner.get(reverse("referrals:inbox")).content.decode()
    assert "Housing: Maria Garcia" in inbox
    assert "not opened yet" in inbox
    detail = partner.get(reverse("referrals:detail", args=[referral.public_id]))
    assert detail.status_code == 200
    referral.refresh_from_db()
    assert referral.opened_at is not None
    assert referral.status == ReferralStatus.REQUESTED
    body = detail.content.decode()
    assert "555-0100" in body  # identity and contact were shared
    assert "quiet place near the bus line" in body
    assert "42 CFR part 2 prohibits unauthorized use or disclosure" in body
    assert reverse("care:participant", args=[maria.public_id]) not in body

    # Accept, report progress, complete.
    move = reverse("referrals:move", args=[referral.public_id])
    assert partner.post(move, {"to_status": "accepted"}).status_code == 302
    assert partner.post(move, {"to_status": "in-progress"}).status_code == 302
    note = reverse("referrals:note", args=[referral.public_id])
    assert partner.post(note, {"text": "Met Maria; viewing on Tuesday."}).status_code == 302
    assert partner.post(move, {"to_status": "completed"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.closed_at is not None

    # The peer sees each step: on the referral's page, in the outbox, in notifications.
    page = peer.get(reverse("referrals:detail", args=[referral.public_id])).content.decode()
    for words in (
        "Opened",
        "Accepted",
        "In progress",
        "Met Maria; viewing on Tuesday.",
        "Completed",
    ):
        assert words in page
    assert reverse("care:participant", args=[maria.public_id]) in page  # their own record
    outbox = peer.get(reverse("referrals:sent") + "?status=closed").content.decode()
    assert "Housing: Maria Garcia" in outbox
    assert "Completed" in outbox
    messages = list(
        Notification.objects.filter(user=world.users["rco_a_peer"]).values_list(
            "message", flat=True
        )
    )
    assert any(m.endswith("opened.") for m in messages)
    assert any(m.endswith("Accepted.") for m in messages)
    assert any("progress note" in m for m in messages)
    assert any(m.endswith("Completed.") for m in messages)


def test_a_referral_without_consent_is_refused_next_to_the_field_and_nothing_is_saved(
    world, as_persona, enrol
):
    maria = enrol("rco_a_peer", "Maria", "Garcia")
    housing = world.org_of("provider_staff")
    peer = as_persona("rco_a_peer")
    events_before = AuditEvent.objects.count()

    response = _refer_through_the_form(peer, maria, housing)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "no current, signed consent" in errors["categories"][0]
    assert "Lakeside Treatment Partners" in errors["categories"][0]
    body = response.content.decode()
    assert 'aria-invalid="true"' in body
    consent_link = reverse("consent:new", args=[maria.public_id]) + (
        f"?recipient={housing.public_id}&amp;purpose=referral"
        "&amp;categories=identity_and_contact&amp;categories=referral_details"
    )
    assert consent_link in body
    assert not Referral.objects.exists()
    assert not Disclosure.objects.exists()
    assert not AuditEvent.objects.filter(
        id__gt=events_before, record_type="referrals.referral", action="create"
    ).exists()


def test_a_referral_can_be_saved_as_a_draft_and_sent_later_from_its_page(
    world, as_persona, enrol, consent_to
):
    maria = enrol("rco_a_peer", "Maria", "Garcia")
    housing = world.org_of("provider_staff")
    peer, partner = as_persona("rco_a_peer"), as_persona("provider_staff")
    _refer_through_the_form(peer, maria, housing, action="draft")
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.DRAFT
    # A draft is the sender's alone.
    assert partner.get(reverse("referrals:detail", args=[referral.public_id])).status_code == 404
    assert "Drafts, not sent yet" in peer.get(reverse("referrals:sent")).content.decode()

    move = reverse("referrals:move", args=[referral.public_id])
    refused = peer.post(move, {"to_status": "requested"})
    assert refused.status_code == 200
    assert "no current, signed consent" in refused.content.decode()
    consent_to("rco_a_peer", maria, "provider_staff")
    assert peer.post(move, {"to_status": "requested"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED
    assert partner.get(reverse("referrals:detail", args=[referral.public_id])).status_code == 200


def test_a_decline_needs_a_reason_shown_next_to_the_field(world, as_persona, enrol, consent_to):
    maria = enrol("rco_a_peer", "Maria", "Garcia")
    consent_to("rco_a_peer", maria, "provider_staff")
    _refer_through_the_form(as_persona("rco_a_peer"), maria, world.org_of("provider_staff"))
    referral = Referral.objects.get()
    partner = as_persona("provider_staff")
    move = reverse("referrals:move", args=[referral.public_id])

    response = partner.post(move, {"to_status": "rejected"})
    assert response.status_code == 200
    assert 'id="id_rejected-reason"' in response.content.decode()
    assert "Choose a reason." in response.content.decode()
    response = partner.post(move, {"to_status": "rejected", "rejected-reason": "other"})
    assert "Please say why, in a few words." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED

    partner.post(move, {"to_status": "rejected", "rejected-reason": "no_capacity"})
    referral.refresh_from_db()
    assert (referral.status, referral.status_reason) == ("rejected", "no_capacity")
    page = as_persona("rco_a_peer").get(reverse("referrals:detail", args=[referral.public_id]))
    assert "No capacity right now" in page.content.decode()


def test_illegal_moves_are_refused_and_never_offered(world, as_persona, enrol, consent_to):
    maria = enrol("rco_a_peer", "Maria", "Garcia")
    consent_to("rco_a_peer", maria, "provider_staff")
    peer, partner = as_persona("rco_a_peer"), as_persona("provider_staff")
    _refer_through_the_form(peer, maria, world.org_of("provider_staff"))
    referral = Referral.objects.get()
    detail = reverse("referrals:detail", args=[referral.public_id])
    move = reverse("referrals:move", args=[referral.public_id])

    sender_page = peer.get(detail).content.decode()
    assert 'value="accepted"' not in sender_page
    assert 'value="cancelled"' in sender_page
    recipient_page = partner.get(detail).content.decode()
    assert 'value="accepted"' in recipient_page
    assert 'value="requested"' not in recipient_page
    assert 'value="entered-in-error"' not in recipient_page

    # The sender tries to accept; the recipient tries to send again or to complete at once.
    for client, to in ((peer, "accepted"), (partner, "requested"), (partner, "completed")):
        response = client.post(move, {"to_status": to}, follow=True)
        assert "That change is not possible" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED
    assert not ReferralEvent.objects.filter(referral=referral, to_status="accepted").exists()


def test_after_revocation_the_partner_keeps_the_old_snapshot_but_nothing_new_is_shared(
    world, as_persona, actor_of, enrol, consent_to
):
    maria = enrol("rco_a_peer", "Maria", "Garcia", phone="555-0100")
    consent = consent_to("rco_a_peer", maria, "provider_staff")
    peer, partner = as_persona("rco_a_peer"), as_persona("provider_staff")
    _refer_through_the_form(peer, maria, world.org_of("provider_staff"))
    referral = Referral.objects.get()
    partner.post(reverse("referrals:move", args=[referral.public_id]), {"to_status": "accepted"})
    consent_revoke(actor=actor_of("rco_a_peer"), consent=consent, note="Told her peer.")
    maria.phone = "555-0199"
    maria.save()

    detail = reverse("referrals:detail", args=[referral.public_id])
    seen = partner.get(detail).content.decode()
    assert "Consent no longer in force: nothing new is shared." in seen
    assert "555-0100" in seen and "555-0199" not in seen
    assert "Consent no longer in force" in peer.get(detail).content.decode()

    refused = peer.post(reverse("referrals:note", args=[referral.public_id]), {"text": "Update"})
    assert refused.status_code == 200
    assert "no longer in force, so nothing new can be shared" in refused.content.decode()
    assert not ReferralEvent.objects.filter(referral=referral, kind="note").exists()
    # The partner may still say what happened on their side.
    partner.post(reverse("referrals:note", args=[referral.public_id]), {"text": "We met."})
    assert ReferralEvent.objects.filter(referral=referral, kind="note").count() == 1


def test_a_third_organization_gets_the_same_404_as_a_made_up_id_with_a_denied_event(
    world, as_persona, enrol, consent_to
):
    maria = enrol("rco_a_peer", "Maria", "Garcia")
    consent_to("rco_a_peer", maria, "provider_staff")
    _refer_through_the_form(as_persona("rco_a_peer"), maria, world.org_of("provider_staff"))
    referral = Referral.objects.get()
    other = as_persona("rco_b_peer")

    real = other.get(reverse("referrals:detail", args=[referral.public_id]))
    made_up = other.get(reverse("referrals:detail", args=["8d3c1f4e-1111-4222-8333-944455556666"]))
    assert real.status_code == made_up.status_code == 404
    strip = re.compile(rb'(nonce|value)="[^"]*"')
    assert strip.sub(b"", real.content) == strip.sub(b"", made_up.content)
    assert AuditEvent.objects.filter(
        username="rco_b_peer", outcome="denied", record_id=str(referral.public_id)
    ).exists()
    move = reverse("referrals:move", args=[referral.public_id])
    assert other.post(move, {"to_status": "cancelled"}).status_code == 404
    assert "Maria" not in other.get(reverse("referrals:inbox")).content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED


def test_the_recipient_enrols_the_person_after_a_duplicate_warning(
    world, as_persona, enrol, consent_to
):
    maria = enrol("rco_a_peer", "Maria", "Garcia")
    consent_to("rco_a_peer", maria, "provider_staff")
    enrol("provider_staff", "Maria", "Garcia")  # the partner already knows a Maria Garcia
    _refer_through_the_form(as_persona("rco_a_peer"), maria, world.org_of("provider_staff"))
    referral = Referral.objects.get()
    partner = as_persona("provider_staff")
    enrol_url = reverse("referrals:enrol", args=[referral.public_id])
    not_yet = partner.post(enrol_url, follow=True)
    assert "Accept the referral before enrolling the person." in not_yet.content.decode()

    partner.post(reverse("referrals:move", args=[referral.public_id]), {"to_status": "accepted"})
    page = partner.get(reverse("referrals:detail", args=[referral.public_id])).content.decode()
    assert "Enrol this person in our organization" in page
    warned = partner.post(enrol_url)
    assert warned.status_code == 200
    assert "Your organization may already know this person" in warned.content.decode()
    done = partner.post(enrol_url, {"confirmed_not_duplicate": "on"})
    referral.refresh_from_db()
    assert referral.recipient_participant is not None
    assert done["Location"] == reverse(
        "care:participant", args=[referral.recipient_participant.public_id]
    )
    # The sender cannot enrol from its own referral.
    peer_try = as_persona("rco_a_peer").post(enrol_url, follow=True)
    assert "Only the organization the person was referred to" in peer_try.content.decode()


def test_notifications_show_in_the_header_and_are_read_once_opened(
    world, as_persona, actor_of, enrol, consent_to
):
    maria = enrol("rco_a_peer", "Maria", "Garcia")
    consent_to("rco_a_peer", maria, "provider_staff")
    referral = referral_create(
        actor=actor_of("rco_a_peer"),
        participant=maria,
        recipient_organization=world.org_of("provider_staff"),
        need="housing",
    )
    partner = as_persona("provider_staff")
    home = partner.get("/").content.decode()
    assert re.search(r'class="nav-count">1<span class="visually-hidden"> unread', home)

    listing = partner.get(reverse("referrals:notifications")).content.decode()
    assert "Referral for housing from Riverbend Recovery Community" in listing
    assert "New" in listing
    assert "Maria" not in listing
    assert not Notification.objects.filter(
        user=world.users["provider_staff"], read_at__isnull=True
    ).exists()
    assert 'class="nav-count"' not in partner.get("/").content.decode()
    # Opening the referral also reads what was about it.
    partner.get(reverse("referrals:detail", args=[referral.public_id]))
    # A role without participant records (the council coordinator) has no Referrals link.
    assert "Referrals" not in as_persona("council_coordinator").get("/").content.decode()


def test_the_header_count_is_one_query_and_only_when_the_link_shows(world, as_persona):
    peer = as_persona("rco_a_peer")
    peer.get("/")  # warm up the session
    with CaptureQueriesContext(connection) as seen:
        peer.get("/")
    notification_queries = [q for q in seen if "referrals_notification" in q["sql"]]
    assert len(notification_queries) == 1
    coordinator = as_persona("council_coordinator")
    with CaptureQueriesContext(connection) as seen:
        coordinator.get("/")
    assert not [q for q in seen if "referrals_notification" in q["sql"]]


@override_settings(TASKS=IMMEDIATE)
def test_notifications_are_emailed_by_the_task_without_the_persons_name(
    world, actor_of, enrol, consent_to, django_capture_on_commit_callbacks
):
    maria = enrol("rco_a_peer", "Maria", "Garcia")
    consent_to("rco_a_peer", maria, "provider_staff")
    with django_capture_on_commit_callbacks(execute=True):
        referral_create(
            actor=actor_of("rco_a_peer"),
            participant=maria,
            recipient_organization=world.org_of("provider_staff"),
            need="housing",
        )
    to_partner = [m for m in mail.outbox if "provider_staff@example.org" in m.to]
    assert to_partner, [m.to for m in mail.outbox]
    for message in mail.outbox:
        text = f"{message.subject} {message.body}"
        assert "Maria" not in text and "Garcia" not in text
        assert "/referrals/" in message.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    # Sending again sends nothing twice.
    ids = [str(n.public_id) for n in Notification.objects.all()]
    assert notifications_email.call(notification_ids=ids) == 0


def test_a_referral_may_name_one_of_the_recipients_directory_services_found_by_search(
    world, as_persona, enrol, consent_to
):
    from rosc.directory.models import Service

    maria = enrol("rco_a_peer", "Maria", "Garcia")
    housing = world.org_of("provider_staff")
    consent_to("rco_a_peer", maria, "provider_staff")
    service = Service.objects.create(
        organization=housing, name="Recovery housing intake", status=Service.Status.ACTIVE
    )
    elsewhere = Service.objects.create(
        organization=world.org_of("court_partner"), name="Court desk", status="active"
    )
    peer = as_persona("rco_a_peer")
    form = peer.get(reverse("referrals:new", args=[maria.public_id]) + "?q=recovery court")
    body = form.content.decode()
    assert "Recovery housing intake" in body  # a service of the consented partner
    assert "Other organizations matching “recovery court”" in body
    assert "Fictional County Recovery Court" in body
    assert "Prairie Path Recovery Alliance" not in body

    refused = _refer_through_the_form(
        peer, maria, housing, recipient_service=str(elsewhere.public_id)
    )
    assert "Choose a service of the organization you are referring to." in (
        refused.content.decode()
    )
    _refer_through_the_form(peer, maria, housing, recipient_service=str(service.public_id))
    referral = Referral.objects.get()
    assert referral.recipient_service == service
    assert referral.shared["referral_details"]["service"] == "Recovery housing intake"
