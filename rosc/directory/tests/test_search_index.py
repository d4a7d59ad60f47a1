"""The search index: full-text ranking, and the index staying true after every kind of write."""

import importlib
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rosc.accounts.models import Organization
from rosc.directory.models import (
    Address,
    Phone,
    Schedule,
    SearchRow,
    Service,
    ServiceAtLocation,
)
from rosc.directory.places import place_from_text
from rosc.directory.search_index import (
    box_cells,
    search_index_deferred,
    search_index_rebuild,
    search_index_refresh,
)
from rosc.directory.selectors import SearchFilters, service_search
from rosc.directory.services import hsds_import, taxonomy_load_recovery_support
from rosc.directory.taxonomy import term_id
from rosc.directory.tests.test_search import CONCORD, listing

EXAMPLES = Path("/work/shared/standards/hsds/examples")


def names(filters: SearchFilters) -> list[str]:
    return [h.service.name for h in service_search(filters, per_page=100).hits]


def index_state() -> set[tuple]:
    fields = [f.attname for f in SearchRow._meta.concrete_fields if f.attname != "id"]
    return {
        tuple(tuple(v) if isinstance(v, list) else v for v in row)
        for row in SearchRow.objects.values_list(*fields)
    }


@pytest.fixture
def coaches(db):
    taxonomy_load_recovery_support()
    by_name = listing("Peer Coaching Hub", at=CONCORD, terms=("recovery-coaching",))
    by_description = listing("Harbor House", at=(43.21, -71.53))
    by_description.description = "Drop in for coaching, meals and a warm welcome."
    by_description.save()
    other = listing("Merrimack Recovery Housing", at=(43.25, -71.55))
    return by_name, by_description, other


def test_a_service_named_for_the_words_ranks_above_one_that_only_describes_them(coaches):
    assert names(SearchFilters(text="coaching", sort="relevance")) == [
        "Peer Coaching Hub",
        "Harbor House",
    ]


def test_words_are_stemmed_so_coaches_finds_coaching(coaches):
    assert set(names(SearchFilters(text="coaches"))) == {"Peer Coaching Hub", "Harbor House"}


def test_every_word_must_match_somewhere_in_the_listing(coaches):
    assert names(SearchFilters(text="coaching warm")) == ["Harbor House"]
    assert names(SearchFilters(text="coaching hub")) == ["Peer Coaching Hub"]
    assert names(SearchFilters(text="coaching castle")) == []


def test_need_names_are_searchable_text(coaches):
    # "Recovery coaching" is the need the hub is tagged with; Housing's own text says housing.
    assert "Peer Coaching Hub" in names(SearchFilters(text="recovery coaching"))


def test_text_place_and_need_combine(coaches):
    near = place_from_text("03301")
    found = names(
        SearchFilters(place=near, radius_miles=5, term=term_id("recovery-coaching"), text="peer")
    )
    assert found == ["Peer Coaching Hub"]
    far = SearchFilters(place=place_from_text("60601"), radius_miles=100, text="coaching")
    assert names(far) == []


def test_a_wide_radius_still_finds_the_place_through_the_coarse_grid(coaches):
    assert len(box_cells((42.0, 44.5, -73.0, -70.0))) <= 40
    found = names(SearchFilters(place=place_from_text("03301"), radius_miles=100, text="hub"))
    assert found == ["Peer Coaching Hub"]


@pytest.mark.parametrize(
    "text",
    [
        '"',
        'coaching"',
        "NEAR(coaching hub)",
        "coaching OR",
        "AND",
        "NOT coaching",
        "name: coaching",
        "{name}: coaching",
        "tags : zf1172x713",
        "coach*",
        "^coaching",
        "(coaching",
        "-coaching",
        "'; DROP TABLE directory_searchrow; --",
        "%_%",
        "café & co | !x <-> y:*",
        "the of and",
    ],
)
def test_search_syntax_in_what_people_type_is_just_text(coaches, text):
    response = Client().get("/find/", {"q": text})
    assert response.status_code == 200
    response = Client().get("/find/", {"q": text, "near": "03301", "sort": "relevance"})
    assert response.status_code == 200


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text(max_size=80))
def test_any_text_at_all_gets_a_page_not_an_error(coaches, text):
    if "\x00" in text:
        text = text.replace("\x00", "")
    response = Client().get("/find/", {"q": text, "near": "03301", "need": ""})
    assert response.status_code == 200


def test_a_renamed_service_is_found_by_its_new_name_after_a_refresh(coaches):
    hub = coaches[0]
    Service.objects.filter(pk=hub.pk).update(name="Lighthouse Mentoring")  # no signals
    assert names(SearchFilters(text="lighthouse")) == []
    search_index_refresh(service_ids=[hub.pk])
    assert names(SearchFilters(text="lighthouse")) == ["Lighthouse Mentoring"]
    assert SearchRow.objects.get(service_id=hub.pk).name == "Lighthouse Mentoring"


def test_an_ordinary_save_keeps_the_index_true_without_a_refresh(coaches):
    hub = coaches[0]
    hub.name = "Lighthouse Mentoring"
    hub.save()
    assert names(SearchFilters(text="mentoring")) == ["Lighthouse Mentoring"]
    hub.organization.kind = Organization.Kind.RECOVERY_CAFE
    hub.organization.save()
    assert names(SearchFilters(kind=Organization.Kind.RECOVERY_CAFE)) == ["Lighthouse Mentoring"]


