"""A person looking for help near them, in a real browser: list, map, listing, on a phone too."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from rosc.conftest import assert_accessible
from rosc.directory.models import Schedule
from rosc.directory.services import taxonomy_load_recovery_support
from rosc.directory.tests.test_search import CONCORD, listing


def seed() -> None:
    taxonomy_load_recovery_support()
    listing(
        "Granite Recovery Coaching",
        at=CONCORD,
        terms=("recovery-coaching",),
        peer_led=True,
        language="Spanish",
        free=True,
    )
    listing("Merrimack Recovery Housing", at=(43.25, -71.55), terms=("recovery-housing",))


def search(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/find/")
    assert_accessible(page)
    page.get_by_label("What are you looking for?").fill("recovery")
    page.get_by_label("Near (ZIP code)").fill("03301")
    page.get_by_label("Kind of help").select_option(label="Recovery coaching")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("1 result within 25 miles")


@pytest.mark.browser
def test_a_person_finds_recovery_coaching_near_a_zip_on_a_list_and_a_map(live_server, page):
    seed()
    search(page, live_server.url)
    expect(page.locator("#map")).to_be_visible()
    expect(page.locator("#map .leaflet-marker-icon")).to_have_count(1)
    assert_accessible(page)
    page.get_by_role("link", name="Granite Recovery Coaching").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Granite Recovery Coaching")
    expect(page.get_by_text("Peer-led recovery community organization")).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser
def test_the_search_fits_a_phone_and_its_filters_open(live_server, phone_page):
    seed()
    search(phone_page, live_server.url)
    phone_page.get_by_text("More filters").click()
    expect(phone_page.get_by_label("Free of charge")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone_page)


@pytest.mark.browser
def test_a_bad_zip_code_gets_a_message_next_to_the_field(live_server, page):
    page.goto(f"{live_server.url}/find/?near=00000")
    field = page.get_by_label("Near (ZIP code)")
    expect(field).to_have_attribute("aria-invalid", "true")
    message = page.locator("#" + (field.get_attribute("aria-describedby") or "").split()[-1])
    expect(message).to_have_text("We do not know the ZIP code 00000.")
    expect(page.get_by_role("alert")).to_contain_text("We do not know the ZIP code 00000.")
    assert_accessible(page)


def hours_around(hours_from_now: int) -> tuple[time, time]:
    """Opening hours every day, from `hours_from_now` - 1 to + 1 hours from now in Concord."""
    now = datetime.now(ZoneInfo("America/New_York"))
    opens = (now + timedelta(hours=hours_from_now - 1)).time().replace(second=0, microsecond=0)
    closes = (now + timedelta(hours=hours_from_now + 1)).time().replace(second=0, microsecond=0)
    return opens, closes


@pytest.mark.browser
def test_recovery_coaching_near_03301_open_now_in_spanish_on_a_phone(live_server, phone_page):
    # The issue's own check: "recovery coaching near 03301, open now, Spanish" on a phone
    # gives the right listings on a list and a map.
    taxonomy_load_recovery_support()
    places = [  # name, language, open from how many hours from now
        ("Granite Recovery Coaching", "Spanish", 0),
        ("Capital Peer Coaching", "Spanish", 6),  # closed now
        ("Concord Coaching Circle", "", 0),  # open, no Spanish
    ]
    for name, language, open_in in places:
        service = listing(name, at=CONCORD, terms=("recovery-coaching",), language=language)
        opens, closes = hours_around(open_in)
        Schedule.objects.create(
            service=service,
            freq="WEEKLY",
            byday="MO,TU,WE,TH,FR,SA,SU",
            opens_at=opens,
            closes_at=closes,
        )
    listing("Merrimack Recovery Housing", at=(43.25, -71.55), terms=("recovery-housing",))

    page = phone_page
    page.goto(f"{live_server.url}/find/")
    page.get_by_label("What are you looking for?").fill("recovery coaching")
    page.get_by_label("Near (ZIP code)").fill("03301")
    page.get_by_text("More filters").click()
    page.get_by_label("Open now").check()
    page.get_by_label("Language").fill("Spanish")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page.get_by_role("heading", level=2)).to_contain_text("1 result within 25 miles")
    results = page.locator("ol.results > li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Granite Recovery Coaching")
    expect(results.first).to_contain_text("Open now")
    expect(page.locator("#map")).to_be_visible()
    expect(page.locator("#map .leaflet-marker-icon")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    # The address is shareable: the same search from its URL gives the same listing.
    page.goto(page.url)
    expect(page.locator("ol.results > li")).to_have_count(1)
