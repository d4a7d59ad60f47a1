"""An RCO admin submits a self-assessment on a 360-px phone, the network admin accepts it, and
the public listing shows the badge; the council's chart and the network overview, on a phone.
Every page is checked with axe-core and must fit the screen."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from conftest import make_world
from rosc.accounts.actor import actor_for_user
from rosc.accounts.tests.test_browser_accounts import (
    field,
    follow,
    heading,
    sign_in,
    submit,
    with_password,
)
from rosc.conftest import PHONE, assert_accessible
from rosc.councils.services import council_create
from rosc.fidelity.services import ScoreData, council_assessment_record
from rosc.fidelity.standards import ROSC_ELEMENTS
from rosc.people.tests.test_browser_people import assert_fits_the_screen

pytestmark = pytest.mark.browser


def check(page: Page) -> None:
    assert_accessible(page)
    assert_fits_the_screen(page)


def test_rco_submits_network_accepts_and_the_listing_shows_the_badge(live_server, phone_page, page):
    world = make_world()
    with_password(world, "rco_a_admin")
    with_password(world, "network_admin")
    org = world.orgs["rco_a"]

    admin = phone_page
    sign_in(admin, live_server.url, world, "rco_a_admin")
    follow(admin, "RCO standards")
    expect(heading(admin)).to_have_text("RCO standards self-assessment")
    check(admin)
    submit(admin, "Start a new self-assessment")
    expect(heading(admin)).to_have_text("Self-assessment against the RCO standards")
    check(admin)
    items = admin.locator("section.fidelity-item")
    expect(items).to_have_count(10)
    for i in range(9):
        items.nth(i).get_by_label("Met", exact=True).check()
    field(items.nth(0), "Evidence").fill("Incorporated as a 501(c)(3).")
    submit(admin, "Submit for review")
    expect(admin.get_by_role("alert")).to_contain_text(
        "Choose met, partly met or not met before submitting."
    )
    check(admin)
    items.nth(9).get_by_label("Met", exact=True).check()
    submit(admin, "Submit for review")
    expect(admin.get_by_role("status")).to_contain_text("Submitted.")
    expect(admin.locator("main")).to_contain_text("Submitted for review")
    check(admin)

    reviewer = page
    sign_in(reviewer, live_server.url, world, "network_admin")
    follow(reviewer, "RCO standards review queue")
    assert_accessible(reviewer)
    follow(reviewer, org.name)
    expect(heading(reviewer)).to_have_text(f"Review: {org.name}")
    assert_accessible(reviewer)
    reviewer.get_by_label("Accept").check()
    field(reviewer, "Comments to the organization").fill("Clear evidence throughout.")
    submit(reviewer, "Save review")
    expect(reviewer.get_by_role("status")).to_contain_text("Review of")
    assert_accessible(reviewer)

    public = admin
    public.goto(f"{live_server.url}/find/organizations/{org.public_id}/")
    expect(public.locator("main")).to_contain_text("Meets the 10 national RCO standards (reviewed")
    check(public)


def test_the_council_chart_and_the_network_overview_fit_a_phone(live_server, phone_page, open_page):
    world = make_world()
    with_password(world, "council_coordinator")
    with_password(world, "network_admin")
    council = council_create(
        name="Northern Region ROSC Council",
        host=world.orgs["council_host"],
        counties=[],
        time_zone="America/Chicago",
    )
    actor = actor_for_user(world.users["council_coordinator"], world.orgs["council_host"])
    for on, value in ((date(2025, 3, 1), 1), (date(2026, 3, 1), 3)):
        council_assessment_record(
            actor=actor,
            council=council,
            assessed_on=on,
            scores=[ScoreData(element=n, score=value) for n, _t in ROSC_ELEMENTS],
        )
    sign_in(phone_page, live_server.url, world, "council_coordinator")
    follow(phone_page, "ROSC self-assessment")
    expect(phone_page.locator("svg[role=img]")).to_have_count(1)
    expect(phone_page.locator("main")).to_contain_text("total 51 of 68")
    check(phone_page)
    follow(phone_page, "New self-assessment of Northern Region ROSC Council")
    check(phone_page)
    submit(phone_page, "Save self-assessment")
    expect(phone_page.get_by_role("alert")).to_contain_text("Choose a score from 0 to 4.")
    check(phone_page)

    network = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(network, live_server.url, world, "network_admin")
    follow(network, "ROSC self-assessments")
    expect(heading(network)).to_have_text("ROSC self-assessments across the network")
    expect(network.locator("main")).to_contain_text("Northern Region ROSC Council")
    check(network)
