"""The person signs a consent on their own 360-px phone through the one-time link (Chromium)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_world
from rosc.accounts.actor import actor_for_user
from rosc.accounts.tests.test_browser_accounts import (
    assert_error_is_tied_to,
    field,
    heading,
    submit,
)
from rosc.conftest import assert_accessible
from rosc.consent.models import Consent
from rosc.consent.services import signing_request_create
from rosc.people.services import participant_enrol
from rosc.people.tests.test_browser_people import assert_fits_the_screen

pytestmark = pytest.mark.browser


def test_the_person_reads_and_signs_on_their_own_phone(live_server, phone_page):
    world = make_world()
    peer = actor_for_user(world.users["rco_a_peer"], world.org_of("rco_a_peer"))
    person = participant_enrol(actor=peer, legal_first_name="Ana", legal_last_name="Lopez")
    _, token = signing_request_create(
        actor=peer,
        participant=person,
        recipient_organization=world.orgs["provider"],
        purpose="referral",
        categories=["identity_and_contact", "engagement_and_attendance"],
        expires_on=timezone.localdate() + timedelta(days=60),
    )
    phone_page.goto(f"{live_server.url}/consent/sign/{token}/")
    expect(heading(phone_page)).to_have_text("Your consent to share information")
    expect(phone_page.locator("main")).to_contain_text("Lakeside Treatment Partners")
    assert_fits_the_screen(phone_page)
    assert_accessible(phone_page)

    field(phone_page, "Type your full name to sign").fill("Ana Lopez")
    submit(phone_page, "Sign")
    assert_error_is_tied_to(
        phone_page, "Typing my name here is my signature", "confirm that this is their signature"
    )
    assert_accessible(phone_page)

    field(
        phone_page, "I understand I may revoke (take back) this consent at any time, and how"
    ).check()
    field(phone_page, "Typing my name here is my signature").check()
    submit(phone_page, "Sign")
    expect(heading(phone_page)).to_have_text("Thank you")
    assert_accessible(phone_page)
    assert Consent.objects.get().signature_method == "own_device"
