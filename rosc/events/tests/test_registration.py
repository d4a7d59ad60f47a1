"""A person registers for a public event, joins the waitlist when it is full, and cancels by
their own link; the first on the waitlist then gets the place and an e-mail."""

import pytest
from django.core import mail
from django.test import Client, override_settings

from rosc.core.models import AuditEvent
from rosc.events.models import Registration, RegistrationStatus
from rosc.events.services import registration_cancel, registration_create, registration_token
from rosc.events.tests.factories import make_event

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def event(world, actor_of):
    return make_event(actor_of("rco_a_admin"), world.orgs["rco_a"], capacity=2)


def register(client: Client, event, name: str, email: str, **extra):
    return client.post(
        f"/events/{event.slug}/", {"name": name, "email": email, "phone": "", **extra}
    )


@override_settings(TASKS=IMMEDIATE)
def test_a_person_registers_without_an_account_and_gets_a_confirmation_with_a_cancel_link(
    client, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, event, "Maria Garcia", "Maria@Example.org")
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.email == "maria@example.org"
    assert registration.status == RegistrationStatus.REGISTERED
    page = client.get(response["Location"])
    assert b"You are registered" in page.content
    assert len(mail.outbox) == 1
    assert "You are registered" in mail.outbox[0].subject
    assert response["Location"] in mail.outbox[0].body
    assert AuditEvent.objects.filter(
        record_type="events.registration", action="create", record_id=str(registration.public_id)
    ).exists()


def test_past_capacity_a_person_goes_on_the_waitlist_and_is_told_plainly(client, event):
    register(client, event, "Ana", "ana@example.org")
    register(client, event, "Ben", "ben@example.org")
    page = client.get(f"/events/{event.slug}/")
    assert b"This event is full" in page.content
    assert b"Join the waitlist" in page.content
    response = register(client, event, "Cy", "cy@example.org")
    registration = Registration.objects.get(email="cy@example.org")
    assert registration.status == RegistrationStatus.WAITLISTED
    page = client.get(response["Location"])
    assert b"You are on the waitlist" in page.content
    assert b"You are number 1 on the list" in page.content


def test_the_same_email_cannot_register_twice_and_gets_a_clear_message(client, event):
    register(client, event, "Ana", "ana@example.org")
    response = register(client, event, "Ana again", "ANA@example.org ")
    assert response.status_code == 200
    assert b"already registered for this event" in response.content
    assert Registration.objects.filter(event=event).count() == 1


def test_cancelling_by_the_link_promotes_the_first_on_the_waitlist_and_emails_them(
    client, event, django_capture_on_commit_callbacks
):
    first = registration_create(event=event, name="Ana", email="ana@example.org")
    registration_create(event=event, name="Ben", email="ben@example.org")
    waiting_1 = registration_create(event=event, name="Cy", email="cy@example.org")
    waiting_2 = registration_create(event=event, name="Di", email="di@example.org")
    assert waiting_1.status == waiting_2.status == RegistrationStatus.WAITLISTED
    url = f"/events/{event.slug}/registration/{registration_token(first)}/"
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "cancel"})
    assert response.status_code == 302
    assert b"Your registration is cancelled" in client.get(url).content
    waiting_1.refresh_from_db()
    waiting_2.refresh_from_db()
    first.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED
    assert waiting_1.status == RegistrationStatus.REGISTERED
    assert waiting_1.promoted_at is not None
    assert waiting_2.status == RegistrationStatus.WAITLISTED
    assert [m.to for m in mail.outbox] == [["cy@example.org"]]
    assert "A place opened up" in mail.outbox[0].subject
    # Cancelling twice changes nothing more.
    client.post(url, {"action": "cancel"})
    waiting_2.refresh_from_db()
    assert waiting_2.status == RegistrationStatus.WAITLISTED


def test_a_person_who_cancelled_may_register_again_in_the_same_row(client, event):
    registration = registration_create(event=event, name="Ana", email="ana@example.org")
    registration_cancel(registration=registration)
    register(client, event, "Ana", "ana@example.org")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED
    assert Registration.objects.count() == 1


