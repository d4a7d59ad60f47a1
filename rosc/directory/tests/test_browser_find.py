"""A person looking for help near them, in a real browser: list, map, listing, on a phone too."""

import pytest
from playwright.sync_api import Page, expect

from rosc.conftest import assert_accessible
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
