"""The public HSDS 3.0 API: official schemas, the Page envelope, filters, errors, query counts."""

import copy
import json
import math
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from rosc.accounts.models import Organization
from rosc.directory import hsds_serializers as hs
from rosc.directory import models as m
from rosc.directory import taxonomy as recovery
from rosc.directory.services import hsds_import

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "hsds_schema"
COMPILED = SCHEMA_DIR / "compiled"
EXAMPLES = Path("/work/shared/standards/hsds/examples")
if not EXAMPLES.is_dir():  # pragma: no cover - the examples live beside the repository
    EXAMPLES = Path(__file__).resolve().parents[4] / "shared" / "standards" / "hsds" / "examples"

BASE = "/api/hsds"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORG_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
SAL_ID = "e94c9f38-1e8f-4564-91d4-d53501ab1765"
EXAMPLE_TAXONOMY_ID = "5c4d79d7-cc55-470e-9f1f-8cad074e4892"
EXAMPLE_TERM_ID = "3f7b145d-84af-42d7-8fae-eaca714b02b2"
MISSING_ID = "00000000-0000-4000-8000-000000000000"

CONCORD = (43.2081, -71.5376)  # 03301
MANCHESTER = (42.9956, -71.4548)  # 03101, about 24 km from Concord
N_A, N_B = 55, 5  # generated services of organizations A and B
N_SERVICES = N_A + N_B + 1  # and the official example's

pytestmark = [pytest.mark.django_db, pytest.mark.urls("rosc.directory.tests.hsds_urls")]


# --- the official schemas, strict: no property beyond HSDS's own ------------------------------


def _closed(schema: Any) -> Any:
    """The schema with additionalProperties false on every object (as the spec's CI checks)."""
    if isinstance(schema, dict):
        out = {k: _closed(v) for k, v in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_closed(v) for v in schema]
    return schema


def _load(path: Path) -> Any:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@cache
def validator(name: str) -> Draft202012Validator:
    """`compiled/service.json`, `taxonomy.json` …: a strict validator for one official schema."""
    resources = [
        (p.name, Resource.from_contents(_closed(_load(p)), default_specification=DRAFT202012))
        for p in SCHEMA_DIR.glob("*.json")
        if p.name != "datapackage.json"
    ]
    registry: Registry = Registry().with_resources(resources)
    return Draft202012Validator(
        _closed(_load(SCHEMA_DIR / name)), registry=registry, format_checker=FormatChecker()
    )


@cache
def page_validator() -> Draft202012Validator:
    openapi = _load(Path("/work/shared/standards/hsds/schema/openapi.json"))
    page = copy.deepcopy(openapi["components"]["schemas"]["Page"])
    page["required"] = [*page["properties"], "contents"]
    page["properties"]["contents"] = {"type": "array"}
    return Draft202012Validator(_closed(page))


def assert_valid(data: Any, schema: str) -> None:
    errors = sorted(validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def assert_page(data: Any, item_schema: str) -> None:
    assert not list(page_validator().iter_errors(data))
    for item in data["contents"]:
        assert_valid(item, item_schema)


# --- data ------------------------------------------------------------------------------------


def _org(name: str) -> Organization:
    return Organization.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), kind="rco", description=f"{name}."
    )


def _services(
    org: Organization,
    prefix: str,
    n: int,
    near: tuple[float, float],
    postcode: str,
    modified: datetime,
) -> list[m.Service]:
    services, locations, addresses, sals = [], [], [], []
    for i in range(n):
        service = m.Service(
            organization=org,
            name=f"{prefix} {i}",
            description=f"{prefix} for everyone, number {i}.",
            status="active",
            last_modified=modified,
        )
        location = m.Location(
            location_type="physical",
            organization=org,
            name=f"{prefix} site {i}",
            latitude=near[0] + i * 0.0005,
            longitude=near[1],
        )
        services.append(service)
        locations.append(location)
        addresses.append(
            m.Address(
                location_id=location.public_id,
                address_1=f"{i} Main Street",
                city="Town",
                state_province="NH",
                postal_code=postcode,
                country="US",
                address_type="physical",
            )
        )
        sals.append(
            m.ServiceAtLocation(service_id=service.public_id, location_id=location.public_id)
        )
    m.Service.objects.bulk_create(services)
    m.Location.objects.bulk_create(locations)
    m.Address.objects.bulk_create(addresses)
    m.ServiceAtLocation.objects.bulk_create(sals)
    phones = [m.Phone(service_id=s.public_id, number="555-0100") for s in services]
    m.Phone.objects.bulk_create(phones)
    m.Language.objects.bulk_create(
        [m.Language(phone_id=p.public_id, name="Spanish", code="es") for p in phones]
    )
    m.Schedule.objects.bulk_create(
        [m.Schedule(service_id=s.public_id, freq="WEEKLY", byday="MO") for s in services]
    )
    return services


