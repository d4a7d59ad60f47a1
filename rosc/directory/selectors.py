"""Public reads of the directory: search and listings. The directory is public data, so these
take no actor; nothing here touches participant records."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from rosc.accounts.models import Organization
from rosc.directory.models import (
    Attribute,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from rosc.directory.places import Place, bounding_box, distance_miles
from rosc.directory.taxonomy import TAXONOMY_ID

STALE_AFTER = timedelta(days=365)
# How many candidate rows a search reads before the checks done in Python (pathway, open now).
CANDIDATE_LIMIT = 5000
# Up to this many places near the searcher are passed to the database as a list of ids.
NEARBY_LIMIT = 20000
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class SearchFilters:
    place: Place | None = None
    radius_miles: float = 25.0
    term: UUID | None = None
    kind: str = ""
    language: str = ""
    pathway: str = ""
    free_only: bool = False
    open_now: bool = False
    wheelchair: bool = False
    text: str = ""
    sort: str = "distance"  # or "relevance"


@dataclass
class Hit:
    sal: ServiceAtLocation
    distance: float | None = None
    score: float = 0.0
    open_now: bool | None = None
    terms: list[TaxonomyTerm] = field(default_factory=list)

    @property
    def service(self) -> Service:
        return self.sal.service

    @property
    def organization(self) -> Organization:
        return self.sal.service.organization


@dataclass
class SearchResults:
    """One page of hits, and how many there are in all."""

    hits: list[Hit]
    total: int
    number: int
    per_page: int

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


@dataclass
class _Candidate:
    pk: int
    sal_id: UUID
    service_id: UUID
    location_id: UUID
    zone: str
    distance: float | None = None
    score: float = 0.0
    open_now: bool | None = None


def recovery_terms() -> QuerySet[TaxonomyTerm]:
    """The needs people can search by: the shipped recovery-support taxonomy's terms."""
    return TaxonomyTerm.objects.filter(taxonomy_detail__public_id=TAXONOMY_ID).order_by("name")


def is_stale(organization: Organization, today: date | None = None) -> bool:
    verified = organization.last_verified_on
    return verified is None or (today or timezone.localdate()) - verified > STALE_AFTER


