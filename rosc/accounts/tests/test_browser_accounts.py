"""Signing in, switching organization, staff and audit pages, in headless Chromium with axe-core.

Each test builds the personas itself (live_server needs a transactional database) and checks
every page it visits with assert_accessible.
"""

import base64
import re
import time
from typing import Any

import pytest
from django.core import mail
from django_otp.oath import totp
from playwright.sync_api import Locator, Page, expect

from conftest import PASSWORD, World, current_code, make_world
from rosc.accounts.models import User
from rosc.accounts.roles import Role
from rosc.accounts.services import membership_create
from rosc.conftest import PHONE, assert_accessible, page_watch

pytestmark = pytest.mark.browser


# --- helpers --------------------------------------------------------------------------------


def with_password(world: World, persona: str) -> User:
    user = world.users[persona]
    user.set_password(PASSWORD)
    user.save()
    return user


def field(page: Page, label: str) -> Locator:
    """The form control labelled exactly so (Django's labels end with a colon)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def press_and_wait(page: Page, locator: Locator) -> None:
    """Click something that loads a new page, and wait until it has loaded."""
    with page.expect_navigation():
        locator.click()


def submit(page: Page, button: str) -> None:
    press_and_wait(page, page.get_by_role("button", name=button, exact=True))


def follow(page: Page, link: str, *, within: Locator | None = None) -> None:
    press_and_wait(page, (within or page).get_by_role("link", name=link, exact=True))


def fill_password_form(page: Page, username: str, password: str) -> None:
    field(page, "Username").fill(username)
    field(page, "Password").fill(password)
    submit(page, "Sign in")


def sign_in(page: Page, base_url: str, world: World, persona: str) -> None:
    """Sign in through the pages, with the second factor when the persona has one."""
    page.goto(f"{base_url}/")
    expect(heading(page)).to_have_text("Sign in")
    assert_accessible(page)
    fill_password_form(page, persona, PASSWORD)
    device = world.devices.get(persona)
    if device is not None:
        expect(heading(page)).to_have_text("Enter your code")
        assert_accessible(page)
        page.get_by_label("6-digit code from your authenticator app").fill(current_code(device))
        submit(page, "Continue")
    expect(heading(page)).to_have_text(f"Welcome, {world.users[persona].display_name}")
    assert_accessible(page)


def assert_error_is_tied_to(page: Page, label: str, message: str) -> None:
    """The field is marked invalid and names its error message for assistive technology."""
    control = field(page, label)
    expect(control).to_have_attribute("aria-invalid", "true")
    described_by = control.get_attribute("aria-describedby") or ""
    assert described_by, f"{label}: no aria-describedby"
    errors = " ".join(page.locator(f"#{i}").inner_text() for i in described_by.split())
    assert message in errors, f"{label}: {errors!r} does not say {message!r}"


FOCUSED_JS = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const rgb = (color) => (color.match(/[\\d.]+/g) || []).map(Number);
    const luminance = ([r, g, b]) => {
        const lin = (c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    // The colour around the ring: the first opaque background outside the element.
    let behind = [255, 255, 255];
    for (let node = el.parentElement; node; node = node.parentElement) {
        const bg = rgb(getComputedStyle(node).backgroundColor);
        if (bg.length >= 3 && (bg.length === 3 || bg[3] > 0)) { behind = bg; break; }
    }
    const [hi, lo] = [luminance(rgb(style.outlineColor)), luminance(behind)].sort((a, b) => b - a);
    return {
        tag: el.tagName.toLowerCase(), id: el.id, text: el.innerText || el.value || '',
        outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
        ringContrast: (hi + 0.05) / (lo + 0.05),
        x: box.x, y: box.y, width: box.width, height: box.height,
    };
}"""


def focused(page: Page) -> dict[str, Any]:
    """The focused element: tag, id, text, its focus outline and the outline's contrast."""
    result: dict[str, Any] = page.evaluate(FOCUSED_JS)
    return result


