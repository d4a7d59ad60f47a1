"""The directory's search index: one denormalized row per active service at a location.

`directory_searchrow` (model SearchRow) holds what the public search filters on (the place, the
organization's kind and pathways, languages, free, wheelchair access, the needs) and the text
it ranks, so a search reads one table instead of joining nine. The full-text side is
vendor-specific (migration 0004):

- SQLite: an FTS5 table over the row's text (porter stemming, unicode61, bm25 ranking), kept
  in step with the rows by triggers.
- PostgreSQL: a generated, weighted tsvector column (service name A, organization B,
  description C, needs and organization description D) with a GIN index (ts_rank ranking).

The rows are derived data. Whatever writes the directory keeps them true:

- `search_index_refresh(service_ids=...)` rebuilds the rows of those services (by Service pk);
  a service that is gone, inactive or whose organization is inactive loses its rows.
- `search_index_rebuild()` rebuilds every row.
- ORM saves and deletes of the records a row is made from (services, their locations and
  pairings, organizations, need tags, terms, languages, cost options, accessibility) refresh
  the services concerned through signals, at once. Bulk writes (bulk_create, update(), raw SQL,
  the HSDS import) send no signals: they must call `search_index_refresh` themselves.
- `search_index_deferred()` collects the signal refreshes of a block and runs them once at its
  end (the demo build uses it).
"""

import functools
import math
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.models import Model, Q
from django.db.models.signals import post_delete, post_save

from rosc.accounts.models import Organization
from rosc.directory.models import (
    Accessibility,
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    Phone,
    SearchRow,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)

CHUNK = 2000
# An import naming more records than this rebuilds the whole index instead.
REBUILD_ABOVE = 50_000
ACTIVE = "active"
# Column weights of bm25 on SQLite, in the FTS table's column order.
BM25_WEIGHTS = (10.0, 5.0, 2.0, 1.0, 0.0)
MAX_WORDS = 8
# The place tokens of the FTS table: grid cells of a quarter degree and of a degree.
FINE, COARSE = 4, 1
MAX_CELLS = 40
TEXT_COLUMNS = "{name org_name description keywords}"
_WORD = re.compile(r"[^\W_]+")


# --- building rows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexModels:
    """The model classes the rows are built from: the live ones, or a migration's."""

    Service: Any
    ServiceAtLocation: Any
    Attribute: Any
    TaxonomyTerm: Any
    Language: Any
    CostOption: Any
    Accessibility: Any
    SearchRow: Any
    Address: Any
    Phone: Any


LIVE = IndexModels(
    Service=Service,
    ServiceAtLocation=ServiceAtLocation,
    Attribute=Attribute,
    TaxonomyTerm=TaxonomyTerm,
    Language=Language,
    CostOption=CostOption,
    Accessibility=Accessibility,
    SearchRow=SearchRow,
    Address=Address,
    Phone=Phone,
)

_PAIR_COLUMNS = (
    "pk",
    "service__pk",
    "service_id",
    "location_id",
    "description",
    "service__name",
    "service__alternate_name",
    "service__description",
    "service__fees_description",
    "service__organization__name",
    "service__organization__alternate_name",
    "service__organization__description",
    "service__organization__kind",
    "service__organization__recovery_pathways",
    "service__organization__time_zone",
    "location__latitude",
    "location__longitude",
    "public_id",
    "service__organization__public_id",
    "service__organization__peer_led",
    "service__organization__accepting_new_people",
)
# Kinds of organization whose peer-led ones carry the "peer-led RCO" badge (Organization).
PEER_LED_KINDS = {"rco", "recovery_center", "recovery_cafe"}


def _cell(per_degree: int, latitude: float, longitude: float) -> str:
    """A grid cell as one token: 'zf1164x649' (quarter degrees) or 'zc1041x912' (degrees)."""
    kind = "f" if per_degree == FINE else "c"
    lat = math.floor(latitude * per_degree) + 1000
    lng = math.floor(longitude * per_degree) + 1000
    return f"z{kind}{lat}x{lng}"


def _need_tag(term_hex: str) -> str:
    return f"zn{term_hex}0"  # the trailing digit keeps the stemmer off it


def row_tags(latitude: float | None, longitude: float | None, term_hexes: Iterable[str]) -> str:
    """The FTS tokens of a row's place (a fine and a coarse grid cell) and needs."""
    tags = [_need_tag(t) for t in sorted(term_hexes)]
    if latitude is not None and longitude is not None:
        tags += [_cell(FINE, latitude, longitude), _cell(COARSE, latitude, longitude)]
    return " ".join(tags)