def _tag(service: m.Service, term_id: Any) -> None:
    m.Attribute.objects.create(
        link_id=service.public_id, taxonomy_term_id=term_id, link_entity="service"
    )


@pytest.fixture
def directory() -> dict[str, Any]:
    report = hsds_import(path=EXAMPLES / "csv")
    assert report.errors == []
    org_a, org_b = _org("Riverbend Recovery"), _org("Granite Naloxone")
    a = _services(
        org_a, "Recovery coaching", N_A, CONCORD, "03301", datetime(2024, 1, 1, tzinfo=UTC)
    )
    b = _services(
        org_b, "Naloxone kits", N_B, MANCHESTER, "03101", datetime(2025, 6, 1, tzinfo=UTC)
    )
    coaching, naloxone = recovery.term_id("recovery-coaching"), recovery.term_id("naloxone")
    for i, service in enumerate(a):
        if i % 2 == 0:
            _tag(service, coaching)
    for service in b:
        _tag(service, naloxone)
    _tag(b[0], EXAMPLE_TERM_ID)
    # The example term points at a taxonomy the example does not ship: link it to one it does.
    m.TaxonomyTerm.objects.filter(public_id=EXAMPLE_TERM_ID).update(
        taxonomy_detail_id=EXAMPLE_TAXONOMY_ID, parent_id=None
    )
    m.TaxonomyTerm.objects.create(
        name="Child", description="A child term.", parent_id=EXAMPLE_TERM_ID
    )
    return {"a": org_a, "b": org_b, "a_services": a, "b_services": b}


