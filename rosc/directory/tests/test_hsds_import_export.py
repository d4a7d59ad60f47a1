"""HSDS 3.0 import and export: the official examples land, broken rows are named, round trips hold."""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from datetime import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rosc.accounts.models import Organization
from rosc.directory import models as m
from rosc.directory.exporters import export_datapackage
from rosc.directory.hsds import tables
from rosc.directory.importers import HSDSReadError, ImportReport
from rosc.directory.services import hsds_import

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = Path("/work/shared/standards/hsds/examples")
if not EXAMPLES.is_dir():  # pragma: no cover - the examples live beside the repository
    EXAMPLES = REPO.parent / "shared" / "standards" / "hsds" / "examples"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORG_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
JSON_EXAMPLES = [
    "service_full.json",
    "organization_full.json",
    "service_list.json",
    "organization_list.json",
    "service_at_location_full.json",
    "service_at_location_list.json",
    "location.json",
    "taxonomy.json",
    "taxonomy_list.json",
    "taxonomy_term.json",
    "taxonomy_term_list.json",
]

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {t.name: t.model._default_manager.count() for t in tables()}


def example_package(tmp_path: Path) -> Path:
    target = tmp_path / "package"
    shutil.copytree(EXAMPLES / "csv", target)
    return target


def append_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, encoding="utf-8") as f:
        header = next(csv.reader(f))
    with open(path, "a", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        for row in rows:
            writer.writerow(row)


def clear_directory() -> None:
    for t in reversed(tables()):
        t.model._default_manager.all().delete()


def test_the_official_datapackage_imports_without_errors_and_lands_as_the_right_rows(
    tmp_path: Path,
) -> None:
    report = hsds_import(path=EXAMPLES / "csv")

    assert report.errors == []
    service = m.Service.objects.get(public_id=SERVICE_ID)
    assert service.name == "Community Counselling"
    assert service.status == "active"
    assert service.minimum_age == 12
    assert str(service.organization_id) == ORG_ID
    organization = Organization.objects.get(public_id=ORG_ID)
    assert organization.name == "Example Organization Inc."
    assert organization.url == "http://example.com"  # HSDS `website`
    assert organization.year_incorporated == 2011
    assert organization.kind == Organization.Kind.OTHER and organization.slug
    schedule = m.Schedule.objects.get()
    assert (schedule.freq, schedule.byday, schedule.opens_at) == ("WEEKLY", "TH,FR", time(10))
    assert m.ServiceAtLocation.objects.get().location.name == "MyCity Civic Center"
    assert m.Attribute.objects.get().taxonomy_term.name == "name"


@pytest.mark.parametrize("name", JSON_EXAMPLES)
def test_each_official_json_example_imports_without_errors(name: str) -> None:
    report = hsds_import(path=EXAMPLES / name)

    assert report.errors == []
    assert report.total_imported >= 1


def test_a_full_service_in_json_lands_with_its_nested_records() -> None:
    hsds_import(path=EXAMPLES / "service_full.json")

    service = m.Service.objects.get(public_id=SERVICE_ID)
    assert str(service.organization_id) == ORG_ID
    assert service.program is not None
    assert service.program.name == "Community Mental Health Support"
    assert service.phones.count() == 1
    assert service.service_at_locations.get().location.addresses.count() == 1
    assert m.Attribute.objects.get().link_entity


def test_a_zipped_datapackage_imports_like_the_folder(tmp_path: Path) -> None:
    archive = tmp_path / "hsds.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in (EXAMPLES / "csv").iterdir():
            zf.write(f, f"export/{f.name}")

    report = hsds_import(path=archive)

    assert report.errors == []
    assert m.Service.objects.filter(public_id=SERVICE_ID).exists()


def test_export_then_import_into_an_empty_database_then_export_again_is_unchanged(
    tmp_path: Path,
) -> None:
    hsds_import(path=EXAMPLES / "csv")
    hsds_import(path=EXAMPLES / "service_full.json")
    first = tmp_path / "first"
    export_datapackage(first)
    clear_directory()
    Organization.objects.all().delete()

    report = hsds_import(path=first)
    second = tmp_path / "second"
    export_datapackage(second)

    assert report.problems == []
    for f in sorted(first.iterdir()):
        assert (second / f.name).read_text() == f.read_text(), f.name
    services = (first / "services.csv").read_text()
    assert "Community Counselling" in services


def test_a_datapackage_with_broken_rows_imports_the_good_ones_and_names_each_broken_one(
    tmp_path: Path,
) -> None:
    package = example_package(tmp_path)
    good = {"organization_id": ORG_ID, "status": "active"}
    append_rows(
        package / "services.csv",
        [
            {**good, "id": "10000000-0000-4000-8000-000000000001", "name": "Good one"},
            {**good, "id": "not-a-uuid", "name": "Bad id"},
            {**good, "id": "10000000-0000-4000-8000-000000000003"},
            {
                **good,
                "id": "10000000-0000-4000-8000-000000000004",
                "name": "Orphan",
                "organization_id": "20000000-0000-4000-8000-000000000000",
            },
            {**good, "id": "10000000-0000-4000-8000-000000000005", "name": "X", "status": "open"},
            {
                **good,
                "id": "10000000-0000-4000-8000-000000000006",
                "name": "Y",
                "email": "nobody-at-example.org",
            },
            {**good, "id": "10000000-0000-4000-8000-000000000007", "name": "Good two"},
        ],
    )

    report = hsds_import(path=package)

    named = {(p.file, p.row, p.field) for p in report.errors}
    assert named == {
        ("services.csv", "4", "id"),
        ("services.csv", "5", "name"),
        ("services.csv", "6", "organization_id"),
        ("services.csv", "7", "status"),
        ("services.csv", "8", "email"),
    }
    names = set(m.Service.objects.values_list("name", flat=True))
    assert names == {"Community Counselling", "Good one", "Good two"}
    assert report.imported["service"] == 3


def test_re_import_is_idempotent_and_updates_values(tmp_path: Path) -> None:
    package = example_package(tmp_path)
    hsds_import(path=package)
    before = counts()
    services = package / "services.csv"
    services.write_text(services.read_text().replace("Community Counselling", "Peer Counselling"))

    hsds_import(path=package)

    assert counts() == before
    assert m.Service.objects.get(public_id=SERVICE_ID).name == "Peer Counselling"


def test_ids_in_capitals_are_the_same_records_and_malformed_ones_are_named(
    tmp_path: Path,
) -> None:
    # Ids are read as UUIDs, whatever the case: a re-import in lower case updates the rows an
    # import in capitals made. Anything but the dashed form is named, as the schema says.
    package = example_package(tmp_path)
    upper = "10000000-0000-4000-8000-00000000ABCD"
    good = {"organization_id": ORG_ID.upper(), "status": "active"}
    append_rows(
        package / "services.csv",
        [
            {**good, "id": upper, "name": "Capitals"},
            {**good, "id": "10000000000040008000000000000ABC", "name": "No dashes"},
            {**good, "id": "{10000000-0000-4000-8000-000000000ABC}", "name": "Braces"},
        ],
    )
    report = hsds_import(path=package)
    assert {(p.row, p.field) for p in report.errors} == {("4", "id"), ("5", "id")}
    service = m.Service.objects.get(public_id=upper.lower())
    assert service.name == "Capitals"
    assert str(service.organization.public_id) == ORG_ID

    services = package / "services.csv"
    services.write_text(
        services.read_text().replace(upper, upper.lower()).replace("Capitals", "Lower")
    )
    before = counts()
    hsds_import(path=package)
    assert counts() == before
    assert m.Service.objects.get(public_id=upper.lower()).name == "Lower"


def test_an_organization_of_the_network_is_the_same_row_as_its_hsds_record(
    tmp_path: Path,
) -> None:
    from rosc.accounts.services import organization_create

    org = organization_create(name="Riverbend Recovery", kind=Organization.Kind.RCO)
    package = tmp_path / "p"
    package.mkdir()
    (package / "organizations.csv").write_text(
        f"id,name,description,website\n{org.public_id},Riverbend Recovery Community,"
        "Peer-led RCO,https://riverbend.example\n"
    )

    hsds_import(path=package)

    org.refresh_from_db()
    assert Organization.objects.count() == 1
    assert (org.name, org.url, org.kind) == (
        "Riverbend Recovery Community",
        "https://riverbend.example",
        Organization.Kind.RCO,
    )


def test_the_command_reports_each_bad_row_on_stderr_and_a_summary(tmp_path: Path) -> None:
    package = example_package(tmp_path)
    append_rows(
        package / "services.csv",
        [{"id": "bad", "name": "x", "organization_id": ORG_ID, "status": "active"}],
    )
    err = io.StringIO()

    call_command("import_hsds", str(package), stderr=err)

    lines = err.getvalue().strip().splitlines()
    assert "services.csv:3: id: 'bad' is not a 'uuid'" in lines
    assert lines[-1].startswith("Imported ") and "1 rows refused" in lines[-1]


def test_the_command_fails_when_nothing_could_be_imported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"id": "nope", "status": "active"}))

    with pytest.raises(CommandError, match="Imported 0 rows"):
        call_command("import_hsds", str(bad), stderr=io.StringIO())