def test_a_made_up_or_other_events_link_is_not_found(client, world, actor_of, event):
    other = make_event(actor_of("rco_b_admin"), world.orgs["rco_b"], title="Naloxone training")
    registration = registration_create(event=event, name="Ana", email="ana@example.org")
    token = registration_token(registration)
    assert client.get(f"/events/{event.slug}/registration/not-a-token/").status_code == 404
    assert client.get(f"/events/{other.slug}/registration/{token}/").status_code == 404
    assert client.get(f"/events/{event.slug}/registration/{token}/").status_code == 200


def test_a_filled_honeypot_saves_nothing(client, event):
    response = register(client, event, "Bot", "bot@example.org", event_reference="http://spam")
    assert response.status_code == 302
    assert not Registration.objects.exists()


def test_registration_is_refused_when_closed_or_the_event_is_cancelled(client, world, actor_of):
    closed = make_event(
        actor_of("rco_a_admin"), world.orgs["rco_a"], title="Closed", registration_open=False
    )
    cancelled = make_event(
        actor_of("rco_a_admin"), world.orgs["rco_a"], title="Called off", status="cancelled"
    )
    for event in (closed, cancelled):
        response = register(client, event, "Ana", "ana@example.org")
        assert response.status_code == 200
        assert b"Registration for this event is closed" in response.content
    assert b"This event is cancelled" in client.get(f"/events/{cancelled.slug}/").content
    assert not Registration.objects.exists()


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(client, event):
    response = register(client, event, "", "not-an-address")
    assert response.status_code == 200
    assert b"Please tell us your name." in response.content
    assert b"Enter an e-mail address like name@example.org." in response.content
    assert not Registration.objects.exists()


def test_public_pages_never_show_who_registered(client, event):
    registration_create(event=event, name="Maria Garcia", email="maria@example.org")
    for url in ("/events/", f"/events/{event.slug}/", "/events/calendar.ics"):
        content = client.get(url).content
        assert b"Maria Garcia" not in content
        assert b"maria@example.org" not in content


def test_an_unpublished_event_is_not_found_and_not_listed(client, world, actor_of):
    draft = make_event(
        actor_of("rco_a_admin"), world.orgs["rco_a"], title="Draft plans", published=False
    )
    assert client.get(f"/events/{draft.slug}/").status_code == 404
    assert b"Draft plans" not in client.get("/events/").content


def test_the_list_filters_by_kind_and_zip_and_pages(client, world, actor_of):
    actor, org = actor_of("rco_a_admin"), world.orgs["rco_a"]
    make_event(actor, org, title="Rally downtown", postal_code="62701")
    make_event(actor, org, title="Naloxone training", kind="training", postal_code="60601")
    assert b"Naloxone training" not in client.get("/events/?kind=rally").content
    page = client.get("/events/?zip=606").content
    assert b"Naloxone training" in page and b"Rally downtown" not in page
    bad = client.get("/events/?zip=abc")
    assert bad.status_code == 200 and b"Enter a ZIP code" in bad.content
    for i in range(21):
        make_event(actor, org, title=f"Coffee hour {i}")
    page_2 = client.get("/events/?page=2")
    assert b"Page 2 of 2" in page_2.content


def test_everyone_registered_or_waiting_is_emailed_when_the_event_is_cancelled(
    world, actor_of, event, django_capture_on_commit_callbacks
):
    from rosc.events.services import EventData, event_update

    registration_create(event=event, name="Ana", email="ana@example.org")
    registration_create(event=event, name="Ben", email="ben@example.org")
    registration_create(event=event, name="Cy", email="cy@example.org")  # waiting
    gone = registration_create(event=event, name="Di", email="di@example.org")
    registration_cancel(registration=gone)
    fields = {f: getattr(event, f) for f in EventData.__dataclass_fields__}
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        event_update(
            actor=actor_of("rco_a_admin"),
            event=event,
            data=EventData(**{**fields, "status": "cancelled"}),
            organization=world.orgs["rco_a"],
        )
    told = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Cancelled"))
    assert told == ["ana@example.org", "ben@example.org", "cy@example.org"]