def get(client: Client, path: str, **params: Any) -> Any:
    response = client.get(BASE + path, params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def ids(page: dict[str, Any]) -> set[str]:
    return {item["id"] for item in page["contents"]}


# --- root ------------------------------------------------------------------------------------


def test_root_declares_version_profile_and_a_working_openapi_url(client: Client) -> None:
    data = get(client, "/")
    assert data["version"] == "3.0"
    assert data["profile"].startswith("https://")
    openapi = client.get(urlsplit(data["openapi_url"]).path)
    assert openapi.status_code == 200
    paths = openapi.json()["paths"]
    for path in ["/services", "/services/{id}", "/service_at_locations", "/taxonomy_terms"]:
        assert BASE + path in paths


# --- every response validates against the official schemas -----------------------------------


LISTS = [
    ("/services", {}, "compiled/service_list.json"),
    ("/services", {"full": "true"}, "compiled/service.json"),
    ("/services", {"minimal": "true"}, "compiled/service_list.json"),
    ("/organizations", {}, "compiled/organization_list.json"),
    ("/organizations", {"full": "true"}, "compiled/organization.json"),
    ("/organizations", {"full": "true", "full_service": "true"}, "compiled/organization.json"),
    ("/service_at_locations", {}, "compiled/service_at_location_list.json"),
    ("/service_at_locations", {"full": "true"}, "compiled/service_at_location.json"),
    ("/taxonomies", {}, "taxonomy.json"),
    ("/taxonomy_terms", {}, "taxonomy_term.json"),
]


@pytest.mark.parametrize(("path", "params", "schema"), LISTS)
def test_every_list_validates_against_the_official_schema(
    client: Client, directory: dict[str, Any], path: str, params: dict[str, str], schema: str
) -> None:
    data = get(client, path, per_page=200, **params)
    assert data["total_items"] > 0
    assert_page(data, schema)


def test_the_official_example_service_comes_back_fully_nested_and_valid(
    client: Client, directory: dict[str, Any]
) -> None:
    service = get(client, f"/services/{SERVICE_ID}")
    assert_valid(service, "compiled/service.json")
    official = _load(EXAMPLES / "service_full.json")
    assert service["id"] == official["id"]
    assert service["name"] == official["name"]
    assert service["organization"]["id"] == ORG_ID
    assert service["organization"]["website"] == official["organization"]["website"]
    assert service["program"]["id"] == official["program"]["id"]
    # Every array the official example nests is nested here too.
    for key, value in official.items():
        if isinstance(value, list):
            assert key in service, key
    sal = service["service_at_locations"][0]
    assert sal["id"] == SAL_ID
    assert sal["location"]["addresses"][0]["postal_code"] == "ABC 1234"
    assert service["phones"][0]["languages"]


def test_every_detail_validates_against_the_official_schema(
    client: Client, directory: dict[str, Any]
) -> None:
    generated = directory["a_services"][0]
    assert_valid(get(client, f"/services/{generated.public_id}"), "compiled/service.json")
    org = get(client, f"/organizations/{ORG_ID}")
    assert_valid(org, "compiled/organization.json")
    assert [s["id"] for s in org["services"]] == [SERVICE_ID]
    assert "phones" not in org["services"][0]  # the simple form, unless full_service
    full = get(client, f"/organizations/{ORG_ID}", full_service="true")
    assert_valid(full, "compiled/organization.json")
    assert full["services"][0]["phones"]
    # The official OpenAPI file points this path at compiled/service.json, a slip: a
    # service_at_location is checked against compiled/service_at_location.json.
    sal = get(client, f"/service_at_locations/{SAL_ID}")
    assert_valid(sal, "compiled/service_at_location.json")
    assert sal["service"]["id"] == SERVICE_ID
    assert sal["location"]["id"] == "3a19ff88-4620-4d17-9830-ac1d859eb5d5"
    taxonomy = get(client, f"/taxonomies/{recovery.TAXONOMY_ID}")
    assert_valid(taxonomy, "taxonomy.json")
    assert taxonomy["name"] == recovery.TAXONOMY_NAME
    term = get(client, f"/taxonomy_terms/{EXAMPLE_TERM_ID}")
    assert_valid(term, "taxonomy_term.json")
    assert term["taxonomy_detail"]["id"] == EXAMPLE_TAXONOMY_ID


def test_an_organization_without_a_description_still_validates(client: Client) -> None:
    org = Organization.objects.create(name="Bare", slug="bare", kind="rco")
    data = get(client, f"/organizations/{org.public_id}")
    assert data["description"] == ""
    assert_valid(data, "compiled/organization.json")


# --- paging ----------------------------------------------------------------------------------


def test_paging_math(client: Client, directory: dict[str, Any]) -> None:
    first = get(client, "/services", per_page=20)
    assert first["total_items"] == N_SERVICES
    assert first["total_pages"] == math.ceil(N_SERVICES / 20) == 4
    assert (first["page_number"], first["size"]) == (1, 20)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    seen = ids(first)
    for page in (2, 3):
        data = get(client, "/services", per_page=20, page=page)
        assert not data["first_page"] and not data["last_page"]
        seen |= ids(data)
    last = get(client, "/services", per_page=20, page=4)
    assert (last["size"], last["last_page"], last["first_page"]) == (1, True, False)
    seen |= ids(last)
    assert len(seen) == N_SERVICES
    beyond = get(client, "/services", per_page=20, page=5)
    assert beyond["empty"] and beyond["contents"] == [] and beyond["size"] == 0
    assert beyond["total_items"] == N_SERVICES and beyond["last_page"]


def test_default_page_size_and_empty_result(client: Client, directory: dict[str, Any]) -> None:
    data = get(client, "/services")
    assert data["size"] == 50 and data["total_pages"] == 2
    nothing = get(client, "/services", search="no such service anywhere")
    assert nothing["total_items"] == 0 and nothing["total_pages"] == 0
    assert nothing["empty"] and nothing["first_page"] and nothing["last_page"]


# --- filters ---------------------------------------------------------------------------------


def test_service_filters_narrow_and_combine(client: Client, directory: dict[str, Any]) -> None:
    a, b = directory["a"], directory["b"]
    coaching, naloxone = recovery.term_id("recovery-coaching"), recovery.term_id("naloxone")

    def total(**params: Any) -> int:
        return get(client, "/services", per_page=200, **params)["total_items"]

    assert total(organization_id=a.public_id) == N_A
    assert total(organization_id=b.public_id) == N_B
    assert total(organization_id=ORG_ID) == 1
    assert total(organization_id=MISSING_ID) == 0
    assert total(taxonomy_term_id=coaching) == (N_A + 1) // 2
    assert total(taxonomy_term_id=naloxone) == N_B
    assert total(taxonomy_id=recovery.TAXONOMY_ID) == (N_A + 1) // 2 + N_B
    assert total(taxonomy_id=EXAMPLE_TAXONOMY_ID) == 1
    assert total(search="NALOXONE kits") == N_B
    assert total(search="coaching 1") == 11  # 1, 10-19
    # Cumulative: every filter must hold.
    assert total(taxonomy_term_id=coaching, organization_id=b.public_id) == 0
    assert total(taxonomy_id=recovery.TAXONOMY_ID, organization_id=b.public_id) == N_B
    assert total(taxonomy_id=EXAMPLE_TAXONOMY_ID, taxonomy_term_id=naloxone) == 1
    assert total(search="coaching 1", taxonomy_term_id=coaching) == 5  # 10 … 18
    found = get(client, "/services", search="Naloxone kits 3", organization_id=b.public_id)
    assert [s["name"] for s in found["contents"]] == ["Naloxone kits 3"]


def test_modified_after(client: Client, directory: dict[str, Any]) -> None:
    def total(when: str) -> int:
        return get(client, "/services", modified_after=when)["total_items"]

    assert total("2023-01-01T00:00:00Z") == N_SERVICES
    assert total("2024-01-01T00:00:00Z") == N_A + N_B  # on or after
    assert total("2024-01-01T00:00:01+00:00") == N_B
    assert total("2025-06-01") == N_B
    assert total("2025-06-01T00:00:00-04:00") == 0
    assert total("2030-01-01T00:00:00Z") == 0
    # Without a last_modified, a service counts as modified when its row last changed.
    m.Service.objects.filter(public_id=SERVICE_ID).update(last_modified=None)
    assert total("2030-01-01T00:00:00Z") == 0
    assert total(datetime.now(UTC).date().isoformat()) == 1
    sals = get(client, "/service_at_locations", modified_after="2025-01-01T00:00:00Z")
    assert sals["total_items"] == N_A + N_B + 1  # their own rows changed just now
    m.ServiceAtLocation.objects.update(updated_at=datetime(2020, 1, 1, tzinfo=UTC))
    sals = get(client, "/service_at_locations", modified_after="2025-01-01T00:00:00Z")
    assert sals["total_items"] == N_B + 1


def test_service_at_location_filters(client: Client, directory: dict[str, Any]) -> None:
    a, b = directory["a"], directory["b"]

    def total(**params: Any) -> int:
        data = get(client, "/service_at_locations", per_page=200, **params)
        assert_page(data, "compiled/service_at_location_list.json")
        return int(data["total_items"])

    assert total() == N_SERVICES
    assert total(organization_id=a.public_id) == N_A
    assert total(taxonomy_term_id=recovery.term_id("naloxone")) == N_B
    assert total(taxonomy_id=recovery.TAXONOMY_ID, organization_id=a.public_id) == 28
    assert total(search="naloxone kits site 2") == 1
    assert total(postcode="03101") == N_B
    assert total(postcode="03301", organization_id=b.public_id) == 0
    assert total(postcode="abc 1234") == 1  # the official example, case-insensitive
    assert total(postcode="99999") == 0


def test_proximity(client: Client, directory: dict[str, Any]) -> None:
    def total(**params: Any) -> int:
        return int(get(client, "/service_at_locations", per_page=200, **params)["total_items"])

    # Meters from the postcode's centroid, as the specification says (a US ZIP code's centroid
    # comes from the offline table: 03301 is at 43.2185,-71.5277, 03101 at 42.9929,-71.4633).
    assert total(postcode="03301", proximity="5000") == N_A
    assert total(postcode="03301-1234", proximity="5000") == N_A
    assert total(postcode="03301", proximity="40000") == N_A + N_B
    assert total(postcode="03101", proximity="2000") == N_B
    assert total(postcode="99999", proximity="1000") == 0  # no centroid known
    # Another country's postcode: the centroid of our own locations with it.
    assert total(postcode="ABC 1234", proximity="100000000") == 0  # latitude 100: none
    m.Location.objects.filter(public_id="3a19ff88-4620-4d17-9830-ac1d859eb5d5").update(
        latitude=51.5, longitude=-0.12
    )
    assert total(postcode="abc 1234", proximity="10") == 1
    # lat,lng,meters: a point of our own choosing.
    lat, lng = CONCORD
    assert total(proximity=f"{lat},{lng},10") == 1  # only the site exactly there
    assert total(proximity=f"{lat},{lng},10000") == N_A
    assert total(proximity=f"{lat},{lng},30000") == N_A + N_B
    assert total(proximity=f"{lat},{lng},30000", organization_id=directory["b"].public_id) == N_B
    assert total(proximity="0,0,1000") == 0
    # Wide circles near the poles and the antimeridian still answer.
    assert total(proximity="89.9,179.9,100000") == 0
    # The whole earth; the official example's location (latitude 100) is not on it.
    assert total(proximity=f"{lat},{lng},30000000") == N_A + N_B + 1


def test_taxonomy_term_filters(client: Client, directory: dict[str, Any]) -> None:
    def names(**params: Any) -> list[str]:
        data = get(client, "/taxonomy_terms", per_page=200, **params)
        assert_page(data, "taxonomy_term.json")
        return [t["name"] for t in data["contents"]]

    assert len(names(taxonomy_id=recovery.TAXONOMY_ID)) == len(recovery.TERMS)
    assert names(parent_id=EXAMPLE_TERM_ID) == ["Child"]
    assert "Child" not in names(top_only="true")
    # Top-level terms: both shipped taxonomies' and the example's parent term.
    assert len(names(top_only="true")) == len(recovery.TERMS) + len(recovery.EXTENSION_TERMS) + 1
    assert names(search="naloxone", taxonomy_id=recovery.TAXONOMY_ID) == ["Naloxone"]
    assert names(search="naloxone", taxonomy_id=EXAMPLE_TAXONOMY_ID) == []
    taxonomies = get(client, "/taxonomies", search="recovery support")
    assert [t["id"] for t in taxonomies["contents"]] == [str(recovery.TAXONOMY_ID)]


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/services/{}",
        "/organizations/{}",
        "/service_at_locations/{}",
        "/taxonomies/{}",
        "/taxonomy_terms/{}",
    ],
)
def test_unknown_ids_answer_404_and_malformed_ids_400(client: Client, path: str) -> None:
    response = client.get(BASE + path.format(MISSING_ID))
    assert response.status_code == 404
    assert "detail" in response.json()
    response = client.get(BASE + path.format("not-a-uuid"))
    assert response.status_code == 400
    assert response.json()["errors"]["id"]


