"""The public, read-only HSDS 3.0 API (Open Referral `schema/openapi.json`).

A NinjaAPI of its own (namespace `hsds`), without authentication: the directory is public.
Every object is an HSDS object whose `id` is the record's `public_id`; lists answer the HSDS
`Page` envelope. Query parameters are the official ones for each path and are cumulative (AND);
an unknown or malformed parameter answers 400 `{"detail": ..., "errors": {...}}`, an unknown id
404 `{"detail": ...}`.

Choices where the specification is open:

- `modified_after` compares with a service's `last_modified`, or, when that is empty, with the
  time the row last changed here (`updated_at`).
- `search` is a case-insensitive "contains" on names and descriptions.
- `postcode` alone keeps service-at-locations whose location has an address with that postal
  code. `proximity` is meters (as the specification says) from the postcode's centroid: a US
  ZIP code's from the offline `zipcodes` table, any other postcode's the mean position of the
  geocoded locations having that postal code in the directory;
  `proximity` may instead be `lat,lng,meters` (a ROSC Hub extension, no postcode needed).
  Distance is the great-circle (haversine) distance, computed in SQL after a bounding-box filter;
  coordinates outside -90..90 / -180..180 (the official example has latitude 100) are ignored.
- `top_only` keeps terms without a parent.
- `format` accepts only `json`; `ndjson` is not offered yet.
- `minimal` lists `id`, `name`, `status` and `last_modified` of each service (the schema
  requires `name` and `status`).
"""

import math
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from datetime import time as dtime
from typing import Annotated, Any
from uuid import UUID

from django.db.models import F, FloatField, Model, Q, QuerySet, Value
from django.db.models.functions import ASin, Coalesce, Cos, Least, Power, Radians, Sin, Sqrt
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import BeforeValidator, ConfigDict, Field, field_validator

from rosc.accounts.models import Organization
from rosc.directory import hsds_serializers as hs
from rosc.directory.models import (
    Address,
    Attribute,
    Location,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from rosc.directory.places import zip_centroid

HSDS_VERSION = "3.0"
# No profile is declared, so the profile is HSDS 3.0 itself.
HSDS_PROFILE = "https://github.com/openreferral/specification/tree/3.0"
MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50
MAX_PAGE = 10**9
EARTH_RADIUS_M = 6_371_008.8
_ZIP = re.compile(r"(\d{5})(?:-\d{4})?")

api = NinjaAPI(
    title="ROSC Hub HSDS API",
    version="3.0",
    description="Open Referral HSDS 3.0 API of the ROSC Hub directory: public and read-only.",
    auth=None,
    urls_namespace="hsds",
    # No Swagger page: it loads from a CDN, which the Content-Security-Policy refuses.
    docs_url=None,
)


class BadRequest(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("Invalid query parameters")
        self.errors = errors


def _bad_request(request: HttpRequest, errors: dict[str, list[str]]) -> HttpResponse:
    fields = ", ".join(sorted(errors))
    return api.create_response(
        request,
        {"detail": f"Invalid query parameters: {fields}", "errors": errors},
        status=400,
    )


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "filters")]
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        errors.setdefault(".".join(loc) or "__all__", []).append(message)
    return _bad_request(request, errors)


@api.exception_handler(BadRequest)
def _bad_request_error(request: HttpRequest, exc: BadRequest) -> HttpResponse:
    return _bad_request(request, exc.errors)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


# --- parameters ------------------------------------------------------------------------------


def _when(value: Any) -> Any:
    """An ISO 8601 date-time (or date, meaning its midnight UTC) as an aware UTC datetime."""
    if value is None or isinstance(value, datetime):
        return value
    text = str(value).strip()
    parsed = parse_datetime(text)
    if parsed is None:
        day = parse_date(text)
        if day is None:
            raise ValueError("must be an ISO 8601 date-time, such as 2024-05-01T00:00:00Z")
        parsed = datetime.combine(day, dtime.min)
    if is_naive(parsed):
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("date-time out of range") from exc


When = Annotated[datetime | None, BeforeValidator(_when)]


