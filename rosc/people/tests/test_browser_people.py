"""A peer enrols a person, records their consent, prints it and revokes it, in headless Chromium.

Every page visited is checked with axe-core (assert_accessible), on a desktop and a 360-px phone.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

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
from rosc.conftest import assert_accessible
from rosc.consent.models import Consent
from rosc.people.models import Participant
from rosc.people.services import participant_enrol

pytestmark = pytest.mark.browser


def enrol_someone_already_known(world: World, persona: str) -> Participant:
    return participant_enrol(
        actor=actor_for_user(world.users[persona], world.org_of(persona)),
        legal_first_name="Maria",
        legal_last_name="Garcia",
    )


def assert_fits_the_screen(page: Page) -> None:
    """Nothing spills sideways: on a 360-px phone the page is no wider than the screen."""
    viewport = page.viewport_size
    assert viewport is not None
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url}: {width}px wide"


def enrol_through_the_form(page: Page, base_url: str) -> None:
    follow(page, "Your caseload")
    expect(heading(page)).to_have_text("People you support")
    expect(page.get_by_text("Maria Garcia")).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)

    follow(page, "Enrol a person")
    expect(heading(page)).to_have_text("Enrol a person")
    assert_accessible(page)
    # Nothing typed: the error is next to the field, and the summary links to it.
    submit(page, "Enrol")
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_error_is_tied_to(page, "First name", "Please enter the person's first name.")
    assert_accessible(page)

    field(page, "First name").fill("Mariana")
    field(page, "Last name").fill("Garcia")
    field(page, "Preferred name (optional)").fill("Nana")
    field(page, "Pronouns (optional)").fill("she/her")
    page.get_by_label("Mutual aid (12-step, SMART, other groups)").check()
    page.get_by_label("Housing", exact=True).check()
    field(page, "How they like to be contacted").select_option(label="Text message")
    submit(page, "Enrol")
    # Same last name, first names that start alike: the likely duplicate is shown first.
    expect(
        page.get_by_role("heading", name="Your organization may already know this person")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Maria Garcia", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("This is a different person").check()
    submit(page, "Enrol")
    expect(heading(page)).to_have_text("Nana Garcia")
    expect(page.get_by_role("status")).to_contain_text("Nana Garcia is enrolled.")
    assert_accessible(page)


def record_print_and_revoke_consent(page: Page, world: World) -> None:
    follow(page, "Record consent")
    expect(heading(page)).to_have_text("Consent to share: Nana Garcia")
    expect(page.get_by_text("You may revoke (take back) this consent")).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)

    field(page, "Who may receive the information: an organization").select_option(
        label="Lakeside Treatment Partners"
    )
    page.get_by_label("Coordinating my care and support").check()
    page.get_by_label("Identity and contact details").check()
    page.get_by_label("Engagement and attendance").check()
    ends = (timezone.localdate() + timedelta(days=180)).isoformat()
    field(page, "This consent ends on").fill(ends)
    field(page, "Signature: the signer types their full name").fill("Mariana Garcia")
    # The acknowledgement and the confirmation are left out: each error sits by its box.
    submit(page, "Record consent")
    assert_error_is_tied_to(
        page,
        "The signer confirms that typing their name here is their signature",
        "The signer needs to confirm that this is their signature.",
    )
    assert_accessible(page)
    page.get_by_label(
        "The person was told they may revoke this consent at any time, and how"
    ).check()
    page.get_by_label("The signer confirms that typing their name here is their signature").check()
    submit(page, "Record consent")
    expect(heading(page)).to_have_text("Consent to share with Lakeside Treatment Partners")
    expect(page.locator("main")).to_contain_text("Active")
    expect(page.locator("main")).to_contain_text(
        "42 CFR part 2 prohibits unauthorized use or disclosure of these records."
    )
    assert_accessible(page)

    assert_fits_the_screen(page)
    follow(page, "Printable copy")
    expect(heading(page)).to_have_text("Consent to share information")
    assert_accessible(page)
    assert_fits_the_screen(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".no-print")).to_be_hidden()
    expect(page.locator(".print-document")).to_contain_text("Mariana Garcia")
    page.emulate_media(media="screen")
    follow(page, "← Back to the consent")

    follow(page, "What has been shared")
    expect(heading(page)).to_have_text("What has been shared about Nana Garcia")
    expect(page.get_by_text("Nothing has been shared yet.")).to_be_visible()
    assert_accessible(page)
    page.go_back()

    field(page, "Note (how and when the person said so)").fill("Said so in person today.")
    page.once("dialog", lambda dialog: dialog.accept())
    submit(page, "Revoke consent")
    expect(page.get_by_role("status")).to_contain_text("The consent is revoked.")
    expect(page.locator("main")).to_contain_text("Revoked")
    expect(page.get_by_role("button", name="Revoke consent")).to_have_count(0)
    assert_accessible(page)
    consent = Consent.objects.get(participant__legal_first_name="Mariana")
    assert consent.revoked_at is not None

    follow(page, "← Nana Garcia")
    expect(page.locator("main")).to_contain_text("Revoked")
    assert_accessible(page)


def test_peer_enrols_a_person_past_the_duplicate_warning_records_prints_and_revokes_consent(
    live_server, page
):
    world = make_world()
    with_password(world, "rco_a_peer")
    enrol_someone_already_known(world, "rco_a_peer")
    sign_in(page, live_server.url, world, "rco_a_peer")
    enrol_through_the_form(page, live_server.url)
    record_print_and_revoke_consent(page, world)


def test_the_same_on_a_360_px_phone(live_server, phone_page):
    world = make_world()
    with_password(world, "rco_b_peer")
    enrol_someone_already_known(world, "rco_b_peer")
    sign_in(phone_page, live_server.url, world, "rco_b_peer")
    enrol_through_the_form(phone_page, live_server.url)
    assert_fits_the_screen(phone_page)
    record_print_and_revoke_consent(phone_page, world)
    assert re.search(r"/participants/[0-9a-f-]{36}/$", phone_page.url)


def test_another_organizations_peer_sees_the_not_found_page_for_the_person(live_server, page):
    world = make_world()
    person = enrol_someone_already_known(world, "rco_a_peer")
    with_password(world, "rco_b_peer")
    sign_in(page, live_server.url, world, "rco_b_peer")
    response = page.goto(f"{live_server.url}/participants/{person.public_id}/")
    assert response is not None and response.status == 404
    expect(page.locator("main")).not_to_contain_text("Garcia")
    assert_accessible(page)