GARBAGE = [
    ("/services", {"page": "0"}, "page"),
    ("/services", {"page": "-1"}, "page"),
    ("/services", {"per_page": "abc"}, "per_page"),
    ("/services", {"per_page": "0"}, "per_page"),
    ("/services", {"per_page": "201"}, "per_page"),
    ("/services", {"taxonomy_term_id": "xyz"}, "taxonomy_term_id"),
    ("/services", {"organization_id": "1234"}, "organization_id"),
    ("/services", {"modified_after": "yesterday"}, "modified_after"),
    ("/services", {"modified_after": "2024-13-45"}, "modified_after"),
    ("/services", {"modified_after": "0001-01-01T00:00:00+14:00"}, "modified_after"),
    ("/services", {"full": "maybe"}, "full"),
    ("/services", {"format": "xml"}, "format"),
    ("/services", {"postcode": "03301"}, "postcode"),  # not a parameter of /services
    ("/services", {"colour": "blue"}, "colour"),
    ("/services", {"search": "a\x00b"}, "search"),
    ("/organizations", {"taxonomy_id": MISSING_ID}, "taxonomy_id"),  # 3.1, not 3.0
    ("/service_at_locations", {"proximity": "far"}, "proximity"),
    ("/service_at_locations", {"proximity": "1000"}, "proximity"),  # meters need a postcode
    ("/service_at_locations", {"proximity": "1,2"}, "proximity"),
    ("/service_at_locations", {"proximity": "91,0,10"}, "proximity"),
    ("/service_at_locations", {"proximity": "0,181,10"}, "proximity"),
    ("/service_at_locations", {"proximity": "0,0,-5"}, "proximity"),
    ("/service_at_locations", {"proximity": "nan,0,5"}, "proximity"),
    ("/service_at_locations", {"proximity": "0,0,inf"}, "proximity"),
    ("/taxonomy_terms", {"parent_id": "parent"}, "parent_id"),
    ("/taxonomy_terms", {"top_only": "sometimes"}, "top_only"),
    ("/taxonomies", {"taxonomy_id": MISSING_ID}, "taxonomy_id"),
    ("/", {"page": "1"}, "page"),
    (f"/services/{SERVICE_ID}", {"full": "true"}, "full"),
    (f"/organizations/{ORG_ID}", {"full_service": "perhaps"}, "full_service"),
]


