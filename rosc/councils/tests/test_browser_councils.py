"""A council coordinator sets a monthly schedule and cancels a date on a 360-px phone; the
public council page and the network page show it. Every page is checked with axe-core."""

import pytest
from playwright.sync_api import Page, expect

from conftest import make_world
from rosc.accounts.tests.test_browser_accounts import (
    field,
    follow,
    heading,
    sign_in,
    submit,
    with_password,
)
from rosc.conftest import assert_accessible
from rosc.councils.services import council_create, county_upsert
from rosc.people.tests.test_browser_people import assert_fits_the_screen

pytestmark = pytest.mark.browser


def check(page: Page) -> None:
    assert_accessible(page)
    assert_fits_the_screen(page)


def test_coordinator_sets_a_monthly_schedule_cancels_a_date_and_the_public_sees_it(
    live_server, phone_page
):
    world = make_world()
    with_password(world, "council_coordinator")
    council = council_create(
        name="Northern Region ROSC Council",
        host=world.orgs["council_host"],
        counties=[county_upsert(fips="17201", name="Winnebago", state="IL")],
        time_zone="America/Chicago",
    )
    page = phone_page
    base = live_server.url
    sign_in(page, base, world, "council_coordinator")
    follow(page, "Your council")
    follow(page, council.name)
    expect(heading(page)).to_have_text(council.name)
    check(page)

    follow(page, "Set a meeting schedule")
    check(page)
    page.get_by_label("Every month, on a week of the month").check()
    field(page, "Week of the month (monthly)").select_option(label="second")
    field(page, "Day of the week").select_option(label="Tuesday")
    field(page, "From").fill("10:00")
    field(page, "To").fill("09:00")
    field(page, "Address (in person)").fill("100 Main St, Rockford, IL")
    submit(page, "Save the schedule")
    expect(page.get_by_role("alert")).to_contain_text("The meeting ends before it starts.")
    check(page)
    field(page, "To").fill("11:30")
    submit(page, "Save the schedule")
    expect(page.get_by_role("status")).to_contain_text("The schedule is saved.")
    check(page)

    dates = page.locator(".council-dates li")
    expect(dates).to_have_count(12)
    first = dates.first.locator("time").inner_text()
    dates.first.get_by_role("button", name="Cancel").click()
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_contain_text("is cancelled")
    expect(page.locator(".council-dates li").first).to_contain_text("Cancelled")
    check(page)

    # The next date's meeting page: agenda, attendance, minutes, action items.
    page.locator(".council-dates li").nth(1).get_by_role(
        "button", name="Agenda and minutes"
    ).click()
    page.wait_for_load_state()
    page.get_by_role("textbox", name="Agenda").fill("Welcome; Recovery Month planning")
    submit(page, "Save the agenda")
    expect(page.get_by_role("status")).to_contain_text("The agenda is saved.")
    check(page)

    page.context.clear_cookies()
    page.goto(f"{base}/network/")
    expect(page.get_by_role("link", name=council.name)).to_be_visible()
    expect(page.locator("#map .leaflet-marker-icon")).to_have_count(1)
    check(page)
    follow(page, council.name)
    expect(heading(page)).to_have_text(council.name)
    cancelled = page.locator(".council-dates li").first
    expect(cancelled).to_contain_text(first)
    expect(cancelled).to_contain_text("Cancelled")
    check(page)
