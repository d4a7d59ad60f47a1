"""On a 360-px phone, a peer records a follow-up attempt and completes a 6-month follow-up."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_world
from rosc.accounts.actor import actor_for_user
from rosc.accounts.tests.test_browser_accounts import (
    assert_error_is_tied_to,
    field,
    follow,
    heading,
    sign_in,
    submit,
    with_password,
)
from rosc.conftest import assert_accessible
from rosc.followups.models import FollowUp
from rosc.followups.schedule import add_months
from rosc.people.services import participant_enrol
from rosc.people.tests.test_browser_people import assert_fits_the_screen

pytestmark = pytest.mark.browser


def test_peer_records_an_attempt_then_completes_the_6_month_follow_up_on_a_phone(
    live_server, phone_page
):
    page = phone_page
    world = make_world()
    with_password(world, "rco_a_peer")
    today = timezone.localdate()
    person = participant_enrol(
        actor=actor_for_user(world.users["rco_a_peer"], world.orgs["rco_a"]),
        legal_first_name="Rosa",
        legal_last_name="Delgado",
        enrolled_on=add_months(today, -6),
    )
    sign_in(page, live_server.url, world, "rco_a_peer")

    page.goto(f"{live_server.url}/participants/{person.public_id}/follow-ups/")
    expect(heading(page)).to_have_text("Follow-ups: Rosa Delgado")
    expect(page.locator("main")).to_contain_text("Open now")
    assert_accessible(page)
    assert_fits_the_screen(page)

    follow(page, "Record an attempt for the 6-month follow-up (intake 1)")
    expect(heading(page)).to_have_text("Record an attempt")
    assert_accessible(page)
    assert_fits_the_screen(page)
    page.get_by_label("Phone call").check()
    page.get_by_label("Not reached").check()
    field(page, "Note (optional)").fill("Rang twice; will try in the morning.")
    submit(page, "Record attempt")
    expect(page.get_by_role("status")).to_contain_text("Attempt recorded for the 6-month")
    expect(page.locator("main")).to_contain_text("Phone call · Not reached")
    assert_accessible(page)

    follow(page, "Complete the 6-month follow-up (intake 1)")
    expect(heading(page)).to_have_text("Complete a follow-up")
    assert_accessible(page)
    assert_fits_the_screen(page)
    field(page, "Date of the interview").fill((today - timedelta(days=120)).isoformat())
    page.get_by_label("Reached: the interview was done").check()
    submit(page, "Complete follow-up")
    assert_error_is_tied_to(
        page,
        "Date of the interview",
        "The 6-month follow-up can only be completed inside its window",
    )
    assert not FollowUp.objects.filter(completed_on__isnull=False).exists()
    assert_accessible(page)

    field(page, "Date of the interview").fill(today.isoformat())
    page.get_by_label("Reached: the interview was done").check()
    submit(page, "Complete follow-up")
    expect(page.get_by_role("status")).to_contain_text("6-month follow-up completed")
    expect(page.locator("main")).to_contain_text("Interview done on")
    assert_accessible(page)
    assert_fits_the_screen(page)
    assert FollowUp.objects.get(kind=2).completed_on == today
