"""A peer writes a recovery plan on a 360-px phone, saves it and opens the person's printable copy.

Every page visited is checked with axe-core (assert_accessible) and must fit the phone's width.
"""

import pytest
from playwright.sync_api import expect

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
from rosc.conftest import assert_accessible
from rosc.people.services import participant_enrol
from rosc.people.tests.test_browser_people import assert_fits_the_screen
from rosc.plans.models import PlanVersion

pytestmark = pytest.mark.browser


def test_a_peer_writes_a_plan_with_a_goal_and_a_step_and_prints_it_on_a_phone(
    live_server, phone_page
):
    page = phone_page
    world = make_world()
    with_password(world, "rco_a_peer")
    person = participant_enrol(
        actor=actor_for_user(world.users["rco_a_peer"], world.orgs["rco_a"]),
        legal_first_name="Mariana",
        legal_last_name="Garcia",
        preferred_name="Nana",
    )
    sign_in(page, live_server.url, world, "rco_a_peer")
    page.goto(f"{live_server.url}/participants/{person.public_id}/plan/")
    expect(heading(page)).to_have_text("Recovery plan: Nana Garcia")
    assert_accessible(page)
    follow(page, "Write a plan")
    expect(heading(page)).to_have_text("Write the recovery plan: Nana Garcia")
    assert_accessible(page)
    assert_fits_the_screen(page)

    # A goal with a domain but no words: the error sits by the goal's text.
    field(page, "What recovery means to me").fill("Being someone my kids can count on.")
    field(page, "Life domain").select_option(label="Housing")
    submit(page, "Save the plan")
    expect(page.get_by_role("alert")).to_contain_text("Write the goal, in the person's own words.")
    assert_accessible(page)

    field(page, "The goal, in the person's words").fill("A place of my own")
    field(page, "Where this goal stands").select_option(label="Working on it")
    field(page, "Step").fill("Call the housing office")
    field(page, "Who helps (optional)").fill("my sister Ana")
    field(page, "Target date (optional)").fill("2030-03-31")
    submit(page, "Save the plan")
    expect(heading(page)).to_have_text("Recovery plan: Nana Garcia")
    expect(page.get_by_role("status")).to_contain_text("The plan is saved (version 1).")
    expect(page.locator("main")).to_contain_text("Who helps: my sister Ana")
    assert_accessible(page)
    assert_fits_the_screen(page)
    assert PlanVersion.objects.get().goals.get().steps.get().text == "Call the housing office"

    follow(page, "Printable copy")
    expect(heading(page)).to_have_text("My recovery plan")
    expect(page.locator(".plan-print")).to_contain_text("By: March 31, 2030")
    assert_accessible(page)
    assert_fits_the_screen(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".no-print")).to_be_hidden()
    expect(page.locator(".plan-print")).to_contain_text("A place of my own")
    page.emulate_media(media="screen")
