"""A peer records a BARC-10 on a 360-px phone, by keyboard and by taps, and sees the chart.

Every page visited is checked with axe-core (assert_accessible).
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import make_world
from rosc.accounts.actor import actor_for_user
from rosc.accounts.tests.test_browser_accounts import (
    field,
    follow,
    heading,
    sign_in,
    submit,
    tab_to,
    with_password,
)
from rosc.assessments.models import Assessment, Occasion
from rosc.assessments.selectors import shipped_barc10
from rosc.assessments.services import assessment_record
from rosc.conftest import assert_accessible
from rosc.people.services import participant_enrol

pytestmark = pytest.mark.browser

ITEM_1 = "1. There are more important things to me in life than using substances."


def assert_fits_the_screen(page: Page) -> None:
    viewport = page.viewport_size
    assert viewport is not None
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url}: {width}px wide"


def statement(page: Page, number: int):
    return page.locator("fieldset.likert").nth(number - 1)


def test_a_peer_records_a_barc10_on_a_phone_and_sees_the_trend(live_server, phone_page):
    page = phone_page
    world = make_world()
    with_password(world, "rco_a_peer")
    actor = actor_for_user(world.users["rco_a_peer"], world.orgs["rco_a"])
    today = timezone.localdate()
    person = participant_enrol(
        actor=actor,
        legal_first_name="Maria",
        legal_last_name="Garcia",
        enrolled_on=today - timedelta(days=200),
    )
    for days_ago, value, occasion in ((200, 3, Occasion.INTAKE), (100, 4, Occasion.ROUTINE)):
        assessment_record(
            actor=actor,
            participant=person,
            instrument=shipped_barc10(),
            taken_on=today - timedelta(days=days_ago),
            occasion=occasion,
            answers={str(i): value for i in range(1, 11)},
        )
    sign_in(page, live_server.url, world, "rco_a_peer")

    page.goto(f"{live_server.url}/participants/{person.public_id}/check-ins/")
    expect(heading(page)).to_have_text("BARC-10 check-ins: Maria Garcia")
    assert_accessible(page)
    follow(page, "New check-in")
    expect(heading(page)).to_have_text("BARC-10 check-in: Maria Garcia")
    expect(page.get_by_role("group", name=ITEM_1)).to_be_visible()
    expect(page.get_by_label("Routine check-in")).to_be_checked()
    expect(field(page, "Date of the check-in")).to_have_value(today.isoformat())
    assert_accessible(page)
    assert_fits_the_screen(page)

    # Statements 1-5 by keyboard: Tab into each group, Space picks 1, arrows move up the scale.
    field(page, "Date of the check-in").focus()
    tab_to(page, "#id_item_1_0")
    for value in (4, 5, 3, 5, 4):
        page.keyboard.press("Space")
        for _ in range(value - 1):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Tab")
    # Statements 6-9 by taps on the big answer buttons; 10 is forgotten.
    for number, label in ((6, "5 · Agree"), (7, "4 · Somewhat agree"), (8, "6 · Strongly agree"),
                          (9, "5 · Agree")):  # fmt: skip
        option = statement(page, number).locator("label.likert-option", has_text=label)
        box = option.bounding_box()
        assert box is not None and box["height"] >= 44 and box["x"] + box["width"] <= 360
        option.tap()
    submit(page, "Save check-in")

    expect(page.get_by_role("alert")).to_contain_text("Choose an answer for statement 10.")
    expect(page.get_by_role("alert")).to_be_focused()
    tenth = statement(page, 10)
    described = tenth.get_attribute("aria-describedby") or ""
    assert "Choose an answer for statement 10." in page.locator(f"#{described}").inner_text()
    expect(statement(page, 1).get_by_label("4 · Somewhat agree")).to_be_checked()
    assert not Assessment.objects.filter(taken_on=today).exists()
    assert_accessible(page)

    tenth.locator("label.likert-option", has_text="5 · Agree").tap()
    submit(page, "Save check-in")

    expect(page.get_by_role("status")).to_contain_text("Check-in recorded: BARC-10 total 46")
    chart = page.get_by_role("img", name="BARC-10 total score over time")
    expect(chart).to_be_visible()
    expect(page.locator(".chart-cutoff-label")).to_have_text("Cut-off 47 (Vilsaint et al. 2017)")
    expect(page.get_by_role("table")).to_contain_text("46")
    chart_box = chart.bounding_box()
    assert chart_box is not None and chart_box["width"] <= 360
    assert_accessible(page)
    assert_fits_the_screen(page)
    assert Assessment.objects.get(taken_on=today).total == 46

    follow(page, f"{today:%b} {today.day}, {today.year}")
    expect(page.locator("main")).to_contain_text("46 (possible 10\u201360)")
    expect(page.locator("main")).to_contain_text("3 · Somewhat disagree")
    assert_accessible(page)
    assert_fits_the_screen(page)
