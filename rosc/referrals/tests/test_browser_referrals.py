"""A peer refers a person on a 360-px phone; the partner accepts and completes it; the peer
sees it completed. Every page is checked with axe-core and must fit the screen."""

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
from rosc.people.services import participant_enrol
from rosc.people.tests.test_browser_people import assert_fits_the_screen
from rosc.referrals.tests.conftest import record_consent

pytestmark = pytest.mark.browser


def check(page: Page) -> None:
    assert_accessible(page)
    assert_fits_the_screen(page)


def test_peer_refers_partner_accepts_and_completes_and_peer_sees_it_completed(
    live_server, phone_page, open_page
):
    world = make_world()
    with_password(world, "rco_a_peer")
    with_password(world, "provider_staff")
    peer_actor = actor_for_user(world.users["rco_a_peer"], world.org_of("rco_a_peer"))
    maria = participant_enrol(
        actor=peer_actor, legal_first_name="Maria", legal_last_name="Garcia", phone="555-0100"
    )
    record_consent(peer_actor, maria, world.org_of("provider_staff"))

    # The peer, on their phone, refers Maria from her page.
    peer = phone_page
    sign_in(peer, live_server.url, world, "rco_a_peer")
    peer.goto(f"{live_server.url}/participants/{maria.public_id}/")
    follow(peer, "Refer to another organization")
    expect(heading(peer)).to_have_text("Refer Maria Garcia to another organization")
    expect(peer.locator("main")).to_contain_text("With Lakeside Treatment Partners")
    check(peer)
    field(peer, "Refer to: organization").select_option(label="Lakeside Treatment Partners")
    field(peer, "What this referral is for").select_option(label="Housing")
    peer.get_by_label("Soon (within a few days)").check()
    field(peer, "Note for the organization you refer to (optional)").fill(
        "Maria would like a quiet place near the bus line."
    )
    submit(peer, "Send the referral")
    expect(peer.get_by_role("status")).to_contain_text("Referral sent to Lakeside Treatment")
    expect(peer.locator("main")).to_contain_text("Sent, waiting for a reply")
    check(peer)

    # The partner opens the referral from the inbox, accepts it, then completes it.
    partner = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(partner, live_server.url, world, "provider_staff")
    follow(partner, "Referrals 1 unread notification")
    expect(heading(partner)).to_have_text("Referrals sent to Lakeside Treatment Partners")
    check(partner)
    follow(partner, "Housing: Maria Garcia")
    expect(partner.locator("main")).to_contain_text("555-0100")
    expect(partner.locator("main")).to_contain_text("quiet place near the bus line")
    check(partner)
    submit(partner, "Accept")
    expect(partner.get_by_role("status")).to_contain_text("now “Accepted”")
    check(partner)
    # Declining is folded away until chosen; completing needs no more words.
    submit(partner, "Mark completed")
    expect(partner.get_by_role("status")).to_contain_text("now “Completed”")
    check(partner)

    # Back on the peer's phone: the outbox and the referral's page say it is completed.
    peer.goto(f"{live_server.url}/referrals/sent/")
    expect(heading(peer)).to_have_text("Referrals Riverbend Recovery Community sent")
    field(peer, "Status").select_option(label="Closed")
    submit(peer, "Show")
    row = peer.get_by_role("listitem").filter(has_text="Housing: Maria Garcia")
    expect(row).to_contain_text("Completed")
    check(peer)
    follow(peer, "Housing: Maria Garcia")
    expect(peer.locator("main")).to_contain_text("Accepted → Completed")
    check(peer)


def test_an_admin_sets_the_overdue_rules_and_staff_read_their_notifications_on_a_phone(
    live_server, phone_page, open_page
):
    world = make_world()
    with_password(world, "rco_a_peer")
    with_password(world, "provider_admin")
    peer_actor = actor_for_user(world.users["rco_a_peer"], world.org_of("rco_a_peer"))
    jordan = participant_enrol(actor=peer_actor, legal_first_name="Jordan", legal_last_name="Lee")
    record_consent(peer_actor, jordan, world.org_of("provider_admin"))

    # The partner's admin sets its overdue rules; a number out of range is named at its field.
    admin = phone_page
    sign_in(admin, live_server.url, world, "provider_admin")
    provider = world.org_of("provider_admin")
    admin.goto(f"{live_server.url}/orgs/{provider.public_id}/referral-settings/")
    expect(heading(admin)).to_have_text("Referral settings")
    check(admin)
    field(admin, "Flag a referral not opened within (business days)").fill("45")
    submit(admin, "Save settings")
    expect(admin.locator("main")).to_contain_text("30")
    expect(admin).to_have_title("Error: Referral settings · ROSC Hub")
    check(admin)
    field(admin, "Flag a referral not opened within (business days)").fill("2")
    submit(admin, "Save settings")
    expect(admin.get_by_role("status")).to_be_visible()
    check(admin)

    # A referral arrives: the admin's notifications page lists it and links to it.
    peer = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(peer, live_server.url, world, "rco_a_peer")
    peer.goto(f"{live_server.url}/participants/{jordan.public_id}/referrals/new/")
    field(peer, "Refer to: organization").select_option(label="Lakeside Treatment Partners")
    field(peer, "What this referral is for").select_option(label="Employment and education")
    submit(peer, "Send the referral")
    expect(peer.get_by_role("status")).to_contain_text("Referral sent to Lakeside Treatment")

    admin.goto(f"{live_server.url}/referrals/notifications/")
    expect(heading(admin)).to_have_text("Referral notifications")
    expect(admin.locator("main")).to_contain_text("employment and education")
    check(admin)
