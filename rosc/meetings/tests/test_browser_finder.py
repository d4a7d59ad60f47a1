"""A person looks for a meeting on a phone: the finder, the results, a meeting's page."""

import pytest
from playwright.sync_api import expect

from rosc.conftest import assert_accessible
from rosc.meetings.services import meeting_create


def seed() -> None:
    meeting_create(
        actor=None,
        row={
            "name": "Hope on Main",
            "slug": "hope-on-main",
            "day": [1, 4],
            "time": "19:00",
            "end_time": "20:00",
            "types": ["O", "D", "X"],
            "location": "Riverside Community Center",
            "address": "125 Main Street",
            "city": "Peoria",
            "state": "IL",
            "postal_code": "61602",
            "latitude": 40.69365,
            "longitude": -89.58899,
            "conference_url": "https://meet.example.org/hope",
        },
    )
    meeting_create(
        actor=None,
        row={
            "name": "Women in Recovery",
            "slug": "women",
            "day": 2,
            "time": "12:00",
            "types": ["W", "C"],
            "address": "9 Oak Street",
            "city": "Springfield",
        },
    )


@pytest.mark.browser
def test_a_person_finds_a_meeting_near_a_zip_on_a_phone(live_server, phone_page):
    seed()
    page = phone_page
    page.goto(f"{live_server.url}/meetings/")
    assert_accessible(page)
    page.get_by_label("Near (ZIP code)").fill("61602")
    page.locator("#id_day").select_option(label="Monday")
    page.get_by_label("How to attend").select_option(label="In person")
    page.get_by_role("button", name="Find meetings").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("1 meeting within 10 miles")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    page.get_by_role("link", name="Hope on Main").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hope on Main")
    expect(page.get_by_text("Wheelchair Access")).to_be_visible()
    expect(page.get_by_role("link", name="Join the online meeting")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)


@pytest.mark.browser
def test_a_bad_day_gets_a_message_next_to_the_field(live_server, page):
    page.goto(f"{live_server.url}/meetings/?day=9")
    field = page.locator("#id_day")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_contain_text("Choose one of the options in the list.")
    assert_accessible(page)
