"""Duplicates, merges, HSDS uploads and the recovery extensions as HSDS attributes."""

import csv
import shutil
import time as clock
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from rosc.accounts.models import Organization
from rosc.accounts.services import organization_create
from rosc.core.models import AuditEvent
from rosc.directory import services
from rosc.directory.duplicates import Candidate, likely_duplicates, name_key
from rosc.directory.exporters import export_datapackage
from rosc.directory.hsds import table
from rosc.directory.models import Attribute, DirectoryImport, Location, Service
from rosc.directory.taxonomy import extension_term_id

EXAMPLES = Path("/work/shared/standards/hsds/examples")
if not EXAMPLES.is_dir():  # pragma: no cover
    EXAMPLES = Path(__file__).resolve().parents[4] / "shared" / "standards" / "hsds" / "examples"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def place(org, lat, lng):
    return Location.objects.create(
        organization=org, location_type="physical", latitude=lat, longitude=lng
    )


def test_names_are_compared_without_case_punctuation_or_filler_words():
    assert name_key("The Oak Street Recovery Center, Inc.") == "oak street recovery center"
    assert name_key("Café & Friends") == name_key("Cafe and Friends") == "cafe friends"


def test_alike_names_a_few_hundred_feet_apart_are_likely_duplicates_far_ones_are_not():
    places = [
        Candidate(1, "Oak Street Recovery Center", 39.8000, -89.6400),
        Candidate(2, "Oak St. Recovery Center Inc", 39.8010, -89.6405),  # ~0.07 mi
        Candidate(3, "Oak Street Recovery Center", 39.9000, -89.6400),  # ~7 mi away
        Candidate(4, "Lakeside Treatment Partners", 39.8001, -89.6401),  # near, other name
        Candidate(5, "Oak Street Recovery Centre", 39.80995, -89.6400),  # across a cell edge
        Candidate(6, "Oak Street Recovery Center", 39.8101, -89.6400),
    ]
    pairs = {(p.first, p.second) for p in likely_duplicates(places)}
    assert pairs == {(1, 2), (5, 6)}


def test_finding_duplicates_among_thirty_thousand_places_is_fast():
    places = [
        Candidate(
            i, f"Organization {i} of the network", 37 + (i % 300) * 0.02, -90 + i // 300 * 0.02
        )
        for i in range(30000)
    ]
    places.append(Candidate(30001, "Organization 5 of the network", 37 + 5 * 0.02, -90.0001))
    started = clock.perf_counter()
    pairs = likely_duplicates(places)
    assert clock.perf_counter() - started < 5
    assert [(p.first, p.second) for p in pairs] == [(5, 30001)]


def test_the_steward_sees_duplicates_and_merges_one_into_the_other(world, as_persona):
    keep = organization_create(name="Oak Street Recovery Center", kind=Organization.Kind.RCO)
    dup = organization_create(name="Oak St Recovery Center", kind=Organization.Kind.OTHER)
    dup.peer_led = True
    dup.email = "oak@example.org"
    dup.save()
    place(keep, 39.8, -89.64)
    moved_place = place(dup, 39.8005, -89.6401)
    service = Service.objects.create(organization=dup, name="Coaching", status="active")
    client = as_persona("data_steward")

    page = client.get("/directory/manage/duplicates/").content.decode()
    assert "Oak Street Recovery Center and Oak St Recovery Center" in page or (
        "Oak St Recovery Center and Oak Street Recovery Center" in page
    )
    url = f"/directory/manage/{dup.public_id}/merge/"
    assert client.get(url, {"into": keep.public_id}).status_code == 200
    response = client.post(url, {"into": keep.public_id})

    assert response.status_code == 302
    assert not Organization.objects.filter(pk=dup.pk).exists()
    service.refresh_from_db()
    moved_place.refresh_from_db()
    assert service.organization_id == keep.public_id
    assert moved_place.organization_id == keep.public_id
    keep.refresh_from_db()
    assert keep.peer_led and keep.email == "oak@example.org"
    event = AuditEvent.objects.get(record_id=str(keep.public_id), action="update")
    assert event.detail["merged"]["name"] == "Oak St Recovery Center"
    assert event.detail["moved"] == {"services": 1, "locations": 1}
    assert AuditEvent.objects.filter(record_id=str(dup.public_id), action="deactivate").exists()


