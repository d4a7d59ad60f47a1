"""Public reads of the directory: search and listings. The directory is public data, so these
take no actor; nothing here touches participant records."""

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from rosc.accounts.models import Organization
from rosc.core.ids import uuid_or_none
from rosc.directory.models import (
    Schedule,
    SearchRow,
    Service,
    TaxonomyTerm,
)
from rosc.directory.places import Place, bounding_box
from rosc.directory.search_index import RowQuery, query_words, search_order, search_rows, search_sql
from rosc.directory.taxonomy import TAXONOMY_ID

STALE_AFTER = timedelta(days=365)
# How many candidate rows a search reads before the checks done in Python (pathway, open now).
CANDIDATE_LIMIT = 5000
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class SearchFilters:
    place: Place | None = None
    radius_miles: float = 25.0
    term: UUID | None = None
    # The term's children when the caller read them already (need_choices), else read here.
    term_children: tuple[UUID, ...] | None = None
    kind: str = ""
    language: str = ""
    pathway: str = ""
    free_only: bool = False
    open_now: bool = False
    wheelchair: bool = False
    text: str = ""
    sort: str = "distance"  # or "relevance"


@dataclass(frozen=True)
class HitService:
    public_id: UUID
    name: str
    phone: str


@dataclass(frozen=True)
class HitOrganization:
    public_id: UUID
    name: str
    is_peer_led_rco: bool
    accepting_new_people: bool | None


@dataclass
class Hit:
    """One result as the results page shows it, read from the search index alone."""

    service: HitService
    organization: HitOrganization
    latitude: float | None
    longitude: float | None
    address: str
    terms: list[str]
    distance: float | None = None
    score: float = 0.0
    open_now: bool | None = None


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
    zone: str
    sal_id: UUID | None = None
    service_id: UUID | None = None
    location_id: UUID | None = None
    distance: float | None = None
    score: float = 0.0
    open_now: bool | None = None
    row: dict[str, Any] = field(default_factory=dict)
    schedules: list["ScheduleTimes"] = field(default_factory=list)


def recovery_terms() -> QuerySet[TaxonomyTerm]:
    """The needs people can search by: the shipped recovery-support taxonomy's terms."""
    return (
        TaxonomyTerm.objects.filter(taxonomy_detail__public_id=TAXONOMY_ID)
        .only("id", "public_id", "name", "parent_id")
        .order_by("name")
    )


@dataclass(frozen=True)
class NeedChoices:
    """The needs a search form offers, and the children of the one asked for (if any)."""

    choices: list[tuple[str, str]]  # (public id, name) of recovery_terms(), by name
    chosen: UUID | None
    children: tuple[UUID, ...]  # the chosen term's children, in any taxonomy


def need_choices(asked: object = None) -> NeedChoices:
    """recovery_terms() as choices and, for the need asked for (a public id as text), its
    children, which the search needs too (row_query): one query for both, read raw (fixed
    columns; the ORM's compiling cost ten times the statement)."""
    chosen = uuid_or_none(asked) if asked else None
    prep = TaxonomyTerm._meta.get_field("public_id").get_db_prep_value
    quote = connection.ops.quote_name
    table = quote(TaxonomyTerm._meta.db_table)
    sql = f"SELECT public_id, name, parent_id, taxonomy_id FROM {table} WHERE taxonomy_id = %s"  # noqa: S608
    params = [prep(TAXONOMY_ID, connection)]
    if chosen is not None:
        sql += " OR parent_id = %s"
        params.append(prep(chosen, connection))
    with connection.cursor() as cursor:
        cursor.execute(sql + " ORDER BY name", params)
        rows = cursor.fetchall()
    # Compared and written as text (the ids of a page's thirty-odd terms, parsed, cost more
    # than the statement): 32 hex digits on SQLite, UUIDs on PostgreSQL.
    taxonomy, asked_for = TAXONOMY_ID.hex, chosen.hex if chosen is not None else None
    choices, children = [], []
    for public_id, name, parent_id, taxonomy_id in rows:
        if _hex(taxonomy_id) == taxonomy:
            choices.append((_dashed(public_id), name))
        if asked_for is not None and parent_id is not None and _hex(parent_id) == asked_for:
            children.append(UUID(_hex(public_id)))
    return NeedChoices(choices, chosen, tuple(children))


def _hex(value: Any) -> str:
    """A UUID column as read raw (a UUID, or 32 hex digits on SQLite), as 32 hex digits."""
    return value.hex if isinstance(value, UUID) else value