def assert_focus_visible(page: Page) -> dict[str, Any]:
    """Something has focus, with an outline of 3:1 or more against what is around it."""
    el = focused(page)
    assert el["tag"] != "body", "Nothing has focus"
    assert el["outlineStyle"] != "none" and el["outlineWidth"] > 0, f"No focus outline on {el}"
    assert el["ringContrast"] >= 3, f"The focus outline is hard to see (WCAG 1.4.11): {el}"
    assert el["width"] > 0 and el["height"] > 0 and el["x"] >= 0 and el["y"] >= 0, (
        f"The focused element is off screen: {el}"
    )
    return el


def tab_to(page: Page, selector: str, *, limit: int = 15) -> None:
    """Press Tab until the element matching selector has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def assert_no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"


def assert_usable_on_phone(control: Locator) -> None:
    """Visible, inside the screen, at least 24x24 CSS px, and not covered by anything."""
    expect(control).to_be_visible()
    box = control.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"{control} overflows"
    assert box["width"] >= 24 and box["height"] >= 24, f"{control} is too small: {box}"
    control.click(trial=True)  # Playwright's actionability checks: receives the pointer


# --- tests ----------------------------------------------------------------------------------


def test_peer_specialist_signs_in_with_password_and_code_and_home_names_role_and_organization(
    live_server, page
):
    world = make_world()
    with_password(world, "rco_a_peer")

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(heading(page)).to_have_text("Sign in")
    assert_accessible(page)

    fill_password_form(page, "rco_a_peer", PASSWORD)
    expect(page).to_have_url(re.compile(r"/login/verify/"))
    expect(heading(page)).to_have_text("Enter your code")
    expect(page.get_by_text("6-digit code", exact=False).first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("6-digit code from your authenticator app").fill(
        current_code(world.devices["rco_a_peer"])
    )
    submit(page, "Continue")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(heading(page)).to_have_text("Welcome, Rco A Peer")
    expect(page.locator("main")).to_contain_text(
        "You are working as Peer recovery specialist at Riverbend Recovery Community."
    )
    expect(page.locator("header")).to_contain_text("Riverbend Recovery Community")
    assert_accessible(page)


def test_member_of_two_organizations_switches_with_the_header_switcher_by_mouse_and_keyboard(
    live_server, page
):
    world = make_world()
    with_password(world, "rco_a_peer")
    membership_create(
        user=world.users["rco_a_peer"],
        organization=world.orgs["rco_b"],
        role=Role.SUPERVISOR,
    )
    choices = {
        "Riverbend Recovery Community": "Peer recovery specialist",
        "Prairie Path Recovery Alliance": "Supervisor",
    }
    sign_in(page, live_server.url, world, "rco_a_peer")

    switcher = page.get_by_label("Working as")
    start = switcher.locator("option:checked").inner_text()
    start_org = start.split(" — ")[0]
    other_org = next(org for org in choices if org != start_org)

    # With the mouse: choose, then press Switch.
    switcher.select_option(label=f"{other_org} — {choices[other_org]}")
    submit(page, "Switch")
    main = page.locator("main")
    expect(main).to_contain_text(f"You are now working as {choices[other_org]} at {other_org}.")
    expect(main).to_contain_text(f"You are working as {choices[other_org]} at {other_org}.")
    expect(page.get_by_label("Working as").locator("option:checked")).to_contain_text(other_org)
    assert_accessible(page)

    # With the keyboard only: Tab to the select, choose with an arrow key, Tab, Enter.
    tab_to(page, "#org-switch")  # the page has just loaded: Tab starts from the top
    assert_focus_visible(page)
    options = switcher.locator("option").all_inner_texts()
    current = next(i for i, text in enumerate(options) if text.startswith(other_org))
    target = next(i for i, text in enumerate(options) if text.startswith(start_org))
    page.evaluate("window.sameDocument = true")
    page.keyboard.press("ArrowDown" if target > current else "ArrowUp")
    expect(switcher.locator("option:checked")).to_contain_text(start_org)
    # WCAG 3.2.2 (On Input): choosing an option must not switch until Switch is pressed.
    page.wait_for_timeout(200)
    assert page.evaluate("window.sameDocument === true"), "Choosing an option submitted the form"
    page.keyboard.press("Tab")
    assert focused(page)["text"].strip() == "Switch"
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(main).to_contain_text(f"You are now working as {choices[start_org]} at {start_org}.")
    expect(main).to_contain_text(f"You are working as {choices[start_org]} at {start_org}.")
    assert_accessible(page)


def test_org_admin_manages_staff_invites_a_colleague_and_reads_the_audit_trail(
    live_server, page, open_page
):
    world = make_world()
    with_password(world, "rco_a_admin")
    sign_in(page, live_server.url, world, "rco_a_admin")
    nav = page.get_by_role("navigation", name="Main")

    follow(page, "Staff", within=nav)
    expect(heading(page)).to_have_text("Staff of Riverbend Recovery Community")
    expect(nav.get_by_role("link", name="Staff")).to_have_attribute("aria-current", "page")
    table = page.get_by_role("table")
    for persona in ("rco_a_peer", "rco_a_supervisor", "rco_a_admin"):
        expect(table).to_contain_text(world.users[persona].display_name)
    expect(table).not_to_contain_text(world.users["rco_b_peer"].display_name)
    assert_accessible(page)

    follow(page, "Rco A Peer")
    expect(heading(page)).to_have_text("Rco A Peer")
    expect(page.locator("dl.facts")).to_contain_text("Peer recovery specialist")
    expect(page.get_by_role("button", name="Deactivate and sign out")).to_be_visible()
    assert_accessible(page)

    follow(page, "← Staff")
    follow(page, "Invite a colleague")
    expect(heading(page)).to_have_text("Invite a colleague")
    assert_accessible(page)

    submit(page, "Send invitation")
    expect(heading(page)).to_have_text("Invite a colleague")
    expect(page).to_have_title(re.compile(r"^Error: Invite a colleague"))
    for label in ("First name", "Last name", "E-mail"):
        assert_error_is_tied_to(page, label, "This field is required.")
    # The summary is announced (role=alert) and takes focus; its links lead to the fields.
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("First name: This field is required.")
    assert_accessible(page)
    summary.get_by_role("link", name=re.compile(r"^E-mail")).click()
    expect(field(page, "E-mail")).to_be_focused()

    field(page, "First name").fill("Nova")
    field(page, "Last name").fill("Colleague")
    field(page, "E-mail").fill("nova.colleague@example.org")
    field(page, "Role").select_option(label="Peer recovery specialist")
    submit(page, "Send invitation")
    expect(heading(page)).to_have_text("Staff of Riverbend Recovery Community")
    expect(page.get_by_role("status")).to_contain_text(
        "Invitation sent to nova.colleague@example.org."
    )
    expect(page.get_by_role("table")).to_contain_text("Nova Colleague")
    assert_accessible(page)

    follow(page, "Home", within=nav)
    follow(page, "Audit trail")
    expect(heading(page)).to_have_text("Audit trail of Riverbend Recovery Community")
    assert_accessible(page)

    field(page, "Action").select_option(label="Signed in")
    submit(page, "Filter")
    expect(page).to_have_url(re.compile(r"[?&]action=login(&|$)"))
    rows = page.locator("table tbody tr")
    expect(rows.first).to_contain_text("Signed in")
    for did in rows.locator("td:nth-child(3)").all_inner_texts():
        assert did == "Signed in"
    expect(rows.first).to_contain_text("rco_a_admin")
    assert_accessible(page)

    press_and_wait(page, rows.first.get_by_role("link"))
    expect(heading(page)).to_have_text("Audit event")
    expect(page.locator("dl.facts")).to_contain_text("Signed in")
    assert_accessible(page)

    follow(page, "Your account", within=nav)
    expect(heading(page)).to_have_text("Your account")
    expect(field(page, "E-mail")).to_have_value("rco_a_admin@example.org")
    assert_accessible(page)

    follow(page, "Change password")
    expect(heading(page)).to_have_text("Change your password")
    assert_accessible(page)

    # The colleague opens the e-mailed link in their own browser and chooses a password.
    invitation = str(mail.outbox[-1].body)
    link = re.search(r"https?://\S+/invite/\S+/\S+/", invitation)
    assert link is not None, invitation
    invitee = open_page()
    invitee.goto(link.group(0))
    expect(heading(invitee)).to_have_text("Welcome, Nova Colleague")
    assert_accessible(invitee)
    field(invitee, "New password").fill("a long and private phrase 9")
    field(invitee, "New password confirmation").fill("a long and private phrase 9")
    submit(invitee, "Set my password")
    expect(heading(invitee)).to_have_text("Sign in")
    expect(invitee.get_by_role("status")).to_contain_text("Your password is set.")
    assert_accessible(invitee)


def test_staff_member_without_a_second_factor_sets_one_up_from_the_key_shown_and_reaches_home(
    live_server, page
):
    world = make_world()
    with_password(world, "rco_b_peer")
    world.devices.pop("rco_b_peer").delete()

    page.goto(f"{live_server.url}/login/")
    assert_accessible(page)
    fill_password_form(page, "rco_b_peer", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/account/two-factor/")
    expect(heading(page)).to_have_text("Set up your second factor")
    qr = page.locator("img.qr")
    expect(qr).to_have_attribute("alt", re.compile(r"QR code"))
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", qr.element_handle())
    key_text = page.locator(".key").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})*", key_text), key_text
    assert_accessible(page)

    key = base64.b32decode(key_text.replace(" ", ""))
    code = f"{totp(key, step=30, t0=0, digits=6):06d}"
    page.get_by_label("6-digit code from your authenticator app").fill(code)
    submit(page, "Confirm")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(heading(page)).to_have_text("Welcome, Rco B Peer")
    expect(page.get_by_role("status")).to_contain_text("Your second factor is set up.")
    assert_accessible(page)


def test_login_home_and_staff_pages_fit_a_360px_phone_with_usable_header_controls(
    live_server, phone_page
):
    page = phone_page
    world = make_world()
    with_password(world, "rco_a_admin")
    membership_create(
        user=world.users["rco_a_admin"],
        organization=world.orgs["council_host"],
        role=Role.COUNCIL_COORDINATOR,
    )

    page.goto(f"{live_server.url}/login/")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    fill_password_form(page, "rco_a_admin", PASSWORD)
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_label("6-digit code from your authenticator app").fill(
        current_code(world.devices["rco_a_admin"])
    )
    submit(page, "Continue")
    expect(heading(page)).to_have_text("Welcome, Rco A Admin")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    header = page.locator("header")
    controls = [
        *(header.get_by_role("link", name=n, exact=True) for n in ("Home", "Staff")),
        header.get_by_role("link", name="Your account", exact=True),
        header.get_by_label("Working as"),
        header.get_by_role("button", name="Switch", exact=True),
        header.get_by_role("button", name="Sign out", exact=True),
    ]
    for control in controls:
        assert_usable_on_phone(control)

    follow(page, "Staff", within=page.get_by_role("navigation", name="Main"))
    expect(heading(page)).to_contain_text("Staff of")
    assert_no_horizontal_scroll(page)
    for control in controls:
        assert_usable_on_phone(control)
    assert_accessible(page)


def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main_and_focus_stays_visible(
    live_server, page
):
    world = make_world()
    with_password(world, "network_admin")
    sign_in(page, live_server.url, world, "network_admin")
    page.goto(f"{live_server.url}/")
    assert_accessible(page)

    page.keyboard.press("Tab")
    skip = assert_focus_visible(page)
    assert skip["tag"] == "a" and skip["text"].strip() == "Skip to main content", skip

    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/#main")
    assert page.evaluate("document.activeElement === document.querySelector('main')")

    # From <main> on, every stop of the Tab order shows where the focus is.
    in_main = []
    for _ in range(30):
        page.keyboard.press("Tab")
        if not page.evaluate("document.querySelector('main').contains(document.activeElement)"):
            break
        in_main.append(assert_focus_visible(page)["text"].strip())
    # The home's cards, each a link, in the order they are shown; the account card comes last.
    assert "Staff" in in_main and "Council rosters and meetings" in in_main, in_main
    assert in_main[-1] == "Your account", in_main

    # So does every stop in the header, whose green would swallow an orange ring.
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    in_header = []
    for _ in range(20):
        page.keyboard.press("Tab")
        if not page.evaluate("document.querySelector('header').contains(document.activeElement)"):
            break
        in_header.append(assert_focus_visible(page)["text"].strip())
    assert in_header == [
        "ROSC Hub",
        "Home",
        "Staff",
        "Training",
        "Your account",
        "Find support",
        "Events",
        "Councils",
        "Meetings",
        "Sign out",
    ], in_header


def test_locked_out_page_and_password_reset_pages_render_accessibly(live_server, page):
    world = make_world()
    user = with_password(world, "rco_a_supervisor")

    page.goto(f"{live_server.url}/login/")
    assert_accessible(page)
    for attempt in range(1, 6):
        fill_password_form(page, "rco_a_supervisor", f"wrong password {attempt}")
        if attempt < 5:
            expect(heading(page)).to_have_text("Sign in")
            expect(page.get_by_role("alert")).to_be_visible()
    expect(heading(page)).to_have_text("This account is locked for now")
    assert_accessible(page)

    page.goto(f"{live_server.url}/login/")
    fill_password_form(page, "rco_a_supervisor", PASSWORD)
    expect(heading(page)).to_have_text("This account is locked for now")
    assert_accessible(page)

    follow(page, "reset your password")
    expect(heading(page)).to_have_text("Reset your password")
    assert_accessible(page)
    field(page, "Email").fill(user.email)
    submit(page, "Send the link")
    expect(heading(page)).to_have_text("Check your e-mail")
    assert_accessible(page)

    assert len(mail.outbox) == 1
    body = str(mail.outbox[0].body)
    link = re.search(r"https?://\S+/password-reset/\S+/\S+/", body)
    assert link is not None, body
    path = re.sub(r"^https?://[^/]+", "", link.group(0))
    page.goto(f"{live_server.url}{path}")
    expect(heading(page)).to_have_text("Choose a new password")
    assert_accessible(page)

    submit(page, "Save password")
    assert_error_is_tied_to(page, "New password", "This field is required.")
    assert_accessible(page)

    new_password = "a brand new passphrase 7"
    field(page, "New password").fill(new_password)
    field(page, "New password confirmation").fill(new_password)
    submit(page, "Save password")
    expect(heading(page)).to_have_text("Your password is saved")
    assert_accessible(page)

    page.goto(f"{live_server.url}{path}")
    expect(heading(page)).to_have_text("This link no longer works")
    assert_accessible(page)


def test_the_console_watch_catches_a_content_security_policy_refusal(live_server, page):
    """The CSP check is live: an inline script is refused, and the watch hears about it."""
    page.goto(f"{live_server.url}/login/")
    assert_accessible(page)  # axe itself runs under the page's strict CSP
    page.evaluate(
        """() => {
            const s = document.createElement('script');
            s.textContent = 'window.inlineRan = true';
            document.body.append(s);
        }"""
    )
    expect(page.locator("body")).to_be_visible()
    watch = page_watch(page)
    deadline = time.monotonic() + 5
    while not watch.csp and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert page.evaluate("window.inlineRan === undefined")
    assert any("script-src" in message for message in watch.csp), watch.csp
    watch.clear()


@pytest.mark.browser
def test_a_record_of_another_organization_shows_the_same_accessible_not_found_page(
    live_server, page
):
    world = make_world()
    with_password(world, "council_coordinator")
    other = world.memberships["rco_b_admin"]
    sign_in(page, live_server.url, world, "council_coordinator")

    page.goto(f"{live_server.url}/orgs/{other.organization.public_id}/staff/{other.public_id}/")
    expect(heading(page)).to_have_text("We could not find that page")
    assert_accessible(page)
