"""`rosc demo` lists the demo's organizations in the directory, as valid HSDS."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from rosc.accounts.models import Organization, RecoveryPathway
from rosc.demo.directory import LISTINGS
from rosc.directory.exporters import export_datapackage
from rosc.directory.models import Attribute, Service, TaxonomyTerm
from rosc.directory.services import hsds_import

pytestmark = pytest.mark.django_db


def test_the_demo_lists_each_service_organization_with_where_when_and_what(
    tmp_path: Path,
) -> None:
    call_command("demo", stdout=io.StringIO())

    listed = Organization.objects.filter(kind__in=list(LISTINGS))
    assert listed.exists()
    for org in listed:
        service = Service.objects.get(organization=org)
        location = service.service_at_locations.get().location
        assert location.addresses.get().state_province == "IL"
        assert service.phones.get().number.startswith("217-555-01")
        assert service.schedules.get().opens_at is not None
        terms = TaxonomyTerm.objects.filter(
            attributes__in=Attribute.objects.filter(link_id=service.public_id)
        )
        assert terms.exists()
        assert set(org.recovery_pathways) <= set(RecoveryPathway.values)
        assert org.last_verified_on is not None
    assert Organization.objects.filter(peer_led=True, kind=Organization.Kind.RCO).exists()

    export_datapackage(tmp_path / "demo")
    report = hsds_import(path=tmp_path / "demo")
    assert report.problems == []


def test_resetting_the_demo_rebuilds_the_same_listings() -> None:
    call_command("demo", stdout=io.StringIO())
    before = sorted(Service.objects.values_list("public_id", "name"))

    call_command("demo", "--reset", stdout=io.StringIO())

    assert sorted(Service.objects.values_list("public_id", "name")) == before
