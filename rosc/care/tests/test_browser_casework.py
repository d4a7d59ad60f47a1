"""Issue 4's acceptance story on a 360-px phone, and the supervisor's team view, in Chromium.

As a new user and through the pages only (the world of organizations and staff is the one
thing built by code): a peer enrols a person, records consent, an intake BARC-10 and a plan,
logs a contact in three taps or fewer, sees the intake follow-up in its window and the person
on their caseload; a peer of another organization cannot learn that the person exists.
Every page visited is checked with axe-core and must fit the phone's width.

Run with -s to see the measured time for logging the contact (printed, not asserted).
Set ROSC_UX_SHOTS=1 to keep full-page screenshots in /tmp/ux-*.png for a design review.
"""

import os
import re
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from conftest import World, make_world
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
from rosc.assessments.models import Assessment
from rosc.conftest import PHONE, assert_accessible
from rosc.encounters.models import Encounter
from rosc.people.models import LifeDomain, Participant
from rosc.people.services import participant_enrol
from rosc.people.tests.test_browser_people import assert_fits_the_screen
from rosc.plans.models import PlanVersion, Progress
from rosc.plans.services import GoalData, StepData, plan_save

pytestmark = pytest.mark.browser


def checked(page: Page, name: str = "") -> None:
    """The page as it is now passes axe-core and fits the screen; optionally keep a screenshot."""
    assert_accessible(page)
    assert_fits_the_screen(page)
    if name and os.environ.get("ROSC_UX_SHOTS"):
        page.screenshot(path=f"/tmp/ux-{name}.png", full_page=True)
        viewport = page.viewport_size
        assert viewport is not None
        height = page.evaluate("() => document.documentElement.scrollHeight")
        for part, top in enumerate(range(0, height, viewport["height"]), 1):
            page.screenshot(
                path=f"/tmp/ux-{name}-{part}.png",
                full_page=True,
                clip={"x": 0, "y": top, "width": viewport["width"], "height": viewport["height"]},
            )


def tap_and_wait(page: Page, target: Locator) -> None:
    with page.expect_navigation():
        target.tap()


def section(page: Page, title: str) -> Locator:
    """A section of the person's page, found by its heading."""
    return page.locator("section").filter(has=page.get_by_role("heading", name=title, level=2))


def assert_on_the_first_screen(page: Page, target: Locator) -> None:
    """Seen and tapped without scrolling, and at least 44 px tall."""
    viewport = page.viewport_size
    box = target.bounding_box()
    assert viewport is not None and box is not None
    assert box["y"] + box["height"] <= viewport["height"], f"below the fold: {box}"
    assert box["height"] >= 44, f"too small to tap: {box}"


def go_to_the_caseload(page: Page) -> None:
    follow(page, "Caseload", within=page.get_by_role("navigation", name="Main"))
    expect(heading(page)).to_have_text("Your caseload")


def enrol_through_the_form(page: Page) -> None:
    follow(page, "Enrol a person")
    expect(heading(page)).to_have_text("Enrol a person")
    checked(page, "enrol")
    submit(page, "Enrol")
    assert_error_is_tied_to(page, "First name", "Please enter the person's first name.")
    checked(page)
    field(page, "First name").fill("Mariana")
    field(page, "Last name").fill("Garcia")
    field(page, "Preferred name (optional)").fill("Nana")
    field(page, "Pronouns (optional)").fill("she/her")
    page.get_by_label("Mutual aid (12-step, SMART, other groups)").check()
    page.get_by_label("Housing", exact=True).check()
    field(page, "How they like to be contacted").select_option(label="Text message")
    submit(page, "Enrol")
    expect(heading(page)).to_have_text("Nana Garcia")
    expect(page.get_by_role("status")).to_contain_text("Nana Garcia is enrolled.")
    checked(page, "person-new")


def record_consent(page: Page) -> None:
    follow(page, "Record consent")
    expect(heading(page)).to_have_text("Consent to share: Nana Garcia")
    checked(page)
    field(page, "Who may receive the information: an organization").select_option(
        label="Lakeside Treatment Partners"
    )
    page.get_by_label("Coordinating my care and support").check()
    page.get_by_label("Identity and contact details").check()
    page.get_by_label("Engagement and attendance").check()
    ends = (timezone.localdate() + timedelta(days=180)).isoformat()
    field(page, "This consent ends on").fill(ends)
    field(page, "Signature: the signer types their full name").fill("Mariana Garcia")
    page.get_by_label(
        "The person was told they may revoke this consent at any time, and how"
    ).check()
    page.get_by_label("The signer confirms that typing their name here is their signature").check()
    submit(page, "Record consent")
    expect(heading(page)).to_have_text("Consent to share with Lakeside Treatment Partners")
    expect(page.locator("main")).to_contain_text("Active")
    checked(page)
    follow(page, "← Nana Garcia")