def test_a_deleted_service_is_gone_from_the_index(coaches):
    hub = coaches[0]
    Service.objects.filter(pk=hub.pk).delete()
    assert names(SearchFilters(text="coaching")) == ["Harbor House"]
    assert not SearchRow.objects.filter(service_id=hub.pk).exists()
    search_index_refresh(service_ids=[hub.pk])  # a refresh of a gone service is harmless
    assert names(SearchFilters(text="coaching")) == ["Harbor House"]


def test_inactive_services_and_organizations_are_not_listed(coaches):
    hub, house, _ = coaches
    hub.status = Service.Status.INACTIVE
    hub.save()
    house.organization.is_active = False
    house.organization.save()
    assert names(SearchFilters(text="coaching")) == []


def test_deferred_refreshes_run_once_at_the_end(coaches):
    hub = coaches[0]
    with search_index_deferred():
        hub.name = "Lighthouse Mentoring"
        hub.save()
        assert names(SearchFilters(text="mentoring")) == []
    assert names(SearchFilters(text="mentoring")) == ["Lighthouse Mentoring"]


def test_the_index_after_writes_equals_a_rebuild_from_scratch(coaches):
    hub, house, _ = coaches
    house.name = "Harbor House Recovery Cafe"
    house.save()
    hub.organization.recovery_pathways = ["mutual_aid"]
    hub.organization.save()
    kept = index_state()
    search_index_rebuild()
    assert index_state() == kept


@pytest.mark.django_db
def test_an_hsds_import_lands_in_the_index():
    hsds_import(path=EXAMPLES / "service_full.json")
    imported = index_state()
    assert imported, "the imported service at its location is searchable"
    search_index_rebuild()
    assert index_state() == imported
    service = Service.objects.get(pk=SearchRow.objects.values_list("service_id", flat=True)[0])
    word = next(w for w in service.name.split() if len(w) > 3)
    assert service.name in names(SearchFilters(text=word))


def test_a_page_of_results_takes_the_same_few_queries_however_many_hits(
    coaches, django_assert_max_num_queries
):
    for n in range(25):
        listing(f"Coaching Circle {n}", at=CONCORD, terms=("recovery-coaching",), free=True)
    with django_assert_max_num_queries(12):
        response = Client().get("/find/", {"q": "coaching", "near": "03301", "sort": "relevance"})
    assert response.status_code == 200
    assert "27 results" in response.content.decode()


def test_a_result_shows_the_address_phone_and_needs_and_follows_their_edits(coaches):
    hub = coaches[0]
    page = Client().get("/find/", {"q": "hub"}).content.decode()
    assert "1 Main St, Concord" in page
    assert "Recovery coaching" in page
    assert "tel:" not in page
    Phone.objects.create(service=hub, number="603-555-0100", type="voice")
    address = Address.objects.get(location__service_at_locations__service=hub)
    address.address_1 = "9 Pleasant St"
    address.save()
    page = Client().get("/find/", {"q": "hub"}).content.decode()
    assert 'href="tel:603-555-0100"' in page
    assert "9 Pleasant St, Concord" in page


def test_a_result_with_schedules_on_its_service_location_and_pairing_is_one_row(coaches):
    # The page's one statement joins every row to all its schedules (one joined row each):
    # the page must still list each place once, in order, counted once, and "open now" must
    # hear each of the three kinds of schedule.
    hub, house, _ = coaches
    pairing = ServiceAtLocation.objects.get(service=hub)
    Schedule.objects.create(
        service=hub, freq="WEEKLY", byday="MO", opens_at=time(9), closes_at=time(12)
    )
    Schedule.objects.create(
        location=pairing.location, freq="WEEKLY", byday="SA", opens_at=time(9), closes_at=time(12)
    )
    Schedule.objects.create(
        service_at_location=pairing, freq="WEEKLY", byday="SU", opens_at=time(9), closes_at=time(12)
    )
    Schedule.objects.create(
        service=house, freq="WEEKLY", byday="MO", opens_at=time(13), closes_at=time(17)
    )
    near = SearchFilters(place=place_from_text("03301"), radius_miles=25)
    found = service_search(near, per_page=2)
    assert [h.service.name for h in found.hits] == ["Peer Coaching Hub", "Harbor House"]
    assert found.total == 3
    last = service_search(near, per_page=2, page=2)
    assert [h.service.name for h in last.hits] == ["Merrimack Recovery Housing"]
    # 2026-11-23 is a Monday, 28 a Saturday, 29 a Sunday; 15:00 UTC is 10:00 in Concord.
    for day in (23, 28, 29):
        at = datetime(2026, 11, day, 15, 0, tzinfo=UTC)
        hits = service_search(SearchFilters(open_now=True), at=at).hits
        assert [h.service.name for h in hits] == ["Peer Coaching Hub"], day
    at = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)  # Monday 14:00: only the house
    assert [h.service.name for h in service_search(SearchFilters(open_now=True), at=at).hits] == [
        "Harbor House"
    ]


def test_the_migration_fills_the_index_with_its_own_models_as_the_live_code_does(coaches):
    # Migration 0004 builds the index of a database that already has listings, with the
    # models as they were then (rows are dicts, written raw): it must give the same rows.
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = importlib.import_module("rosc.directory.migrations.0004_search_index")
    state = MigrationLoader(connection).project_state(("directory", "0004_search_index"))
    live = index_state()
    assert live
    SearchRow.objects.all().delete()
    migration.fill(state.apps, None)
    assert index_state() == live