class Params(Schema):
    """Parameters every list accepts; subclasses add the official ones of their path."""

    model_config = ConfigDict(extra="forbid")

    search: str | None = Field(None, description="Full text search.", max_length=500)
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number of paginated result.")
    per_page: int = Field(
        DEFAULT_PER_PAGE,
        ge=1,
        le=MAX_PER_PAGE,
        description="Number of results requested in a single page.",
    )
    format: str | None = Field(None, description="Only `json` (the default) is offered.")

    @field_validator("*", mode="before")
    @classmethod
    def _printable(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value

    @field_validator("format")
    @classmethod
    def _json_only(cls, value: str | None) -> str | None:
        if value not in (None, "json"):
            raise ValueError("only 'json' is supported")
        return value


class ServiceParams(Params):
    taxonomy_term_id: UUID | None = None
    taxonomy_id: UUID | None = None
    organization_id: UUID | None = None
    modified_after: When = Field(None, description="On or after this date-time.")
    minimal: bool = False
    full: bool = False


class OrganizationParams(Params):
    full_service: bool = False
    full: bool = False


class ServiceAtLocationParams(Params):
    taxonomy_term_id: UUID | None = None
    taxonomy_id: UUID | None = None
    organization_id: UUID | None = None
    modified_after: When = Field(None, description="On or after this date-time.")
    full: bool = False
    postcode: str | None = Field(None, max_length=20)
    proximity: str | None = Field(
        None, description="Meters from the postcode's centroid, or `lat,lng,meters`."
    )


class TaxonomyParams(Params):
    pass


class TaxonomyTermParams(Params):
    taxonomy_id: UUID | None = None
    top_only: bool = False
    parent_id: UUID | None = None


class OrganizationDetailParams(Schema):
    model_config = ConfigDict(extra="forbid")

    full_service: bool = False


def _reject_unknown(request: HttpRequest, allowed: Iterable[str]) -> None:
    unknown = sorted(set(request.GET) - set(allowed))
    if unknown:
        raise BadRequest({name: ["unknown parameter"] for name in unknown})


def _check(request: HttpRequest, params: type[Schema] | None) -> None:
    _reject_unknown(request, params.model_fields if params else ())


def _hsds_id(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise BadRequest({"id": ["must be a UUID"]}) from None


# --- paging ----------------------------------------------------------------------------------


def _page(
    queryset: QuerySet[Any],
    params: Params,
    table_name: str,
    nodes: tuple[hs.Node, ...],
) -> dict[str, Any]:
    total = queryset.count()
    total_pages = math.ceil(total / params.per_page)
    contents: list[hs.HSDSObject] = []
    if params.page <= total_pages:
        start = (params.page - 1) * params.per_page
        rows = list(queryset.order_by("public_id")[start : start + params.per_page])
        contents = hs.serialize(rows, table_name, nodes)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": params.page,
        "size": len(contents),
        "first_page": params.page == 1,
        "last_page": params.page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def _one(model: type[Model], id: str, table_name: str, nodes: tuple[hs.Node, ...]) -> Any:
    record = model._default_manager.filter(public_id=_hsds_id(id)).first()
    if record is None:
        raise HttpError(404, f"No {table_name} with id {id}")
    return hs.serialize([record], table_name, nodes)[0]


def _search(queryset: QuerySet[Any], text: str | None, *names: str) -> QuerySet[Any]:
    if not text:
        return queryset
    query = Q()
    for name in names:
        query |= Q(**{f"{name}__icontains": text})
    return queryset.filter(query)


def _linked(term: UUID | None, taxonomy: UUID | None) -> list[Q]:
    """Attribute filters: records carrying this term, or any term of this taxonomy."""
    filters = []
    if term is not None:
        filters.append(Q(taxonomy_term_id=term))
    if taxonomy is not None:
        filters.append(Q(taxonomy_term__taxonomy_detail_id=taxonomy))
    return filters


def _modified_since() -> Coalesce:
    return Coalesce("last_modified", "updated_at")


# --- endpoints -------------------------------------------------------------------------------


@api.get("/", url_name="root", summary="Information about this API and its relation to HSDS.")
def root(request: HttpRequest) -> dict[str, str]:
    _check(request, None)
    return {
        "version": HSDS_VERSION,
        "profile": HSDS_PROFILE,
        "openapi_url": request.build_absolute_uri(reverse("hsds:openapi-json")),
    }


def _services(params: ServiceParams) -> QuerySet[Service]:
    services = _search(Service.objects.all(), params.search, "name", "description")
    for q in _linked(params.taxonomy_term_id, params.taxonomy_id):
        services = services.filter(
            public_id__in=Attribute.objects.filter(q).values("link_id"),
        )
    if params.organization_id is not None:
        services = services.filter(organization_id=params.organization_id)
    if params.modified_after is not None:
        services = services.alias(modified=_modified_since()).filter(
            modified__gte=params.modified_after
        )
    return services


@api.get("/services", url_name="service_list", summary="Paginated list of services.")
def service_list(request: HttpRequest, filters: Query[ServiceParams]) -> dict[str, Any]:
    _check(request, ServiceParams)
    services = _services(filters)
    if filters.minimal:
        page = _page(services, filters, "service", ())
        keep = ("id", "name", "status", "last_modified")
        page["contents"] = [{k: s[k] for k in keep if k in s} for s in page["contents"]]
        return page
    return _page(services, filters, "service", hs.SERVICE_FULL if filters.full else hs.SERVICE_LIST)


@api.get("/services/{id}", url_name="service_detail", summary="A fully nested service.")
def service_detail(request: HttpRequest, id: str) -> Any:
    _check(request, None)
    return _one(Service, id, "service", hs.SERVICE_FULL)


@api.get("/organizations", url_name="organization_list", summary="Paginated organizations.")
def organization_list(request: HttpRequest, filters: Query[OrganizationParams]) -> Any:
    _check(request, OrganizationParams)
    organizations = _search(Organization.objects.all(), filters.search, "name", "description")
    nodes = hs.organization_full(full_service=filters.full_service) if filters.full else ()
    return _page(organizations, filters, "organization", nodes)


@api.get(
    "/organizations/{id}",
    url_name="organization_detail",
    summary="A fully nested organization with its services.",
)
def organization_detail(
    request: HttpRequest, id: str, filters: Query[OrganizationDetailParams]
) -> Any:
    _check(request, OrganizationDetailParams)
    nodes = hs.organization_full(full_service=filters.full_service)
    return _one(Organization, id, "organization", nodes)


def _near(
    queryset: QuerySet[ServiceAtLocation], lat: float, lng: float, meters: float
) -> QuerySet[ServiceAtLocation]:
    """Service-at-locations within `meters` of (lat, lng): a bounding box, then haversine."""
    lat_span = math.degrees(meters / EARTH_RADIUS_M)
    queryset = queryset.filter(
        location__latitude__gte=max(lat - lat_span, -90),
        location__latitude__lte=min(lat + lat_span, 90),
        location__longitude__gte=-180,
        location__longitude__lte=180,
    )
    cos_lat = math.cos(math.radians(lat))
    if lat_span < 90 and cos_lat > 1e-6:
        lng_span = lat_span / cos_lat
        if lng - lng_span >= -180 and lng + lng_span <= 180:
            queryset = queryset.filter(
                location__longitude__gte=lng - lng_span,
                location__longitude__lte=lng + lng_span,
            )
    lat0 = Value(math.radians(lat), output_field=FloatField())
    lng0 = Value(math.radians(lng), output_field=FloatField())
    rlat = Radians(F("location__latitude"))
    rlng = Radians(F("location__longitude"))
    half_chord = Power(Sin((rlat - lat0) / 2), 2) + Cos(rlat) * Cos(lat0) * Power(
        Sin((rlng - lng0) / 2), 2
    )
    distance = (
        2 * EARTH_RADIUS_M * ASin(Sqrt(Least(half_chord, Value(1.0, output_field=FloatField()))))
    )
    return queryset.alias(distance=distance).filter(distance__lte=meters)


def _number(text: str, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise BadRequest({"proximity": [f"{name} must be a number"]}) from None
    if not math.isfinite(value):
        raise BadRequest({"proximity": [f"{name} must be a finite number"]})
    return value


def _proximity(text: str) -> tuple[float | None, float | None, float]:
    """`meters` or `lat,lng,meters` -> (lat, lng, meters)."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) == 1:
        lat = lng = None
        meters = _number(parts[0], "the distance")
    elif len(parts) == 3:
        lat = _number(parts[0], "the latitude")
        lng = _number(parts[1], "the longitude")
        meters = _number(parts[2], "the distance")
        if not -90 <= lat <= 90:
            raise BadRequest({"proximity": ["the latitude must be between -90 and 90"]})
        if not -180 <= lng <= 180:
            raise BadRequest({"proximity": ["the longitude must be between -180 and 180"]})
    else:
        raise BadRequest({"proximity": ["must be meters, or lat,lng,meters"]})
    if meters < 0:
        raise BadRequest({"proximity": ["the distance must not be negative"]})
    return lat, lng, meters


def _postcode_centroid(postcode: str) -> tuple[float, float] | None:
    """A US ZIP code's centroid (offline table), else the mean of our locations with it."""
    match = _ZIP.fullmatch(postcode)
    place = zip_centroid(match.group(1)) if match else None
    if place is not None:
        return place.latitude, place.longitude
    located = Location.objects.filter(
        public_id__in=Address.objects.filter(postal_code__iexact=postcode).values("location_id"),
        latitude__range=(-90, 90),
        longitude__range=(-180, 180),
    ).values_list("latitude", "longitude")
    points = [(lat, lng) for lat, lng in located if lat is not None and lng is not None]
    if not points:
        return None
    return (
        sum(p[0] for p in points) / len(points),
        sum(p[1] for p in points) / len(points),
    )


def _service_at_locations(params: ServiceAtLocationParams) -> QuerySet[ServiceAtLocation]:
    sals = _search(
        ServiceAtLocation.objects.all(),
        params.search,
        "description",
        "service__name",
        "service__description",
        "location__name",
    )
    for q in _linked(params.taxonomy_term_id, params.taxonomy_id):
        linked = Attribute.objects.filter(q).values("link_id")
        sals = sals.filter(Q(service_id__in=linked) | Q(public_id__in=linked))
    if params.organization_id is not None:
        sals = sals.filter(service__organization_id=params.organization_id)
    if params.modified_after is not None:
        sals = sals.alias(
            modified=Coalesce("service__last_modified", "service__updated_at")
        ).filter(Q(modified__gte=params.modified_after) | Q(updated_at__gte=params.modified_after))
    postcode = (params.postcode or "").strip()
    if params.proximity is not None:
        lat, lng, meters = _proximity(params.proximity)
        if lat is None or lng is None:
            if not postcode:
                raise BadRequest({"proximity": ["meters need a postcode (or use lat,lng,meters)"]})
            centroid = _postcode_centroid(postcode)
            if centroid is None:
                return sals.none()
            lat, lng = centroid
        sals = _near(sals, lat, lng, meters)
    elif postcode:
        sals = sals.filter(
            location_id__in=Address.objects.filter(postal_code__iexact=postcode).values(
                "location_id"
            )
        )
    return sals


@api.get(
    "/service_at_locations",
    url_name="service_at_location_list",
    summary="Paginated list of services at locations.",
)
def service_at_location_list(request: HttpRequest, filters: Query[ServiceAtLocationParams]) -> Any:
    _check(request, ServiceAtLocationParams)
    nodes = hs.SERVICE_AT_LOCATION_FULL if filters.full else hs.SERVICE_AT_LOCATION_LIST
    return _page(_service_at_locations(filters), filters, "service_at_location", nodes)


@api.get(
    "/service_at_locations/{id}",
    url_name="service_at_location_detail",
    summary="A fully nested service at location.",
)
def service_at_location_detail(request: HttpRequest, id: str) -> Any:
    _check(request, None)
    return _one(ServiceAtLocation, id, "service_at_location", hs.SERVICE_AT_LOCATION_FULL)


@api.get("/taxonomies", url_name="taxonomy_list", summary="Paginated list of taxonomies.")
def taxonomy_list(request: HttpRequest, filters: Query[TaxonomyParams]) -> Any:
    _check(request, TaxonomyParams)
    taxonomies = _search(Taxonomy.objects.all(), filters.search, "name", "description")
    return _page(taxonomies, filters, "taxonomy", ())


@api.get("/taxonomies/{id}", url_name="taxonomy_detail", summary="A taxonomy.")
def taxonomy_detail(request: HttpRequest, id: str) -> Any:
    _check(request, None)
    return _one(Taxonomy, id, "taxonomy", ())


@api.get(
    "/taxonomy_terms", url_name="taxonomy_term_list", summary="Paginated list of taxonomy terms."
)
def taxonomy_term_list(request: HttpRequest, filters: Query[TaxonomyTermParams]) -> Any:
    _check(request, TaxonomyTermParams)
    terms = _search(TaxonomyTerm.objects.all(), filters.search, "name", "description", "code")
    if filters.taxonomy_id is not None:
        terms = terms.filter(taxonomy_detail_id=filters.taxonomy_id)
    if filters.top_only:
        terms = terms.filter(parent_id__isnull=True)
    if filters.parent_id is not None:
        terms = terms.filter(parent_id=filters.parent_id)
    return _page(terms, filters, "taxonomy_term", hs.TAXONOMY_TERM)


@api.get("/taxonomy_terms/{id}", url_name="taxonomy_term_detail", summary="A taxonomy term.")
def taxonomy_term_detail(request: HttpRequest, id: str) -> Any:
    _check(request, None)
    return _one(TaxonomyTerm, id, "taxonomy_term", hs.TAXONOMY_TERM)