def record_intake_checkin(page: Page) -> None:
    follow(page, "New check-in")
    expect(heading(page)).to_have_text("BARC-10 check-in: Nana Garcia")
    # The person's first check-in is their intake check-in, dated today.
    expect(page.get_by_label("Intake")).to_be_checked()
    expect(field(page, "Date of the check-in")).to_have_value(timezone.localdate().isoformat())
    checked(page, "checkin")
    for number, answer in enumerate((5, 4, 5, 3, 4, 5, 4, 6, 5, 4), 1):
        statement = page.locator("fieldset.likert").nth(number - 1)
        statement.locator("label.likert-option", has_text=f"{answer} · ").tap()
    submit(page, "Save check-in")
    expect(page.get_by_role("status")).to_contain_text("Check-in recorded: BARC-10 total 45")
    checked(page)
    assert Assessment.objects.get().occasion == "intake"
    follow(page, "← Nana Garcia")


def write_a_plan(page: Page) -> None:
    follow(page, "Write a plan")
    expect(heading(page)).to_have_text("Write the recovery plan: Nana Garcia")
    checked(page, "plan-edit")
    field(page, "What recovery means to me").fill("Being someone my kids can count on.")
    field(page, "Life domain").select_option(label="Housing")
    field(page, "The goal, in the person's words").fill("A place of my own")
    field(page, "Where this goal stands").select_option(label="Working on it")
    field(page, "Step").fill("Call the housing office")
    field(page, "Who helps (optional)").fill("my sister Ana")
    submit(page, "Save the plan")
    expect(heading(page)).to_have_text("Recovery plan: Nana Garcia")
    expect(page.get_by_role("status")).to_contain_text("The plan is saved (version 1).")
    checked(page)
    follow(page, "← Nana Garcia")


def log_a_contact(page: Page) -> tuple[int, float]:
    """Tap by tap from the person's page; returns the taps and the seconds to the saved page."""
    log = page.get_by_role("link", name="Log a contact", exact=True)
    assert_on_the_first_screen(page, log)
    taps = 0
    started = time.perf_counter()
    tap_and_wait(page, log)
    taps += 1
    expect(heading(page)).to_contain_text("Log a contact")
    form_shown = time.perf_counter()
    # Now, a kind, a length and a place are already filled in; picking the kind (a phone
    # call) is the one tap between opening the form and saving it.
    page.get_by_text("Phone call", exact=True).tap()
    taps += 1
    expect(page.get_by_label("Phone call")).to_be_checked()
    tap_and_wait(page, page.get_by_role("button", name="Save contact").first)
    taps += 1
    seconds = time.perf_counter() - started
    expect(heading(page)).to_have_text("Nana Garcia")
    expect(page.get_by_role("status")).to_contain_text("Contact with Nana Garcia logged")
    print(
        f"\nLogging a contact (tap on 'Log a contact' -> saved page): {seconds:.2f} s, "
        f"form shown after {form_shown - started:.2f} s, {taps} taps"
    )
    return taps, seconds