def _zone(organization: Organization) -> ZoneInfo:
    try:
        return ZoneInfo(organization.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def schedule_open_at(schedule: Schedule, local: datetime) -> bool:
    """Whether a weekly schedule row is open at the local (wall-clock) time given."""
    if schedule.opens_at is None or schedule.closes_at is None:
        return False
    day = local.date()
    if (schedule.valid_from and day < schedule.valid_from) or (
        schedule.valid_to and day > schedule.valid_to
    ):
        return False
    if schedule.freq not in ("", Schedule.Freq.WEEKLY):
        return False
    days = {d.strip().upper()[-2:] for d in schedule.byday.split(",") if d.strip()}
    if days and WEEKDAYS[local.weekday()] not in days:
        return False
    now = local.time()
    if schedule.opens_at <= schedule.closes_at:
        return schedule.opens_at <= now < schedule.closes_at
    return now >= schedule.opens_at or now < schedule.closes_at  # open past midnight


def _schedules_by_owner(candidates: list[_Candidate]) -> dict[tuple[str, UUID], list[Schedule]]:
    """Every schedule of the candidates' pairings, services and locations, in one query."""
    owners = (
        Q(service_at_location_id__in={c.sal_id for c in candidates})
        | Q(service_id__in={c.service_id for c in candidates})
        | Q(location_id__in={c.location_id for c in candidates})
    )
    found: dict[tuple[str, UUID], list[Schedule]] = {}
    for schedule in Schedule.objects.filter(owners):
        if schedule.service_at_location_id:
            found.setdefault(("sal", schedule.service_at_location_id), []).append(schedule)
        if schedule.service_id:
            found.setdefault(("service", schedule.service_id), []).append(schedule)
        if schedule.location_id:
            found.setdefault(("location", schedule.location_id), []).append(schedule)
    return found


def _mark_open(candidates: list[_Candidate], at: datetime) -> None:
    """open_now on each candidate: True/False from its schedules, None when it has none."""
    schedules = _schedules_by_owner(candidates)
    zones: dict[str, ZoneInfo] = {}
    for c in candidates:
        rows = [
            *schedules.get(("sal", c.sal_id), []),
            *schedules.get(("service", c.service_id), []),
            *schedules.get(("location", c.location_id), []),
        ]
        if not rows:
            c.open_now = None
            continue
        if c.zone not in zones:
            try:
                zones[c.zone] = ZoneInfo(c.zone)
            except (ZoneInfoNotFoundError, ValueError):
                zones[c.zone] = ZoneInfo("UTC")
        local = at.astimezone(zones[c.zone])
        c.open_now = any(schedule_open_at(s, local) for s in rows)


def _text_score(words: list[str], texts: tuple[str, ...]) -> float:
    """Name matches count most, then the organization's names, then the descriptions."""
    weights = (3.0, 2.0, 2.0, 1.0, 0.5)
    lowered = [t.lower() for t in texts]
    return sum(
        w * text.count(word) for word in words for text, w in zip(lowered, weights, strict=True)
    )


def _services_with_term(term: UUID) -> QuerySet[Attribute, UUID]:
    """Ids of the services tagged with the term or one of its children.

    The term ids are looked up first so the attribute filter stays on its index. (The foreign
    keys point at `public_id`, which django-stubs does not model: hence the ignores.)
    """
    children = TaxonomyTerm.objects.filter(parent_id=term)  # type: ignore[misc]
    terms = [term, *children.values_list("public_id", flat=True)]
    return Attribute.objects.filter(
        taxonomy_term_id__in=terms,  # type: ignore[misc]
        link_entity="service",
    ).values_list("link_id", flat=True)


def _filtered(filters: SearchFilters, words: list[str]) -> QuerySet[ServiceAtLocation]:
    rows = ServiceAtLocation.objects.filter(service__status=Service.Status.ACTIVE)
    if filters.place is not None:
        min_lat, max_lat, min_lng, max_lng = bounding_box(filters.place, filters.radius_miles)
        # The places inside the box first, on the (latitude, longitude) index, as a plain list:
        # otherwise a planner may start from a broad filter (a common need) and scan far more.
        nearby = Location.objects.filter(
            latitude__range=(min_lat, max_lat), longitude__range=(min_lng, max_lng)
        ).values_list("public_id", flat=True)
        ids = list(nearby[: NEARBY_LIMIT + 1])
        rows = rows.filter(
            location_id__in=ids if len(ids) <= NEARBY_LIMIT else nearby  # type: ignore[misc]
        )
    if filters.term is not None:
        rows = rows.filter(service__public_id__in=_services_with_term(filters.term))
    if filters.kind:
        rows = rows.filter(service__organization__kind=filters.kind)
    if filters.language:
        lang = filters.language.strip()
        rows = rows.filter(
            Q(service__languages__code__iexact=lang)
            | Q(service__languages__name__iexact=lang)
            | Q(location__languages__code__iexact=lang)
            | Q(location__languages__name__iexact=lang)
        )
    if filters.free_only:
        rows = rows.filter(
            Q(service__cost_options__amount=0)
            | Q(service__fees_description__icontains="free")
            | Q(service__cost_options__option__icontains="free")
        )
    if filters.wheelchair:
        rows = rows.filter(
            Q(location__accessibility__description__icontains="wheelchair")
            | Q(location__accessibility__details__icontains="wheelchair")
        )
    for word in words:
        rows = rows.filter(
            Q(service__name__icontains=word)
            | Q(service__description__icontains=word)
            | Q(service__organization__name__icontains=word)
            | Q(service__organization__alternate_name__icontains=word)
        )
    if filters.language or filters.free_only or filters.wheelchair:
        rows = rows.distinct()
    return rows


def service_search(
    filters: SearchFilters, *, page: int = 1, per_page: int = 20, at: datetime | None = None
) -> SearchResults:
    """Active services at locations matching every filter, nearest or most relevant first.

    The filters the database can answer run in SQL (the place as an indexed bounding box); the
    exact distance, the pathway and "open now" are checked on light rows; only the page shown
    is loaded as full records.
    """
    words = [w for w in filters.text.lower().split() if w][:8]
    columns = [
        "pk",
        "public_id",
        "service_id",
        "location_id",
        "service__organization__time_zone",
        "location__latitude",
        "location__longitude",
        "service__organization__recovery_pathways",
    ]
    text_columns = [
        "service__name",
        "service__organization__name",
        "service__organization__alternate_name",
        "service__description",
        "service__organization__description",
    ]
    ordered = _filtered(filters, words).order_by("service__name", "pk")
    candidates: list[_Candidate] = []
    for row in ordered.values_list(*columns, *(text_columns if words else []))[:CANDIDATE_LIMIT]:
        pk, sal_id, service_id, location_id, zone, lat, lng, pathways = row[:8]
        c = _Candidate(pk, sal_id, service_id, location_id, zone)
        if filters.place is not None:
            if lat is None or lng is None:
                continue
            c.distance = distance_miles(filters.place.latitude, filters.place.longitude, lat, lng)
            if c.distance > filters.radius_miles:
                continue
        if filters.pathway and filters.pathway not in (pathways or []):
            continue
        if words:
            c.score = _text_score(words, tuple(t or "" for t in row[8:]))
        candidates.append(c)
    at = at or timezone.now()
    if filters.open_now:
        _mark_open(candidates, at)
        candidates = [c for c in candidates if c.open_now]
    if filters.sort == "relevance" and words:
        candidates.sort(key=lambda c: (-c.score, c.distance or 0.0))
    elif filters.place is not None:
        candidates.sort(key=lambda c: c.distance or 0.0)
    total = len(candidates)
    last_page = max(1, -(-total // per_page))
    number = min(max(1, page), last_page)
    shown = candidates[(number - 1) * per_page : number * per_page]
    if not filters.open_now:
        _mark_open(shown, at)
    return SearchResults(_hydrate(shown), total, number, per_page)


def _hydrate(shown: list[_Candidate]) -> list[Hit]:
    """Full records, addresses, phones and terms for the hits on one page."""
    sals = (
        ServiceAtLocation.objects.select_related("service__organization", "location")
        .prefetch_related("location__addresses", "service__phones")
        .in_bulk([c.pk for c in shown])
    )
    hits = [Hit(sals[c.pk], c.distance, c.score, c.open_now) for c in shown]
    by_service: dict[UUID, list[TaxonomyTerm]] = {}
    for attr in Attribute.objects.filter(
        link_id__in={h.service.public_id for h in hits}, link_entity="service"
    ).select_related("taxonomy_term"):
        by_service.setdefault(attr.link_id, []).append(attr.taxonomy_term)
    for hit in hits:
        hit.terms = sorted(by_service.get(hit.service.public_id, []), key=lambda t: t.name)
    return hits


def organization_listing(organization_id: UUID) -> Organization:
    org = (
        Organization.objects.filter(public_id=organization_id, is_active=True)
        .prefetch_related(
            Prefetch(
                "services",
                queryset=Service.objects.filter(status=Service.Status.ACTIVE).prefetch_related(
                    "service_at_locations__location__addresses",
                    "schedules",
                    "phones",
                    "languages",
                    "cost_options",
                ),
            )
        )
        .first()
    )
    if org is None:
        raise Http404("Not found")
    return org


def service_listing(service_id: UUID) -> Service:
    service = (
        Service.objects.filter(public_id=service_id)
        .exclude(status=Service.Status.DEFUNCT)
        .select_related("organization")
        .prefetch_related(
            "service_at_locations__location__addresses",
            "service_at_locations__location__accessibility",
            "schedules",
            "phones",
            "languages",
            "cost_options",
        )
        .first()
    )
    if service is None or not service.organization.is_active:
        raise Http404("Not found")
    return service


def service_terms(service: Service) -> list[TaxonomyTerm]:
    return list(
        TaxonomyTerm.objects.filter(
            attributes__link_id=service.public_id, attributes__link_entity="service"
        ).order_by("name")
    )
