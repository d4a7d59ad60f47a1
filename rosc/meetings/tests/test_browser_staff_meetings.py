"""An organization's admin adds a meeting on a phone, and a person finds it in the finder."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from playwright.sync_api import Page, expect

from rosc.conftest import assert_accessible


def fits_a_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def signed_in(page: Page, live_server, world, persona: str) -> None:
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
def test_an_admin_adds_a_meeting_on_a_phone_and_finds_it_in_the_finder(
    live_server, phone_page, world
):
    org = world.orgs["rco_a"]
    page = phone_page
    signed_in(page, live_server, world, "rco_a_admin")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Support-group meetings you host").click()
    page.get_by_role("link", name="Add a meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a meeting")
    fits_a_phone(page)
    assert_accessible(page)
    page.get_by_label("Meeting name").fill("Evening Hope")
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one day.")
    fits_a_phone(page)
    assert_accessible(page)
    page.get_by_label("Wednesday").check()
    page.get_by_label("Start time").fill("18:30")
    page.get_by_label("End time").fill("19:30")
    page.get_by_label("Open", exact=True).check()
    page.get_by_label("Street address").fill("125 Main Street")
    page.get_by_label("City").fill("Peoria")
    page.get_by_label("Online meeting link").fill("https://meet.example.org/hope")
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_role("status")).to_contain_text("“Evening Hope” is saved")
    expect(page.get_by_role("heading", name="Evening Hope")).to_be_visible()
    fits_a_phone(page)
    assert_accessible(page)
    assert org.meetings.get().slug == "evening-hope-wednesday-1830"
    page.goto(f"{live_server.url}/meetings/")
    page.locator("#id_day").select_option(label="Wednesday")
    page.get_by_role("button", name="Find meetings").click()
    page.get_by_role("link", name="Evening Hope").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evening Hope")
    expect(page.get_by_role("link", name="Join the online meeting")).to_be_visible()
    fits_a_phone(page)
    assert_accessible(page)
