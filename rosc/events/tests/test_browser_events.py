"""A person finds an event and registers on a small phone; host staff check people in."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from playwright.sync_api import Page, expect

from rosc.conftest import assert_accessible
from rosc.events.models import Registration, RegistrationStatus
from rosc.events.services import registration_create
from rosc.events.tests.factories import make_event


def fits_a_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.browser
def test_a_person_registers_for_an_event_on_a_phone_and_can_cancel(
    live_server, phone_page, world, actor_of
):
    event = make_event(actor_of("rco_a_admin"), world.orgs["rco_a"], capacity=1)
    page = phone_page
    page.goto(f"{live_server.url}/events/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery events")
    fits_a_phone(page)
    assert_accessible(page)
    page.get_by_role("link", name=event.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(event.title)
    fits_a_phone(page)
    assert_accessible(page)
    page.get_by_label("Your name").fill("Maria Garcia")
    page.get_by_label("E-mail address").fill("maria@example.org")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered")).to_be_visible()
    fits_a_phone(page)
    assert_accessible(page)
    assert Registration.objects.get().status == RegistrationStatus.REGISTERED

    # The event is now full: the next person is told plainly they join the waitlist.
    page.goto(f"{live_server.url}/events/{event.slug}/")
    expect(page.get_by_text("This event is full")).to_be_visible()
    page.get_by_label("Your name").fill("Sam Lee")
    page.get_by_label("E-mail address").fill("sam@example.org")
    page.get_by_role("button", name="Join the waitlist").click()
    expect(page.get_by_text("You are on the waitlist")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Cancel my place on the waitlist").click()
    expect(page.get_by_text("Your registration is cancelled")).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser
def test_a_mistake_is_shown_next_to_the_field_on_a_phone(live_server, phone_page, world, actor_of):
    event = make_event(actor_of("rco_a_admin"), world.orgs["rco_a"])
    phone_page.goto(f"{live_server.url}/events/{event.slug}/")
    phone_page.get_by_label("Your name").fill("Maria Garcia")
    phone_page.get_by_label("E-mail address").fill("not an address")
    phone_page.get_by_role("button", name="Register").click()
    expect(phone_page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(phone_page)
    assert not Registration.objects.exists()


def _signed_in(page: Page, live_server, world, persona: str) -> None:
    user = world.users[persona]
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    device = world.devices.get(persona)
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    page.context.add_cookies(
        [{"name": "sessionid", "value": session.session_key or "", "url": live_server.url}]
    )


@pytest.mark.browser
def test_host_staff_check_people_in_with_one_tap_on_a_phone(
    live_server, phone_page, world, actor_of
):
    org = world.orgs["rco_a"]
    event = make_event(actor_of("rco_a_admin"), org)
    registration_create(event=event, name="Maria Garcia", email="maria@example.org")
    registration_create(event=event, name="Sam Lee", email="sam@example.org")
    _signed_in(phone_page, live_server, world, "rco_a_admin")
    phone_page.goto(f"{live_server.url}/orgs/{org.public_id}/events/{event.public_id}/check-in/")
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("Check-in")
    fits_a_phone(phone_page)
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name="Check in Maria Garcia").click()
    expect(phone_page.get_by_text("Maria Garcia is checked in.")).to_be_visible()
    expect(phone_page.get_by_role("button", name="Undo check-in for Maria Garcia")).to_be_visible()
    phone_page.get_by_role("button", name="Count a walk-in").click()
    expect(phone_page.get_by_text("Walk-in counted.")).to_be_visible()
    fits_a_phone(phone_page)
    assert_accessible(phone_page)