@pytest.mark.parametrize(("path", "params", "field"), GARBAGE)
def test_malformed_or_unknown_parameters_answer_400_naming_the_field(
    client: Client, directory: dict[str, Any], path: str, params: dict[str, str], field: str
) -> None:
    response = client.get(BASE + path, params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"]
    assert field in body["errors"]
    assert all(isinstance(msg, str) and msg for msg in body["errors"][field])


LIST_PARAMS = {
    "/services": [
        "search",
        "page",
        "per_page",
        "format",
        "taxonomy_term_id",
        "taxonomy_id",
        "organization_id",
        "modified_after",
        "minimal",
        "full",
    ],
    "/organizations": ["search", "full_service", "full", "page", "per_page", "format"],
    "/service_at_locations": [
        "search",
        "taxonomy_term_id",
        "taxonomy_id",
        "organization_id",
        "modified_after",
        "full",
        "page",
        "per_page",
        "format",
        "postcode",
        "proximity",
    ],
    "/taxonomies": ["search", "page", "per_page", "format"],
    "/taxonomy_terms": [
        "search",
        "page",
        "per_page",
        "format",
        "taxonomy_id",
        "top_only",
        "parent_id",
    ],
}
PATH_PARAMS = [(path, name) for path, names in LIST_PARAMS.items() for name in names]
TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)
VALUES = st.one_of(
    TEXT,
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats().map(str),
    st.uuids().map(str),
    st.sampled_from(["true", "false", "", " ", "1e9", "0x10", "2024-02-30", "1,2,3", "03301"]),
)


