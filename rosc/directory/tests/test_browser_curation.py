"""A data steward fixes a listing's phone number and uploads an HSDS datapackage, in Chromium.

Every page visited is checked with axe-core, on a desktop and on a 360-px phone.
"""

from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

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
from rosc.directory.models import Location, Phone, Service, ServiceAtLocation
from rosc.directory.tests.test_duplicates_and_uploads import IMMEDIATE, broken_datapackage
from rosc.people.tests.test_browser_people import assert_fits_the_screen

pytestmark = pytest.mark.browser


def a_listing(world) -> Service:
    org = world.orgs["rco_b"]
    service = Service.objects.create(
        organization=org, name="Peer recovery coaching", status="active"
    )
    location = Location.objects.create(
        organization=org,
        name="Main office",
        location_type="physical",
        latitude=39.8,
        longitude=-89.6,
    )
    ServiceAtLocation.objects.create(service=service, location=location)
    Phone.objects.create(service=service, number="217-555-0142", type="voice")
    return service


def fix_a_phone_number(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/directory/manage/")
    expect(heading(page)).to_have_text("Directory listings")
    assert_accessible(page)
    field(page, "Find an organization").fill("Prairie")
    submit(page, "Search")
    follow(page, "Prairie Path Recovery Alliance")
    expect(heading(page)).to_have_text("Listing of Prairie Path Recovery Alliance")
    assert_accessible(page)
    assert_fits_the_screen(page)
    follow(page, "Peer recovery coaching")
    expect(heading(page)).to_have_text("Peer recovery coaching")
    assert_accessible(page)
    assert_fits_the_screen(page)

    number = page.locator("#id_phones-0-number")
    number.fill("555-01")
    submit(page, "Save the service")
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(number).to_have_attribute("aria-invalid", "true")
    described_by = number.get_attribute("aria-describedby") or ""
    errors = " ".join(page.locator(f"#{i}").inner_text() for i in described_by.split())
    assert "Enter a 10-digit number with its area code" in errors
    assert_accessible(page)
    assert_fits_the_screen(page)

    page.locator("#id_phones-0-number").fill("217-555-0199")
    submit(page, "Save the service")
    expect(page.get_by_role("status")).to_contain_text("Peer recovery coaching is saved.")
    follow(page, "See the public listing")
    expect(heading(page)).to_have_text("Prairie Path Recovery Alliance")
    expect(page.locator("main")).to_contain_text("217-555-0199")
    expect(page.locator("main")).not_to_contain_text("217-555-0142")
    assert_accessible(page)


def upload_a_datapackage(page: Page, base_url: str, archive: Path) -> None:
    page.goto(f"{base_url}/directory/manage/uploads/")
    expect(heading(page)).to_have_text("Upload an HSDS file")
    assert_accessible(page)
    assert_fits_the_screen(page)
    page.get_by_label("HSDS file").set_input_files(archive)
    submit(page, "Upload and import")
    expect(heading(page)).to_have_text("Import of package.zip")
    expect(page.locator("#import-status")).to_have_text("Finished", timeout=15000)
    table = page.get_by_role("region", name="Rows left out")
    expect(table).to_contain_text("services.csv")
    expect(table).to_contain_text("status")
    assert_accessible(page)
    assert_fits_the_screen(page)


@override_settings(TASKS=IMMEDIATE)
def test_the_steward_fixes_a_phone_number_and_uploads_a_datapackage(live_server, page, tmp_path):
    world = make_world()
    with_password(world, "data_steward")
    a_listing(world)
    archive = tmp_path / "package.zip"
    archive.write_bytes(broken_datapackage(tmp_path))
    with override_settings(VAR_DIR=tmp_path / "var"):
        sign_in(page, live_server.url, world, "data_steward")
        fix_a_phone_number(page, live_server.url)
        upload_a_datapackage(page, live_server.url, archive)


@override_settings(TASKS=IMMEDIATE)
def test_the_same_on_a_360_px_phone(live_server, phone_page, tmp_path):
    world = make_world()
    with_password(world, "data_steward")
    a_listing(world)
    archive = tmp_path / "package.zip"
    archive.write_bytes(broken_datapackage(tmp_path))
    with override_settings(VAR_DIR=tmp_path / "var"):
        sign_in(phone_page, live_server.url, world, "data_steward")
        fix_a_phone_number(phone_page, live_server.url)
        upload_a_datapackage(phone_page, live_server.url, archive)