def test_an_organization_with_staff_is_not_merged_away(world, as_persona):
    rco = world.orgs["rco_a"]
    other = organization_create(name="Riverbend Recovery Community Inc", kind="rco")
    client = as_persona("data_steward")

    response = client.post(
        f"/directory/manage/{rco.public_id}/merge/", {"into": other.public_id}, follow=True
    )

    assert Organization.objects.filter(pk=rco.pk).exists()
    assert "cannot be merged away: it has memberships" in response.content.decode()


def test_an_organization_admin_cannot_see_duplicates_or_merge(world, as_persona):
    client = as_persona("rco_a_admin")
    other = world.orgs["rco_b"]
    assert client.get("/directory/manage/duplicates/").status_code == 404
    response = client.post(
        f"/directory/manage/{other.public_id}/merge/", {"into": world.orgs["rco_a"].public_id}
    )
    assert response.status_code == 404
    assert Organization.objects.filter(pk=other.pk).exists()
    assert AuditEvent.objects.filter(username="rco_a_admin", outcome="denied").count() == 2


# --- uploads -------------------------------------------------------------------------------------


def broken_datapackage(tmp_path: Path) -> bytes:
    folder = tmp_path / "package"
    shutil.copytree(EXAMPLES / "csv", folder)
    with open(folder / "services.csv", encoding="utf-8") as f:
        header = next(csv.reader(f))
    with open(folder / "services.csv", "a", encoding="utf-8", newline="") as f:
        row = dict.fromkeys(header, "")
        row |= {
            "id": "10000000-0000-4000-8000-000000000005",
            "organization_id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c67e",
            "name": "Broken status",
            "status": "open",
        }
        csv.DictWriter(f, fieldnames=header).writerow(row)
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in folder.iterdir():
            zf.write(path, path.name)
    return archive.read_bytes()


@override_settings(TASKS=IMMEDIATE)
def test_uploading_a_datapackage_queues_an_import_that_reports_the_broken_row(
    world, as_persona, tmp_path
):
    client = as_persona("data_steward")
    upload = SimpleUploadedFile("example.zip", broken_datapackage(tmp_path), "application/zip")
    with override_settings(VAR_DIR=tmp_path / "var"):
        response = client.post("/directory/manage/uploads/", {"file": upload})

        job = DirectoryImport.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/directory/manage/uploads/{job.public_id}/"
        assert (tmp_path / "var" / job.stored_path).is_file()
        assert job.status == DirectoryImport.Status.DONE
        assert job.uploaded_by_name == "data_steward"
        assert job.counts["service"] >= 1
        assert job.rows_total and job.rows_total > job.counts["service"]
        assert [(p["file"], p["row"], p["field"]) for p in job.errors] == [
            ("services.csv", "3", "status")
        ]
        page = client.get(response["Location"]).content.decode()
    assert "Finished" in page and "services.csv" in page and "http-equiv" not in page
    assert AuditEvent.objects.filter(record_type="directory.hsds_import", username="data_steward")


@override_settings(TASKS=IMMEDIATE)
def test_an_upload_that_is_not_hsds_fails_with_a_reason(world, as_persona, tmp_path):
    client = as_persona("data_steward")
    with override_settings(VAR_DIR=tmp_path):
        client.post(
            "/directory/manage/uploads/",
            {"file": SimpleUploadedFile("notes.json", b"not json", "application/json")},
        )
        job = DirectoryImport.objects.get()
        assert job.status == DirectoryImport.Status.FAILED
        assert "neither an HSDS datapackage nor HSDS JSON" in job.error
        assert str(tmp_path) not in job.error