def test_a_new_peer_works_a_whole_case_on_a_360_px_phone_and_another_organization_cannot_see_it(
    live_server, phone_page, open_page: Callable[..., Page], record_property
):
    page = phone_page
    world = make_world()
    with_password(world, "rco_a_peer")
    sign_in(page, live_server.url, world, "rco_a_peer")
    checked(page)

    go_to_the_caseload(page)
    expect(page.get_by_text("Nobody has you as their peer specialist yet.")).to_be_visible()
    checked(page, "caseload-empty")

    enrol_through_the_form(page)
    record_consent(page)
    record_intake_checkin(page)
    write_a_plan(page)
    expect(heading(page)).to_have_text("Nana Garcia")
    checked(page, "person-before-contact")

    taps, seconds = log_a_contact(page)
    record_property("contact_seconds", round(seconds, 3))
    assert taps <= 3
    encounter = Encounter.objects.get()
    assert encounter.kind == "phone"
    assert abs(encounter.occurred_at - timezone.now()) < timedelta(minutes=2)
    checked(page, "person")

    # The quick contact form itself, checked after the timed run (now set to a phone call).
    follow(page, "Log a contact")
    checked(page, "contact-form")
    save = page.get_by_role("button", name="Save contact").first.bounding_box()
    assert save is not None
    print(f"'Save contact' spans y={save['y']:.0f}-{save['y'] + save['height']:.0f} px")
    follow(page, "← Nana Garcia")

    # The intake follow-up is open now, on the person's page and on the caseload.
    followups = section(page, "Follow-ups")
    expect(followups).to_contain_text("Intake")
    expect(followups).to_contain_text("Open now")
    expect(section(page, "Contacts")).to_contain_text("Phone call")
    expect(section(page, "Recovery plan")).to_contain_text("1 goal")
    expect(section(page, "Recovery capital check-ins")).to_contain_text("45")

    go_to_the_caseload(page)
    in_window = page.get_by_role("listitem").filter(has_text="Open now")
    expect(in_window).to_contain_text("Nana Garcia")
    expect(in_window).to_contain_text("Intake")
    expect(page.get_by_role("heading", name="Your people (1)")).to_be_visible()
    expect(page.get_by_role("link", name="Nana Garcia").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("Phone call")
    # From the caseload too, a contact is one tap away.
    expect(page.get_by_role("link", name="Log a contact with Nana Garcia")).to_be_visible()
    checked(page, "caseload")
    person = Participant.objects.get()
    assert person.primary_peer == world.users["rco_a_peer"]

    # A peer of another organization, on their own phone, gets the not-found page.
    with_password(world, "rco_b_peer")
    other = open_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    sign_in(other, live_server.url, world, "rco_b_peer")
    for path in ("", "contacts/new/", "plan/", "check-ins/", "follow-ups/"):
        response = other.goto(f"{live_server.url}/participants/{person.public_id}/{path}")
        assert response is not None and response.status == 404, path
        expect(other.locator("body")).not_to_contain_text("Garcia")
        expect(other.locator("body")).not_to_contain_text("Nana")
        assert "Garcia" not in other.title()
    assert_accessible(other)
    assert_fits_the_screen(other)
    assert re.search(r"/participants/[0-9a-f-]{36}/follow-ups/$", other.url)


def plan_waiting_for_review(world: World) -> PlanVersion:
    actor = actor_for_user(world.users["rco_a_peer"], world.orgs["rco_a"])
    person = participant_enrol(actor=actor, legal_first_name="Rosa", legal_last_name="Delgado")
    return plan_save(
        actor=actor,
        participant=person,
        base_version=None,
        meaning="Getting my license back and driving my mother to church.",
        strengths="I show up. My church group.",
        goals=[
            GoalData(
                domain=LifeDomain.TRANSPORTATION,
                text="Get my license back",
                status=Progress.IN_PROGRESS,
                steps=(StepData("Pay the reinstatement fee", who_helps="my peer coach"),),
            )
        ],
    )


@pytest.mark.parametrize("on_phone", [False, True], ids=["desktop", "phone"])
def test_a_supervisor_sees_the_teams_workload_and_opens_a_plan_waiting_for_review(
    live_server, open_page: Callable[..., Page], on_phone: bool
):
    world = make_world()
    with_password(world, "rco_a_supervisor")
    version = plan_waiting_for_review(world)
    page = (
        open_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
        if on_phone
        else open_page()
    )
    sign_in(page, live_server.url, world, "rco_a_supervisor")
    go_to_the_caseload(page)
    follow(page, "Your team")
    expect(heading(page)).to_have_text("Your team's caseload")
    table = page.get_by_role("table")
    expect(table.get_by_role("rowheader", name="Rco A Peer")).to_be_visible()
    expect(page.get_by_role("heading", name="Plans waiting for review (1)")).to_be_visible()
    checked(page, "team-phone" if on_phone else "")

    follow(page, "Rosa Delgado: version 1")
    expect(heading(page)).to_have_text("Plan version 1: Rosa Delgado")
    assert page.url.endswith(f"/plan/versions/{version.public_id}/")
    expect(page.get_by_role("link", name="Review this version")).to_be_visible()
    checked(page)