def _dashed(value: Any) -> str:
    """A UUID column as read raw, as str(UUID) writes it."""
    if isinstance(value, UUID):
        return str(value)
    return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"


def is_stale(organization: Organization, today: date | None = None) -> bool:
    verified = organization.last_verified_on
    return verified is None or (today or timezone.localdate()) - verified > STALE_AFTER


def _zone(organization: Organization) -> ZoneInfo:
    try:
        return ZoneInfo(organization.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def schedule_open_at(schedule: "Schedule | ScheduleTimes", local: datetime) -> bool:
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


@dataclass(frozen=True)
class ScheduleTimes:
    """What schedule_open_at reads of a Schedule row, read without building the model."""

    valid_from: date | None
    valid_to: date | None
    freq: str
    byday: str
    opens_at: time | None
    closes_at: time | None


def _mark_open(candidates: list[_Candidate], at: datetime) -> None:
    """open_now on each candidate: True/False from its schedules, None when it has none."""
    zones: dict[str, ZoneInfo] = {}
    for c in candidates:
        if not c.schedules:
            c.open_now = None
            continue
        if c.zone not in zones:
            try:
                zones[c.zone] = ZoneInfo(c.zone)
            except (ZoneInfoNotFoundError, ValueError):
                zones[c.zone] = ZoneInfo("UTC")
        local = at.astimezone(zones[c.zone])
        c.open_now = any(schedule_open_at(s, local) for s in c.schedules)


def _need_ids(term: UUID, children: tuple[UUID, ...] | None = None) -> tuple[str, ...]:
    """The term and its children (read here unless given), as the index stores them (hex)."""
    if children is None:
        found = TaxonomyTerm.objects.filter(parent_id=term)  # type: ignore[misc]
        children = tuple(found.values_list("public_id", flat=True))
    return (term.hex, *sorted(c.hex for c in children))


def row_query(filters: SearchFilters) -> RowQuery:
    """The search as a question to the index (search_index.py)."""
    words = tuple(query_words(filters.text))
    place = filters.place
    if filters.sort == "relevance" and words:
        order = "relevance"
    else:
        order = "distance" if place is not None else "name"
    return RowQuery(
        box=bounding_box(place, filters.radius_miles) if place is not None else None,
        center=(place.latitude, place.longitude) if place is not None else None,
        radius_miles=filters.radius_miles,
        terms=_need_ids(filters.term, filters.term_children) if filters.term is not None else (),
        kind=filters.kind,
        language=filters.language.strip().lower().replace("|", ""),
        pathway=filters.pathway.replace("|", ""),
        free=filters.free_only,
        wheelchair=filters.wheelchair,
        words=words,
        order=order,
    )


def service_search(
    filters: SearchFilters, *, page: int = 1, per_page: int = 20, at: datetime | None = None
) -> SearchResults:
    """Active services at locations matching every filter, nearest or most relevant first.

    One query on the search index (search_index.py) filters, ranks, sorts, counts and cuts the
    page; only the page shown is loaded as full records. "Open now" depends on each place's
    time zone and schedules, so with that filter up to CANDIDATE_LIMIT rows are checked in
    Python first.
    """
    q = row_query(filters)
    at = at or timezone.now()
    number = max(1, page)
    if filters.open_now:
        candidates, _ = search_page(q, limit=CANDIDATE_LIMIT)
        _mark_open(candidates, at)
        candidates = [c for c in candidates if c.open_now]
        total = len(candidates)
        number = min(number, max(1, -(-total // per_page)))
        shown = candidates[(number - 1) * per_page : number * per_page]
        return SearchResults(_hits(shown), total, number, per_page)
    shown, total = search_page(q, limit=per_page, offset=(number - 1) * per_page)
    if not shown and number > 1:  # past the last page: show the last one
        _, total = search_rows(q, limit=1)
        number = max(1, -(-total // per_page))
        shown, total = search_page(q, limit=per_page, offset=(number - 1) * per_page)
    _mark_open(shown, at)
    return SearchResults(_hits(shown), total, number, per_page)


# What a result shows (directory/find.html) and "open now" needs, all from the index row.
PAGE_FIELDS = (
    "sal_id",
    "sal_uuid",
    "service_uuid",
    "location_uuid",
    "organization_uuid",
    "service_name",
    "organization_name",
    "peer_led_rco",
    "accepting_new_people",
    "latitude",
    "longitude",
    "address",
    "phone",
    "need_names",
)


def _uuid(value: Any) -> UUID | None:
    """A UUID column as read raw: a UUID (PostgreSQL) or 32 hex digits (SQLite)."""
    return value if value is None or isinstance(value, UUID) else UUID(value)


def _flag(value: Any) -> bool | None:
    """A boolean column as read raw: a bool (PostgreSQL) or 0/1 (SQLite)."""
    return value if value is None else bool(value)


_SCHEDULE_COLUMNS = ("id", "valid_from", "valid_to", "freq", "byday", "opens_at", "closes_at")


def _time(value: Any) -> time | None:
    return value if value is None or isinstance(value, time) else time.fromisoformat(value)


def _day(value: Any) -> date | None:
    return value if value is None or isinstance(value, date) else date.fromisoformat(value)


def page_sql(q: RowQuery, *, limit: int, offset: int = 0) -> tuple[str, list[Any]]:
    """The search's one statement: search_sql's slice of the matching rows (with the count of
    all), each joined to its index row's PAGE_FIELDS and to every schedule of its pairing,
    service and location (a row per schedule), in the search's order."""
    rows_sql, params = search_sql(q, limit=limit, offset=offset)
    quote = connection.ops.quote_name
    columns = ", ".join(
        [f"r.{quote(c)}" for c in PAGE_FIELDS] + [f"sc.{quote(c)}" for c in _SCHEDULE_COLUMNS]
    )
    sql = (
        f"SELECT p.*, {columns} FROM ({rows_sql}) p "  # noqa: S608 - names from the models
        f"JOIN {quote(SearchRow._meta.db_table)} r ON r.id = p.id "
        f"LEFT JOIN {quote(Schedule._meta.db_table)} sc "
        "ON (sc.service_at_location_id = r.sal_uuid OR sc.service_id = r.service_uuid "
        "OR sc.location_id = r.location_uuid) "
        f"ORDER BY {search_order(q, 'p')}, sc.id"
    )
    return sql, params


_SEARCH_WIDTH = 7  # the columns of search_sql's rows, before the page's


def search_page(q: RowQuery, *, limit: int, offset: int = 0) -> tuple[list[_Candidate], int]:
    """The rows of one page (or of the candidates for "open now"), in order, with what the
    page shows and their schedules; and how many match in all (0 when the slice is empty).
    One statement, read raw: the columns are fixed, and that spares the ORM's compiling and
    converting and, on PostgreSQL, a round trip for the page's rows."""
    sql, params = page_sql(q, limit=limit, offset=offset)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    page: dict[int, _Candidate] = {}
    end = _SEARCH_WIDTH + len(PAGE_FIELDS)
    for values in found:
        sal_pk = values[0]
        candidate = page.get(sal_pk)
        if candidate is None:
            row = dict(zip(PAGE_FIELDS, values[_SEARCH_WIDTH:end], strict=True))
            for name in ("sal_uuid", "service_uuid", "location_uuid", "organization_uuid"):
                row[name] = _uuid(row[name])
            row["peer_led_rco"] = bool(row["peer_led_rco"])
            row["accepting_new_people"] = _flag(row["accepting_new_people"])
            names = row["need_names"]
            row["need_names"] = json.loads(names) if isinstance(names, str) else names
            candidate = page[sal_pk] = _Candidate(
                sal_pk,
                values[1],
                sal_id=row["sal_uuid"],
                service_id=row["service_uuid"],
                location_id=row["location_uuid"],
                distance=values[2],
                score=float(values[3] or 0.0),
                row=row,
            )
        schedule_id, valid_from, valid_to, freq, byday, opens_at, closes_at = values[end:]
        if schedule_id is not None:
            candidate.schedules.append(
                ScheduleTimes(
                    _day(valid_from), _day(valid_to), freq, byday, _time(opens_at), _time(closes_at)
                )
            )
    return list(page.values()), (found[0][4] if found else 0)


def _hits(shown: list[_Candidate]) -> list[Hit]:
    return [
        Hit(
            service=HitService(c.row["service_uuid"], c.row["service_name"], c.row["phone"]),
            organization=HitOrganization(
                c.row["organization_uuid"],
                c.row["organization_name"],
                c.row["peer_led_rco"],
                c.row["accepting_new_people"],
            ),
            latitude=c.row["latitude"],
            longitude=c.row["longitude"],
            address=c.row["address"],
            terms=list(c.row["need_names"] or []),
            distance=c.distance,
            score=c.score,
            open_now=c.open_now,
        )
        for c in shown
    ]


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