def test_a_queued_import_page_refreshes_itself(world, as_persona):
    job = DirectoryImport.objects.create(file_name="x.zip", stored_path="uploads/hsds/x.zip")
    page = as_persona("data_steward").get(f"/directory/manage/uploads/{job.public_id}/")
    assert '<meta http-equiv="refresh" content="2">' in page.content.decode()


def test_only_the_steward_uploads(world, as_persona):
    assert as_persona("rco_a_admin").get("/directory/manage/uploads/").status_code == 404
    assert as_persona("data_steward").get("/directory/manage/uploads/").status_code == 200


# --- recovery extensions as attributes -------------------------------------------------------


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.django_db
def test_recovery_extensions_round_trip_as_valid_hsds_attributes(tmp_path):
    org = organization_create(name="Harbor Recovery Cafe", kind=Organization.Kind.RECOVERY_CAFE)
    org.description = "A drop-in recovery café."
    org.peer_led = True
    org.recovery_pathways = ["mutual_aid", "faith_based"]
    org.accepting_new_people = False
    org.capacity_note = "Wait list of about two weeks"
    org.last_verified_on = "2026-03-01"
    org.save()
    first = tmp_path / "first"
    export_datapackage(first)

    rows = [r for r in read_rows(first / "attributes.csv") if r["link_id"] == str(org.public_id)]
    facts = sorted((r["taxonomy_term_id"], r["value"]) for r in rows)
    assert facts == sorted(
        [
            (str(extension_term_id("kind")), "recovery_cafe"),
            (str(extension_term_id("peer_led")), "true"),
            (str(extension_term_id("recovery_pathway")), "mutual_aid"),
            (str(extension_term_id("recovery_pathway")), "faith_based"),
            (str(extension_term_id("accepting_new_people")), "false"),
            (str(extension_term_id("capacity_note")), "Wait list of about two weeks"),
            (str(extension_term_id("last_verified_on")), "2026-03-01"),
        ]
    )
    validator = table("attribute").validator
    for row in rows:
        assert not list(validator.iter_errors({k: v for k, v in row.items() if v})), row
        assert row["link_entity"] == "organization"
    terms = {r["id"] for r in read_rows(first / "taxonomy_terms.csv")}
    assert {r["taxonomy_term_id"] for r in rows} <= terms

    Organization.objects.filter(pk=org.pk).update(
        peer_led=False, recovery_pathways=[], capacity_note="", kind="other"
    )
    report = services.hsds_import(path=first)
    assert report.problems == []
    org.refresh_from_db()
    assert org.kind == "recovery_cafe" and org.peer_led
    assert org.recovery_pathways == ["mutual_aid", "faith_based"]
    assert org.accepting_new_people is False
    assert org.capacity_note == "Wait list of about two weeks"
    assert str(org.last_verified_on) == "2026-03-01"
    assert not Attribute.objects.filter(link_id=org.public_id).exists()  # not stored twice

    services.hsds_import(path=first)
    second = tmp_path / "second"
    export_datapackage(second)
    for f in sorted(first.iterdir()):
        assert (second / f.name).read_text() == f.read_text(), f.name


@pytest.mark.django_db
def test_a_bad_extension_value_is_reported_by_row_and_field(tmp_path):
    org = organization_create(name="Harbor", kind=Organization.Kind.RCO)
    Organization.objects.filter(pk=org.pk).update(description="A recovery community.")
    out = tmp_path / "out"
    export_datapackage(out)
    attributes = out / "attributes.csv"
    text = attributes.read_text().replace(
        ",organization,organization,rco", ",organization,organization,castle"
    )
    attributes.write_text(text)
    report = services.hsds_import(path=out)
    assert [(p.file, p.field) for p in report.errors] == [("attributes.csv", "value")]
    org.refresh_from_db()
    assert org.kind == "rco"