def test_rosc_import_hsds_of_a_missing_path_exits_non_zero_with_one_line() -> None:
    env = {**os.environ, "DATABASE_URL": "sqlite://:memory:"}
    result = subprocess.run(
        [sys.executable, "-m", "rosc.cli", "import-hsds", "/nonexistent"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "CommandError: /nonexistent: no such file or folder"
    ]


def test_export_writes_the_official_descriptor_and_a_csv_per_table(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("export_hsds", str(tmp_path / "out"), stdout=out)

    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text())
    assert descriptor["name"] == "human_services_data"
    for t in tables():
        header = (tmp_path / "out" / t.path).read_text().splitlines()[0]
        assert header.split(",") == t.column_names
    assert "Wrote" in out.getvalue()


CELL = st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["", "active", ORG_ID, SERVICE_ID, "2024-02-30", "25:00", "1e400", "nan", '"', "\r\n"]
)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8) | CELL,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "name", "status", "phones", "organization", "contents", "x"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    header=st.lists(st.sampled_from(["id", "name", "organization_id", "status", "x", ""])),
    body=st.lists(st.lists(CELL, max_size=6), max_size=5),
    raw=st.binary(max_size=40),
)
def test_garbage_csv_never_raises_anything_but_reported_errors(
    tmp_path_factory: pytest.TempPathFactory,
    header: list[str],
    body: list[list[str]],
    raw: bytes,
) -> None:
    package = tmp_path_factory.mktemp("garbage")
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *body])
    (package / "services.csv").write_text(buffer.getvalue())
    (package / "organizations.csv").write_bytes(raw)
    try:
        report = hsds_import(path=package)
    except HSDSReadError:
        return
    assert isinstance(report, ImportReport)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(document=JSON_VALUE)
