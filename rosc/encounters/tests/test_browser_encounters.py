"""A peer logs a contact on a 360-px phone in three taps, in headless Chromium, axe-clean.

Tap 1 opens the quick form, tap 2 picks the kind, tap 3 saves; now, the length and the place
are already filled in from the peer's last contact. The round trip is measured and printed
(run with -s to see it), not asserted: the target is well under 30 seconds.
"""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from conftest import make_world
from rosc.accounts.actor import actor_for_user
from rosc.accounts.tests.test_browser_accounts import heading, sign_in, with_password
from rosc.conftest import assert_accessible
from rosc.encounters.models import Encounter
from rosc.encounters.services import encounter_log
from rosc.people.services import participant_enrol
from rosc.people.tests.test_browser_people import assert_fits_the_screen

pytestmark = pytest.mark.browser


class Taps:
    """Counts what the person does: opening a page or tapping a control."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    def open(self, url: str) -> None:
        self.count += 1
        self.page.goto(url)

    def tap(self, target: Locator, *, navigates: bool = False) -> None:
        self.count += 1
        if navigates:
            with self.page.expect_navigation():
                target.tap()
        else:
            target.tap()


def test_a_peer_logs_a_contact_on_a_phone_in_three_taps(live_server, phone_page, record_property):
    world = make_world()
    with_password(world, "rco_a_peer")
    actor = actor_for_user(world.users["rco_a_peer"], world.orgs["rco_a"])
    person = participant_enrol(actor=actor, legal_first_name="Maria", legal_last_name="Garcia")
    # Yesterday's visit sets this peer's usual length and place.
    encounter_log(
        actor=actor,
        participant=person,
        kind="in_reach",
        duration_minutes=40,
        place="jail",
        occurred_at=timezone.now() - timedelta(days=1),
    )
    sign_in(phone_page, live_server.url, world, "rco_a_peer")
    page = phone_page
    taps = Taps(page)

    started = time.perf_counter()
    taps.open(f"{live_server.url}/participants/{person.public_id}/contacts/new/")
    expect(heading(page)).to_contain_text("Log a contact")
    opened = time.perf_counter()
    expect(page.get_by_label("In-reach (jail or hospital)")).to_be_checked()
    expect(page.get_by_label("Minutes")).to_have_value("40")
    taps.tap(page.get_by_text("Phone call", exact=True))
    expect(page.get_by_label("Phone call")).to_be_checked()
    taps.tap(page.get_by_role("button", name="Save contact").first, navigates=True)
    saved = time.perf_counter()

    assert taps.count == 3
    expect(heading(page)).to_have_text("Maria Garcia")
    expect(page.get_by_role("status")).to_contain_text(
        "Contact with Maria Garcia logged: phone call, 40 min."
    )
    latest = Encounter.objects.order_by("-logged_at").first()
    assert latest is not None
    assert (latest.kind, latest.duration_minutes, latest.place) == ("phone", 40, "jail")
    assert abs(latest.occurred_at - timezone.now()) < timedelta(minutes=2)
    seconds = saved - started
    record_property("round_trip_seconds", round(seconds, 3))
    print(
        f"\nQuick log round trip (open form -> saved page): {seconds:.2f} s "
        f"(form shown after {opened - started:.2f} s), {taps.count} taps"
    )
    assert_accessible(page)

    # The quick form itself, checked at rest and with an error.
    page.goto(f"{live_server.url}/participants/{person.public_id}/contacts/new/")
    assert_accessible(page)
    assert_fits_the_screen(page)
    page.get_by_label("Minutes").fill("0")
    with page.expect_navigation():
        page.get_by_role("button", name="Save contact").first.tap()
    expect(page.get_by_role("alert")).to_contain_text("from 1 to 600")
    assert_accessible(page)
    assert Encounter.objects.count() == 2

    # The contact is in the list; its note is one tap further, on its own page.
    page.goto(f"{live_server.url}/participants/{person.public_id}/contacts/")
    expect(heading(page)).to_have_text("Contacts with Maria Garcia")
    expect(page.get_by_text("Phone call · 40 min")).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)
