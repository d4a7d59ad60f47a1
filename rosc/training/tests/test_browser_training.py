"""A peer opens their training record on a 360-px phone, prints a certificate, and anyone checks it.

Every page visited is checked with axe-core and must fit the phone's width.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

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
from rosc.people.tests.test_browser_people import assert_fits_the_screen
from rosc.training.models import Enrolment
from rosc.training.tests.factories import completed, course, offer

pytestmark = pytest.mark.browser


def test_a_peer_prints_a_certificate_on_a_phone_and_its_code_is_confirmed(live_server, phone_page):
    page = phone_page
    world = make_world()
    with_password(world, "rco_a_peer")
    ethics = course(
        world.orgs["rco_a"],
        title="Ethics for peer recovery specialists",
        split={"ethics": "4", "recovery-coaching": "2"},
    )
    session = offer(ethics, starts_at=timezone.now() - timedelta(days=20))
    session.hosts.add(world.orgs["provider"])
    enrolment = completed(session, world.users["rco_a_peer"], world.orgs["rco_a"])
    assert enrolment.completed_on is not None and enrolment.verification_code is not None
    offer(ethics)  # one still to come, on the public calendar

    sign_in(page, live_server.url, world, "rco_a_peer")
    follow(page, "My training")
    expect(heading(page)).to_have_text("My training")
    expect(page.get_by_role("cell", name="Recovery coaching / peer support")).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)

    follow(
        page,
        f"Certificate for Ethics for peer recovery specialists, "
        f"{enrolment.completed_on:%B} {enrolment.completed_on.day}, {enrolment.completed_on.year}",
    )
    expect(heading(page)).to_have_text("Rco A Peer")
    expect(page.get_by_text(enrolment.verification_code, exact=True)).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_text("Lakeside Treatment Partners")).to_be_visible()
    assert_accessible(page)
    page.emulate_media(media="screen")

    # Anyone, signed out, checks the code from the paper.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/training/verify/")
    assert_accessible(page)
    page.get_by_label("Verification code").fill(enrolment.verification_code.lower())
    with page.expect_navigation():
        page.get_by_role("button", name="Check").click()
    expect(heading(page)).to_have_text("Certificate confirmed")
    expect(page.get_by_text("Ethics for peer recovery specialists")).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)

    page.goto(f"{live_server.url}/training/")
    expect(heading(page)).to_have_text("Training calendar")
    assert_accessible(page)
    assert_fits_the_screen(page)


def test_an_org_admin_adds_a_course_offers_it_and_records_attendance_on_a_phone(
    live_server, phone_page
):
    page = phone_page
    world = make_world()
    with_password(world, "rco_a_admin")
    held = offer(
        course(
            world.orgs["rco_a"], title="Trauma-informed care", split={"trauma-informed-care": "3"}
        ),
        starts_at=timezone.now() - timedelta(hours=4),
    )
    Enrolment.objects.create(
        session=held, user=world.users["rco_b_peer"], organization=world.orgs["rco_b"]
    )

    sign_in(page, live_server.url, world, "rco_a_admin")
    follow(page, "Training courses")
    assert_accessible(page)
    follow(page, "Add a course")
    field(page, "Title").fill("Ethics for peer recovery specialists")
    field(page, "Contact hours").fill("6")
    field(page, "Ethics (hours)").fill("4")
    submit(page, "Save the course")
    expect(page.get_by_role("alert")).to_contain_text("must be equal")
    assert_accessible(page)
    assert_fits_the_screen(page)
    field(page, "Recovery coaching / peer support (hours)").fill("2")
    submit(page, "Save the course")
    expect(heading(page)).to_have_text("Offer the course on a date")
    assert_accessible(page)
    assert_fits_the_screen(page)

    page.goto(f"{live_server.url}/training/sessions/{held.public_id}/roster/")
    expect(heading(page)).to_have_text("Enrolments: Trauma-informed care")
    assert_accessible(page)
    assert_fits_the_screen(page)
    page.get_by_label("Attendance").select_option(label="Attended part")
    page.get_by_label("Hours attended (if part)").fill("2")
    submit(page, "Save attendance")
    expect(page.get_by_role("status")).to_contain_text("Attendance saved.")
    assert_accessible(page)
