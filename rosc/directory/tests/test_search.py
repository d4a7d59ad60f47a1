"""Public search at /find/ and the listing pages: what a person looking for help gets."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import zipcodes
from django.test import Client

from rosc.accounts.models import Organization, RecoveryPathway
from rosc.accounts.services import organization_create
from rosc.directory.models import (
    Accessibility,
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
)
from rosc.directory.places import PlaceNotFound, distance_miles, place_from_text, zip_centroid
from rosc.directory.selectors import SearchFilters, schedule_open_at, service_search
from rosc.directory.services import taxonomy_load_recovery_support
from rosc.directory.taxonomy import term_id

CONCORD = (43.2185, -71.5277)  # ZIP 03301's centroid
LANGUAGE_CODES = {"Spanish": "es"}


def listing(
    name: str,
    *,
    at: tuple[float, float],
    kind: str = Organization.Kind.RCO,
    terms: tuple[str, ...] = (),
    peer_led: bool = False,
    pathways: tuple[str, ...] = (),
    language: str = "",
    free: bool = False,
    wheelchair: bool = False,
    hours: tuple[time, time] | None = None,
    verified: date | None = None,
) -> Service:
    org = organization_create(name=f"{name} Org", kind=kind)
    org.peer_led = peer_led
    org.recovery_pathways = list(pathways)
    org.time_zone = "America/New_York"
    org.last_verified_on = verified
    org.save()
    service = Service.objects.create(
        organization=org,
        name=name,
        description=f"{name} for people in recovery.",
        status=Service.Status.ACTIVE,
    )
    loc = Location.objects.create(
        organization=org,
        location_type=Location.LocationType.PHYSICAL,
        name=name,
        latitude=at[0],
        longitude=at[1],
    )
    Address.objects.create(
        location=loc,
        address_1="1 Main St",
        city="Concord",
        state_province="NH",
        postal_code="03301",
        country="US",
        address_type=Location.LocationType.PHYSICAL,
    )
    ServiceAtLocation.objects.create(service=service, location=loc)
    for code in terms:
        Attribute.objects.create(
            link_id=service.public_id, link_entity="service", taxonomy_term_id=term_id(code)
        )
    if language:
        Language.objects.create(service=service, name=language, code=LANGUAGE_CODES[language])
    if free:
        CostOption.objects.create(service=service, option="Free", amount=0)
    if wheelchair:
        Accessibility.objects.create(location=loc, description="Wheelchair accessible entrance")
    if hours:
        Schedule.objects.create(
            service=service,
            freq=Schedule.Freq.WEEKLY,
            byday="MO,TU,WE,TH,FR",
            opens_at=hours[0],
            closes_at=hours[1],
        )
    return service


@pytest.fixture
def directory(db):
    taxonomy_load_recovery_support()
    return {
        "coaching": listing(
            "Granite Recovery Coaching",
            at=CONCORD,
            terms=("recovery-coaching",),
            peer_led=True,
            pathways=(RecoveryPathway.MUTUAL_AID,),
            language="Spanish",
            free=True,
            wheelchair=True,
            hours=(time(9), time(17)),
            verified=date.today(),
        ),
        "housing": listing(
            "Merrimack Recovery Housing",
            at=(43.25, -71.55),
            kind=Organization.Kind.RECOVERY_RESIDENCE,
            terms=("recovery-housing",),
        ),
        "far": listing(
            "Seacoast Recovery Coaching", at=(43.07, -70.76), terms=("recovery-coaching",)
        ),
    }


def search(filters: SearchFilters, **kwargs) -> list:
    return service_search(filters, per_page=100, **kwargs).hits


def names(hits):
    return [h.service.name for h in hits]


def test_a_zip_code_becomes_its_centroid_offline():
    place = place_from_text("03301")
    assert (place.latitude, place.longitude) == pytest.approx(CONCORD, abs=1e-3)
    assert "Concord" in place.label
    with pytest.raises(PlaceNotFound):
        place_from_text("00000")
    with pytest.raises(PlaceNotFound):
        place_from_text("nowhere")


def test_the_zip_index_gives_what_the_package_lookup_gives():
    # zip_centroid reads the table once into a dict; it must agree with the package's own
    # (scanning) lookup: the first listing of a code that has a centroid, else none.
    codes = [*[z["zip_code"] for z in zipcodes.list_all()][::97], "00000", "99999"]
    for code in codes:
        listed = [z for z in zipcodes.matching(code) if z.get("lat")]
        place = zip_centroid(code)
        if not listed:
            assert place is None, code
        else:
            assert place is not None, code
            assert (place.latitude, place.longitude) == (
                float(listed[0]["lat"]),
                float(listed[0]["long"]),
            )
            assert place.label == f"{listed[0]['city']}, {listed[0]['state']} {code}"


def test_distance_between_concord_and_portsmouth_is_about_forty_miles():
    assert 38 < distance_miles(*CONCORD, 43.07, -70.76) < 42


def test_search_near_a_zip_keeps_what_is_within_the_radius_nearest_first(directory):
    hits = search(SearchFilters(place=place_from_text("03301"), radius_miles=10))
    assert names(hits) == ["Granite Recovery Coaching", "Merrimack Recovery Housing"]
    assert hits[0].distance < hits[1].distance < 10


def test_need_kind_language_pathway_free_and_wheelchair_each_narrow_the_results(directory):
    near = place_from_text("03301")
    coaching = term_id("recovery-coaching")
    assert names(search(SearchFilters(place=near, radius_miles=100, term=coaching))) == [
        "Granite Recovery Coaching",
        "Seacoast Recovery Coaching",
    ]
    assert names(search(SearchFilters(kind=Organization.Kind.RECOVERY_RESIDENCE))) == [
        "Merrimack Recovery Housing"
    ]
    for filters in (
        SearchFilters(language="Spanish"),
        SearchFilters(language="es"),
        SearchFilters(pathway=RecoveryPathway.MUTUAL_AID),
        SearchFilters(free_only=True),
        SearchFilters(wheelchair=True),
    ):
        assert names(search(filters)) == ["Granite Recovery Coaching"], filters


def test_open_now_follows_the_weekly_schedule_in_the_organizations_time_zone(directory):
    # Monday 2026-11-23 15:00 UTC is 10:00 in Concord: open. 23:00 UTC is 18:00: closed.
    open_at = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    closed_at = open_at + timedelta(hours=8)
    assert names(search(SearchFilters(open_now=True), at=open_at)) == ["Granite Recovery Coaching"]
    assert search(SearchFilters(open_now=True), at=closed_at) == []


def test_a_schedule_past_midnight_and_weekday_rules():
    late = Schedule(freq="WEEKLY", byday="FR", opens_at=time(22), closes_at=time(2))
    assert schedule_open_at(late, datetime(2026, 11, 27, 23, 30))  # a Friday
    assert not schedule_open_at(late, datetime(2026, 11, 26, 23, 30))  # a Thursday


def test_free_text_ranks_name_matches_first(directory):
    hits = search(SearchFilters(text="coaching", sort="relevance"))
    assert set(names(hits)) == {"Granite Recovery Coaching", "Seacoast Recovery Coaching"}
    assert search(SearchFilters(text="granite coaching"))[0].service.name == (
        "Granite Recovery Coaching"
    )


def test_find_page_lists_results_without_signing_in_and_has_a_shareable_url(directory):
    response = Client().get("/find/", {"near": "03301", "radius": "10", "q": "recovery"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "2 results within 10 miles of Concord" in body
    assert "Granite Recovery Coaching" in body
    assert "Peer-led recovery community organization" in body
    assert "Seacoast" not in body


@pytest.mark.parametrize(
    "params",
    [
        {"near": "99999"},
        {"near": "abc"},
        {"radius": "7"},
        {"need": "not-a-uuid"},
        {"kind": "castle"},
        {"page": "-3", "q": "x"},
        {"near": "91,200"},
        {"q": "x" * 500},
        {"page": "9" * 5000, "q": "x"},
        {"page": "²", "q": "x"},
        # Full-width digits (U+FF10..): the package's own lookup crashed on them.
        {"near": "".join(chr(0xFF10 + int(d)) for d in "03301")},
    ],
)
def test_bad_search_input_gets_a_message_not_an_error_page(directory, params):
    response = Client().get("/find/", params)
    assert response.status_code == 200
    assert response.context["form"].errors or "q" in params


def test_listing_pages_show_what_where_when_and_the_badge(directory):
    service = directory["coaching"]
    page = Client().get(f"/find/services/{service.public_id}/").content.decode()
    for text in (
        "Granite Recovery Coaching",
        "1 Main St",
        "Spanish",
        "Free",
        "Peer-led recovery community organization",
        "Listing last checked",
    ):
        assert text in page, text
    org_page = Client().get(f"/find/organizations/{service.organization.public_id}/")
    assert "Mutual aid" in org_page.content.decode()


def test_a_listing_not_verified_in_twelve_months_is_marked_stale(directory):
    page = Client().get(f"/find/services/{directory['housing'].public_id}/").content.decode()
    assert "may be out of date" in page


def test_results_come_a_page_at_a_time_with_the_total(directory):
    first = service_search(SearchFilters(text="recovery"), per_page=2, page=1)
    second = service_search(SearchFilters(text="recovery"), per_page=2, page=2)
    beyond = service_search(SearchFilters(text="recovery"), per_page=2, page=99)
    assert (first.total, first.num_pages, len(first.hits), len(second.hits)) == (3, 2, 2, 1)
    assert {h.service.name for h in first.hits}.isdisjoint(h.service.name for h in second.hits)
    assert beyond.number == 2


def test_a_need_finds_services_tagged_with_its_children_in_any_taxonomy(directory):
    from rosc.directory.forms import FindForm
    from rosc.directory.models import TaxonomyTerm

    coaching = TaxonomyTerm.objects.get(public_id=term_id("recovery-coaching"))
    child = TaxonomyTerm.objects.create(
        name="Telephone recovery coaching", description="By phone.", parent=coaching
    )
    service = listing("Phone Coaching Line", at=CONCORD)
    Attribute.objects.create(link_id=service.public_id, link_entity="service", taxonomy_term=child)
    params = {"near": "03301", "radius": "10", "need": str(coaching.public_id)}
    form = FindForm(params)
    assert form.is_valid()
    assert form.needs.children == (child.public_id,)
    assert str(child.public_id) not in dict(form.needs.choices)  # not a listed need
    filters = form.filters()
    assert filters.term_children == (child.public_id,)
    read_here = SearchFilters(place=filters.place, radius_miles=10, term=filters.term)
    assert names(search(filters)) == names(search(read_here))
    assert "Phone Coaching Line" in names(search(filters))
    body = Client().get("/find/", params).content.decode()
    assert "Phone Coaching Line" in body and "Granite Recovery Coaching" in body
