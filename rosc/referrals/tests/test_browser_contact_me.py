"""A person on a 360-px phone asks a listed organization to contact them, in headless Chromium."""

import re

import pytest
from playwright.sync_api import expect

from conftest import make_world
from rosc.accounts.tests.test_browser_accounts import (
    assert_error_is_tied_to,
    field,
    follow,
    heading,
    submit,
)
from rosc.conftest import assert_accessible
from rosc.directory.models import Phone, Service
from rosc.referrals.models import Referral

pytestmark = pytest.mark.browser


def test_a_person_on_a_phone_asks_an_organization_to_contact_them(
    live_server, phone_page, settings
):
    settings.ROSC_CONTACT_MIN_SECONDS = 0  # no 3-second wait in the test
    partner = make_world().orgs["provider"]
    Phone.objects.create(organization=partner, number="217-555-0142")
    service = Service.objects.create(
        organization=partner, name="Outpatient recovery support", status=Service.Status.ACTIVE
    )
    page = phone_page

    page.goto(f"{live_server.url}/find/services/{service.public_id}/")
    expect(heading(page)).to_have_text("Outpatient recovery support")
    assert_accessible(page)
    follow(page, "Ask them to contact me")
    expect(heading(page)).to_have_text("Ask Lakeside Treatment Partners to contact you")
    assert_accessible(page)

    # The keyboard goes from field to field and never reaches the hidden honeypot.
    field(page, "Your name").focus()
    visited = []
    for _ in range(20):
        page.keyboard.press("Tab")
        visited.append(page.evaluate("document.activeElement.name || document.activeElement.id"))
        if page.evaluate("document.activeElement.tagName") == "BUTTON":
            break
    assert "contact_reference" not in visited
    assert visited[-1] == ""  # the submit button (it has no name)

    field(page, "Your name").fill("Sam Rivera")
    field(page, "Phone number").fill("217 555 0199")
    page.get_by_label("Text message").check()
    field(page, "What would you like help with? (optional)").select_option(label="Housing")
    field(page, "Anything you would like them to know (optional)").fill(
        "Looking for a sober living place."
    )
    submit(page, "Ask them to contact me")
    # Without the consent box: the error is next to it, and what was typed is kept.
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_error_is_tied_to(
        page,
        "I agree that Lakeside Treatment Partners may contact me about this",
        "Please tick the box to agree to be contacted",
    )
    expect(field(page, "Your name")).to_have_value("Sam Rivera")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_label(
        re.compile("^I agree that Lakeside Treatment Partners may contact me about this")
    ).check()
    submit(page, "Ask them to contact me")
    expect(heading(page)).to_have_text(
        "Thank you. Your request was sent to Lakeside Treatment Partners"
    )
    expect(page.get_by_text("What happens next")).to_be_visible()
    expect(page.get_by_role("link", name="988")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    referral = Referral.objects.get(recipient_organization=partner)
    assert referral.kind == "self_referral" and referral.status == "requested"
    assert referral.shared["identity_and_contact"]["phone"] == "217 555 0199"