def box_cells(box: tuple[float, float, float, float]) -> list[str]:
    """The grid cells covering a box, at the finest grid that needs few ([] when too many)."""
    min_lat, max_lat, min_lng, max_lng = box
    for per_degree in (FINE, COARSE):
        lats = range(math.floor(min_lat * per_degree), math.floor(max_lat * per_degree) + 1)
        lngs = range(math.floor(min_lng * per_degree), math.floor(max_lng * per_degree) + 1)
        if len(lats) * len(lngs) <= MAX_CELLS:
            return [
                _cell(per_degree, (a + 0.5) / per_degree, (b + 0.5) / per_degree)
                for a in lats
                for b in lngs
            ]
    return []


def _bars(values: Iterable[str]) -> str:
    """'|a|b|': a list one instr()/strpos() can test for a member."""
    kept = sorted({v for v in values if v})
    return "|" + "|".join(kept) + "|" if kept else ""


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def build_rows(m: IndexModels, service_pks: list[int] | None) -> list[dict[str, Any]]:
    """The SearchRow rows of the services given (None: every service), as {attname: value}."""
    pairs = m.ServiceAtLocation.objects.filter(
        service__status=ACTIVE, service__organization__is_active=True
    )
    if service_pks is not None:
        pairs = pairs.filter(service__pk__in=service_pks)
    found = list(pairs.values_list(*_PAIR_COLUMNS))
    if not found:
        return []
    every = service_pks is None
    service_ids = {p[2] for p in found}
    location_ids = {p[3] for p in found}

    def only(qs: Any, **lookups: set[Any]) -> Any:
        return qs if every else qs.filter(**{f"{k}__in": v for k, v in lookups.items()})

    needs: dict[uuid.UUID, set[str]] = {}
    need_names: dict[uuid.UUID, set[str]] = {}
    attributes = only(
        m.Attribute.objects.filter(link_entity="service"), link_id=service_ids
    ).values_list("link_id", "taxonomy_term_id", "taxonomy_term__name")
    for link_id, term_id, term_name in attributes:
        needs.setdefault(link_id, set()).add(uuid.UUID(str(term_id)).hex)
        need_names.setdefault(link_id, set()).add(term_name)

    languages: dict[tuple[str, uuid.UUID], set[str]] = {}
    spoken = m.Language.objects.all()
    if not every:
        spoken = spoken.filter(Q(service_id__in=service_ids) | Q(location_id__in=location_ids))
    for service_id, location_id, name, code in spoken.values_list(
        "service_id", "location_id", "name", "code"
    ):
        words = {name.strip().lower(), code.strip().lower()}
        if service_id:
            languages.setdefault(("service", service_id), set()).update(words)
        if location_id:
            languages.setdefault(("location", location_id), set()).update(words)

    free: set[uuid.UUID] = set()
    costs = only(m.CostOption.objects.all(), service_id=service_ids)
    for service_id, amount, option in costs.values_list("service_id", "amount", "option"):
        if amount == 0 or "free" in option.lower():
            free.add(service_id)

    wheelchair: set[uuid.UUID] = set()
    access = only(m.Accessibility.objects.exclude(location_id=None), location_id=location_ids)
    for location_id, description, details in access.values_list(
        "location_id", "description", "details"
    ):
        if "wheelchair" in f"{description} {details}".lower():
            wheelchair.add(location_id)

    addresses: dict[uuid.UUID, list[str]] = {}
    lines = only(m.Address.objects.order_by("public_id"), location_id=location_ids)
    for location_id, line, city in lines.values_list("location_id", "address_1", "city"):
        addresses.setdefault(location_id, []).append(_join(line + ",", city).rstrip(","))

    phones: dict[uuid.UUID, str] = {}
    numbers = only(m.Phone.objects.exclude(service_id=None), service_id=service_ids)
    for service_id, number in numbers.order_by("public_id").values_list("service_id", "number"):
        phones.setdefault(service_id, number)

    rows = []
    for (
        pk,
        service_pk,
        service_id,
        location_id,
        pair_description,
        name,
        alternate_name,
        description,
        fees,
        org_name,
        org_alternate_name,
        org_description,
        kind,
        pathways,
        time_zone,
        latitude,
        longitude,
        pair_id,
        org_id,
        peer_led,
        accepting,
    ) in found:
        rows.append(
            dict(
                sal_id=pk,
                service_id=service_pk,
                latitude=latitude,
                longitude=longitude,
                kind=kind,
                time_zone=time_zone,
                pathways=_bars(pathways or []),
                languages=_bars(
                    languages.get(("service", service_id), set())
                    | languages.get(("location", location_id), set())
                ),
                terms=_bars(needs.get(service_id, set())),
                free=service_id in free or "free" in fees.lower(),
                wheelchair=location_id in wheelchair,
                name=_join(name, alternate_name),
                org_name=_join(org_name, org_alternate_name),
                description=_join(description, pair_description),
                keywords=_join(*sorted(need_names.get(service_id, set())), org_description),
                tags=row_tags(latitude, longitude, needs.get(service_id, set())),
                sal_uuid=pair_id,
                service_uuid=service_id,
                location_uuid=location_id,
                organization_uuid=org_id,
                service_name=name,
                organization_name=org_name,
                peer_led_rco=bool(peer_led) and kind in PEER_LED_KINDS,
                accepting_new_people=accepting,
                address="; ".join(addresses.get(location_id, [])),
                phone=phones.get(service_id, ""),
                need_names=sorted(need_names.get(service_id, set())),
            )
        )
    return rows