@pytest.mark.parametrize("path", list(LIST_PARAMS))
def test_the_parameters_of_each_list_match_the_official_openapi_file(path: str) -> None:
    openapi = _load(Path("/work/shared/standards/hsds/schema/openapi.json"))
    names = set()
    for param in openapi["paths"][path]["get"]["parameters"]:
        ref = param.get("$ref")
        names.add(ref.rsplit("/", 1)[1] if ref else param["name"])
    assert names == set(LIST_PARAMS[path])


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    target=st.sampled_from(PATH_PARAMS),
    value=VALUES,
    extra=st.dictionaries(st.sampled_from([n for _, n in PATH_PARAMS]), VALUES, max_size=3),
    stray=st.one_of(st.none(), TEXT),
)
def test_random_parameters_never_answer_anything_but_200_or_400(
    client: Client,
    directory: dict[str, Any],
    target: tuple[str, str],
    value: str,
    extra: dict[str, str],
    stray: str | None,
) -> None:
    path, name = target
    params = {k: v for k, v in extra.items() if k in LIST_PARAMS[path]}
    params[name] = value
    if stray is not None:
        params[stray or "x"] = value
    response = client.get(BASE + path, params)
    assert response.status_code in (200, 400), (params, response.content[:300])
    body = response.json()
    if response.status_code == 400:
        assert body["detail"] and body["errors"]
    else:
        assert not list(page_validator().iter_errors(body))


# --- queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "nodes"),
    [
        ("/services", {}, hs.SERVICE_LIST),
        ("/services", {"full": "true"}, hs.SERVICE_FULL),
        ("/service_at_locations", {}, hs.SERVICE_AT_LOCATION_LIST),
        ("/service_at_locations", {"full": "true"}, hs.SERVICE_AT_LOCATION_FULL),
        ("/organizations", {"full": "true"}, hs.organization_full(full_service=False)),
        (
            "/organizations",
            {"full": "true", "full_service": "true"},
            hs.organization_full(full_service=True),
        ),
    ],
)
def test_a_page_costs_a_fixed_number_of_queries_whatever_its_size(
    client: Client,
    directory: dict[str, Any],
    path: str,
    params: dict[str, str],
    nodes: tuple[hs.Node, ...],
) -> None:
    ceiling = 2 + hs.query_count(nodes)  # the count, the page, one query per nested kind
    for per_page in (1, 5, 50, 200):
        with CaptureQueriesContext(connection) as queries:
            data = get(client, path, per_page=per_page, **params)
        assert data["size"] == min(per_page, data["total_items"])
        assert len(queries) <= ceiling, (per_page, len(queries))


def test_a_page_of_50_services(client: Client, directory: dict[str, Any]) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert get(client, "/services", per_page=50)["size"] == 50
    assert len(queries) == 4  # count, page, organizations, programs
    with CaptureQueriesContext(connection) as queries:
        assert get(client, "/services", per_page=50, full="true")["size"] == 50
    assert len(queries) <= 2 + hs.query_count(hs.SERVICE_FULL)
