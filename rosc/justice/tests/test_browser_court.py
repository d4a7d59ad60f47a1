"""The court's coordinator opens the portal and a progress report on a 360-px phone (axe-clean)."""

import pytest
from playwright.sync_api import Page, expect

from conftest import make_world
from rosc.accounts.actor import actor_for_user
from rosc.accounts.tests.test_browser_accounts import follow, heading, sign_in, with_password
from rosc.conftest import assert_accessible
from rosc.encounters.services import encounter_log
from rosc.justice.services import progress_report_create
from rosc.justice.tests.factories import diversion_referral

pytestmark = pytest.mark.browser

NOTE = "Talked about the hard conversation with her landlord"


def fits_the_screen(page: Page) -> None:
    viewport = page.viewport_size
    assert viewport is not None
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url}: {width}px wide"


def test_the_court_coordinator_opens_the_portal_and_a_progress_report_on_a_phone(
    live_server, phone_page
):
    world = make_world()
    with_password(world, "court_partner")
    court = actor_for_user(world.users["court_partner"], world.org_of("court_partner"))
    rco = actor_for_user(world.users["rco_a_peer"], world.org_of("rco_a_peer"))
    agreement = diversion_referral(court, rco)
    person = agreement.referral.recipient_participant
    assert person is not None
    for kind in ("one_to_one", "group"):
        encounter_log(
            actor=rco,
            participant=person,
            kind=kind,
            duration_minutes=45,
            place="rco",
            note=NOTE,
        )
    progress_report_create(actor=rco, referral=agreement.referral)

    page = phone_page
    sign_in(page, live_server.url, world, "court_partner")
    follow(page, "Diversion and recovery court")
    expect(heading(page)).to_have_text("Diversion and recovery court")
    assert_accessible(page)
    fits_the_screen(page)

    follow(page, "Robin Okafor")
    expect(heading(page)).to_have_text("Diversion: Robin Okafor")
    expect(page.get_by_role("button", name="Send a progress report now")).to_have_count(0)
    assert_accessible(page)
    fits_the_screen(page)

    with page.expect_navigation():
        page.locator("a[href^='/court/reports/']").first.click()
    expect(heading(page)).to_contain_text("Progress report")
    expect(page.get_by_text("Group sessions attended")).to_be_visible()
    assert NOTE not in page.content()
    assert_accessible(page)
    fits_the_screen(page)


def test_the_rco_peer_ticks_the_reentry_checklist_and_records_meeting_at_the_gate(
    live_server, page
):
    from datetime import timedelta

    from django.utils import timezone

    from rosc.accounts.models import Organization
    from rosc.justice.services import reentry_release_record
    from rosc.justice.tests.factories import justice_partner, reentry_referral

    world = make_world()
    with_password(world, "rco_a_peer")
    jail = justice_partner(world, "jail_partner", "Fictional County Jail", Organization.Kind.JAIL)
    plan = reentry_referral(jail, world.org_of("rco_a_peer"))
    reentry_release_record(
        actor=jail, plan=plan, released_on=timezone.localdate() - timedelta(days=1)
    )

    sign_in(page, live_server.url, world, "rco_a_peer")
    follow(page, "Reentry referrals")
    expect(page.get_by_text("not yet")).to_be_visible()
    assert_accessible(page)
    follow(page, "Dana Reyes")
    expect(heading(page)).to_have_text("Reentry: Dana Reyes")
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Tick “Naloxone in hand”").click()
    expect(page.get_by_role("button", name="Mark “Naloxone in hand” not done")).to_be_visible()

    page.get_by_label("Kind of contact").select_option("in_person")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the contact").click()
    # No time given: the error is next to the field, in the summary, and nothing is lost.
    expect(page.get_by_role("alert")).to_contain_text("Say when the contact happened.")
    assert_accessible(page)
    now = timezone.localtime(timezone.now(), timezone.get_current_timezone())
    page.get_by_label("When").fill(now.strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        page.get_by_role("button", name="Record the contact").click()
    expect(page.get_by_text("Met within 72 hours of release: yes")).to_be_visible()
    assert_accessible(page)