GIN_INDEXES = ("directory_searchrow_document", "directory_searchrow_place_need")


def _analyze(table: str) -> None:
    """After a rebuild on PostgreSQL: the new rows merged into the GIN indexes (rather than
    left in their pending lists, which every search would scan) and fresh planner statistics."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for index in GIN_INDEXES:
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def refresh_with(m: IndexModels, service_pks: Iterable[int] | None) -> None:
    """Rebuild the rows of these services (None: all) with the model classes given."""
    if service_pks is None:
        m.SearchRow.objects.all().delete()
        rows = build_rows(m, None)
        # Stored in the order of the place, so the rows near a place share pages.
        rows.sort(
            key=lambda r: (r["latitude"] is None, r["latitude"] or 0.0, r["longitude"] or 0.0)
        )
        _insert(m.SearchRow, rows)
        _analyze(m.SearchRow._meta.db_table)
        return
    pks = sorted(set(service_pks))
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        rows = build_rows(m, chunk)
        m.SearchRow.objects.filter(
            Q(service_id__in=chunk) | Q(sal_id__in=[r["sal_id"] for r in rows])
        ).delete()
        _insert(m.SearchRow, rows)


def _insert(model: Any, rows: list[dict[str, Any]]) -> None:
    """INSERT the rows (of build_rows) into the model's table: COPY on PostgreSQL, executemany
    on SQLite. Raw, because bulk_create's compiling of every value of every row was most of an
    import's index refresh (its values are plain: text, numbers, booleans, ids, one list)."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    native_uuid = connection.features.has_native_uuid_field

    def prepared(field: Any) -> Any:
        if isinstance(field, models.UUIDField):
            if native_uuid:
                return None
            return lambda v: (
                v.hex if isinstance(v, uuid.UUID) else field.get_db_prep_save(v, connection)
            )
        if isinstance(field, models.JSONField):
            return lambda v: field.get_db_prep_save(v, connection)
        return None

    preps = [prepared(f) for f in fields]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    values = (
        tuple(
            v if prep is None else prep(v)
            for v, prep in zip((row[n] for n in names), preps, strict=True)
        )
        for row in rows
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - model names
            batch = list(values)
            for start in range(0, len(batch), CHUNK):
                cursor.executemany(sql, batch[start : start + CHUNK])


def search_index_refresh(*, service_ids: Iterable[int]) -> None:
    """Make the index rows of these services (Service pks) true again; gone services lose theirs.

    Call it after any write the signals do not see (bulk_create, update(), raw SQL), inside
    the same transaction.
    """
    refresh_with(LIVE, list(service_ids))


def search_index_rebuild() -> None:
    """Every row of the index, rebuilt from the directory."""
    refresh_with(LIVE, None)


def search_index_refresh_hsds_ids(ids: Iterable[Any]) -> None:
    """Refresh the services an import touched: `ids` are HSDS ids of any records it wrote.

    A service is refreshed when its own id, its organization's, or one of its locations' is
    among them (need tags, languages, costs and accessibility name their service or location).
    """
    named = {v for v in ids if isinstance(v, str | uuid.UUID)}
    if len(named) > REBUILD_ABOVE:  # (counted before parsing: a big import names many)
        search_index_rebuild()
        return
    wanted: set[uuid.UUID] = set()
    for value in named:
        if isinstance(value, uuid.UUID):
            wanted.add(value)
        elif isinstance(value, str) and 32 <= len(value) <= 38:
            try:
                wanted.add(uuid.UUID(value))
            except ValueError:
                continue
    found: set[int] = set()
    listed = sorted(wanted)
    for start in range(0, len(listed), CHUNK):
        chunk = listed[start : start + CHUNK]
        found.update(
            Service.objects.filter(
                Q(public_id__in=chunk)
                | Q(organization_id__in=chunk)
                | Q(service_at_locations__location_id__in=chunk)
            ).values_list("pk", flat=True)
        )
    search_index_refresh(service_ids=found)


# --- keeping rows true on ORM writes ---------------------------------------------------------

_PENDING: ContextVar[set[int] | None] = ContextVar("search_index_pending", default=None)


@contextmanager
def search_index_deferred() -> Iterator[None]:
    """Within the block, signal refreshes are collected and run once when it ends well."""
    if _PENDING.get() is not None:
        yield
        return
    pending: set[int] = set()
    token = _PENDING.set(pending)
    try:
        yield
    finally:
        _PENDING.reset(token)
    search_index_refresh(service_ids=pending)


def _services_of(instance: Model) -> set[int]:
    """Pks of the services whose rows are built (in part) from this record."""
    services = Service.objects.all()
    if isinstance(instance, Service):
        return {instance.pk}
    if isinstance(instance, ServiceAtLocation):
        services = services.filter(public_id=instance.service_id)
    elif isinstance(instance, Location):
        services = services.filter(
            service_at_locations__location_id=instance.public_id  # type: ignore[misc]
        )
    elif isinstance(instance, Organization):
        services = services.filter(organization_id=instance.public_id)  # type: ignore[misc]
    elif isinstance(instance, Attribute):
        if instance.link_entity != "service":
            return set()
        services = services.filter(public_id=instance.link_id)
    elif isinstance(instance, TaxonomyTerm):
        tagged = Attribute.objects.filter(
            taxonomy_term_id=instance.public_id,  # type: ignore[misc]
            link_entity="service",
        ).values("link_id")
        services = services.filter(public_id__in=tagged)
    elif isinstance(instance, Language | CostOption | Accessibility | Address | Phone):
        service_id = getattr(instance, "service_id", None)
        location_id = getattr(instance, "location_id", None)
        if service_id is None and location_id is None:
            return set()
        where = Q()
        if service_id is not None:
            where |= Q(public_id=service_id)
        if location_id is not None:
            where |= Q(service_at_locations__location_id=location_id)
        services = services.filter(where)
    else:
        return set()
    return set(services.values_list("pk", flat=True))


def _changed(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata: the records may not all be there yet
        return
    pks = _services_of(instance)
    pending = _PENDING.get()
    if pending is not None:
        pending.update(pks)
    elif pks:
        search_index_refresh(service_ids=pks)


WATCHED: tuple[type[Model], ...] = (
    Service,
    ServiceAtLocation,
    Location,
    Organization,
    Attribute,
    TaxonomyTerm,
    Language,
    CostOption,
    Accessibility,
    Address,
    Phone,
)


def connect_signals() -> None:
    """Called once from DirectoryConfig.ready()."""
    for model in WATCHED:
        uid = f"search_index:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + ":delete")


# --- querying ----------------------------------------------------------------------------------


def query_words(text: str) -> list[str]:
    """The words of what someone typed: letters and digits only, so no input is FTS syntax."""
    return _WORD.findall(text.lower())[:MAX_WORDS]


@dataclass(frozen=True)
class RowQuery:
    """What service_search asks of the index (the place already turned into numbers)."""

    box: tuple[float, float, float, float] | None = None  # min_lat, max_lat, min_lng, max_lng
    center: tuple[float, float] | None = None
    radius_miles: float = 25.0
    terms: tuple[str, ...] = ()  # hex term ids; any of them
    kind: str = ""
    language: str = ""
    pathway: str = ""
    free: bool = False
    wheelchair: bool = False
    words: tuple[str, ...] = ()
    order: str = "name"  # "distance", "relevance" or "name"


@dataclass(frozen=True)
class RowHit:
    sal_pk: int
    time_zone: str
    distance: float | None
    score: float


@functools.lru_cache(maxsize=4096)
def _pg_tsquery(words: tuple[str, ...]) -> str:
    """The words as PostgreSQL's canonical tsquery text ('' when all are stop words). The
    answer depends only on the words and the built-in 'english' configuration, and searches
    use few words over and over: kept per process, it spares most searches a round trip."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT plainto_tsquery('english', %s)::text", [" ".join(words)])
        return str(cursor.fetchone()[0])


def search_sql(q: RowQuery, *, limit: int | None, offset: int = 0) -> tuple[str, list[Any]]:
    """One statement: the matching rows in order, each with the count of all of them:
    (sal_id, time_zone, distance, score, count, id, name) a row."""
    pg = connection.vendor == "postgresql"
    params: list[Any] = []
    where: list[str] = []
    source = "directory_searchrow r"
    score = "0.0"
    distance = "NULL"
    if q.words:
        if pg:
            tsquery = _pg_tsquery(q.words)
            if tsquery:
                source += ", CAST(%s AS tsquery) tq"
                params.append(tsquery)
                where.append("r.document @@ tq")
                score = "ts_rank(r.document, tq)"
        else:
            # One FTS query narrows by the words (in the text columns), the place (grid cells)
            # and the need at once; the rows it finds are then checked exactly.
            match = [f'{TEXT_COLUMNS} : "{w}"' for w in q.words]
            cells = box_cells(q.box) if q.box is not None else []
            if cells:
                match.append("tags : (" + " OR ".join(cells) + ")")
            if q.terms:
                match.append("tags : (" + " OR ".join(_need_tag(t) for t in q.terms) + ")")
            source = (
                "directory_searchrow_fts CROSS JOIN directory_searchrow r "
                "ON r.id = directory_searchrow_fts.rowid"
            )
            where.append("directory_searchrow_fts MATCH %s")
            params.append(" AND ".join(match))
            if q.order == "relevance":
                weights = ", ".join(str(w) for w in BM25_WEIGHTS)
                score = f"-bm25(directory_searchrow_fts, {weights})"
    select_params: list[Any] = []
    if q.center is not None:
        lat, lng = q.center
        least = "LEAST" if pg else "min"
        distance = (
            f"2 * 3958.8 * asin(sqrt({least}(1.0, "
            "power(sin(radians(r.latitude - %s) / 2), 2) "
            "+ cos(radians(%s)) * cos(radians(r.latitude)) "
            "* power(sin(radians(r.longitude - %s) / 2), 2))))"
        )
        select_params = [lat, lat, lng]
    if pg and (q.box is not None or q.terms):
        tags = []
        cells = box_cells(q.box) if q.box is not None else []
        if cells:
            tags.append("(" + " | ".join(cells) + ")")
        if q.terms:
            tags.append("(" + " | ".join(_need_tag(t) for t in q.terms) + ")")
        if tags:
            where.append("r.place_need @@ CAST(%s AS tsquery)")
            params.append(" & ".join(tags))
    if q.box is not None:
        where.append("r.latitude BETWEEN %s AND %s AND r.longitude BETWEEN %s AND %s")
        params.extend(q.box)
    member = "strpos" if pg else "instr"
    if q.terms:
        where.append("(" + " OR ".join(f"{member}(r.terms, %s) > 0" for _ in q.terms) + ")")
        params.extend(f"|{t}|" for t in q.terms)
    for column, value in (("kind", q.kind), ("pathways", q.pathway), ("languages", q.language)):
        if value:
            if column == "kind":
                where.append("r.kind = %s")
                params.append(value)
            else:
                where.append(f"{member}(r.{column}, %s) > 0")
                params.append(f"|{value}|")
    if q.free:
        where.append("r.free")
    if q.wheelchair:
        where.append("r.wheelchair")
    inner = (
        f"SELECT r.id, r.sal_id, r.time_zone, r.name, {distance} AS distance, {score} AS score "  # noqa: S608
        f"FROM {source} WHERE {' AND '.join(where) or '1 = 1'}"
    )
    outer_where = ""
    if q.center is not None:
        outer_where = "WHERE s.distance <= %s"
    sql = (
        "SELECT s.sal_id, s.time_zone, s.distance, s.score, COUNT(*) OVER (), s.id, s.name "  # noqa: S608
        f"FROM ({inner}) s {outer_where} ORDER BY {search_order(q, 's')}"
    )
    all_params = select_params + params + ([q.radius_miles] if q.center is not None else [])
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        all_params += [limit, offset]
    return sql, all_params


def search_order(q: RowQuery, alias: str) -> str:
    """ORDER BY of search_sql's rows, for its columns under `alias`: distance, score, name and
    id (the last, so that pages never overlap)."""
    keys = {
        "distance": ("distance", "name", "id"),
        "relevance": ("score DESC", "distance", "name", "id"),
    }.get(q.order, ("name", "id"))
    return ", ".join(f"{alias}.{key}" for key in keys)


def search_rows(q: RowQuery, *, limit: int | None, offset: int = 0) -> tuple[list[RowHit], int]:
    """A slice of the matching rows, and how many match in all (0 when the slice is empty)."""
    sql, params = search_sql(q, limit=limit, offset=offset)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    total = found[0][4] if found else 0
    return [RowHit(r[0], r[1], r[2], float(r[3] or 0.0)) for r in found], total