def test_garbage_json_never_raises_anything_but_reported_errors(
    tmp_path_factory: pytest.TempPathFactory, document: object
) -> None:
    path = tmp_path_factory.mktemp("garbage") / "data.json"
    path.write_text(json.dumps(document))
    try:
        report = hsds_import(path=path)
    except HSDSReadError:
        return
    assert isinstance(report, ImportReport)


def test_a_batch_the_database_refuses_is_retried_row_by_row_and_only_the_bad_row_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import DatabaseError

    from rosc.directory import importers

    package = example_package(tmp_path)
    good = {"organization_id": ORG_ID, "status": "active"}
    append_rows(
        package / "services.csv",
        [
            {**good, "id": "10000000-0000-4000-8000-000000000001", "name": "Fine"},
            {**good, "id": "10000000-0000-4000-8000-000000000002", "name": "Bad apple"},
        ],
    )
    execute = importers._Upsert.execute

    def refuse_bad_apples(self: importers._Upsert, params: list[tuple[object, ...]]) -> None:
        if any("Bad apple" in row for row in params):
            raise DatabaseError("refused by the test")
        execute(self, params)

    monkeypatch.setattr(importers._Upsert, "execute", refuse_bad_apples)

    report = hsds_import(path=package)

    assert [(p.file, p.row, p.field) for p in report.errors] == [("services.csv", "4", "(row)")]
    assert set(m.Service.objects.values_list("name", flat=True)) == {
        "Community Counselling",
        "Fine",
    }
