"""Public search at /find/: place + radius + need + text, through Django's full request stack.

Scale: BENCH_SEARCH_SERVICES services (default 100,000) at 60% as many locations for 30% as
many organizations, spread over Illinois, each service with one to three recovery-support terms
and weekday hours. Each query is a random Illinois ZIP code, 25 miles, "recovery coaching" and
the word "recovery". The floor is the statement service_search runs on the search index for the
same search (filter, rank, distance, count, cut the page and read its rows and their schedules,
in one query), executed as raw SQL on the same database in the same run: without the form, the
other statements or the template. Both use
one persistent database connection (as with ROSC_DB_CONN_MAX_AGE set). A database named by
BENCH_DATABASE_URL that already holds this world (same BENCH_SEARCH_SERVICES) is reused, so a
change can be measured again without loading it again.
"""

import os
import random
import re
import statistics
import time
import uuid
from datetime import time as clock
from typing import Any

import zipcodes
from django.db import connection, models
from django.test import Client

from bench.bench_casework import Recorder, TemplateTimer, prewarm
from rosc.accounts.models import Organization
from rosc.directory.models import Attribute, Location, Schedule, Service, ServiceAtLocation
from rosc.directory.places import place_from_text
from rosc.directory.search_index import search_index_rebuild, search_sql
from rosc.directory.selectors import SearchFilters, page_sql, row_query
from rosc.directory.services import taxonomy_load_recovery_support
from rosc.directory.taxonomy import TERMS, term_id

SERVICES = int(os.environ.get("BENCH_SEARCH_SERVICES", "100000"))
QUERIES = 200  # distinct Illinois ZIP codes searched (enough for a steady p95)
BATCH = 5000
IL = (36.97, 42.51, -91.51, -87.50)  # Illinois' bounding box


def _bulk(model: type[models.Model], rows: list[Any]) -> None:
    for i in range(0, len(rows), BATCH):
        model._default_manager.bulk_create(rows[i : i + BATCH])


def build(rng: random.Random) -> None:
    taxonomy_load_recovery_support()
    codes = [code for code, _, _ in TERMS]
    orgs = [
        Organization(
            name=f"Search Bench Org {i}",
            slug=f"search-bench-{i}",
            kind=Organization.Kind.RCO,
            time_zone="America/Chicago",
        )
        for i in range(SERVICES * 3 // 10)
    ]
    _bulk(Organization, orgs)
    orgs = list(Organization.objects.filter(slug__startswith="search-bench-"))
    locations = [
        Location(
            organization=rng.choice(orgs),
            location_type="physical",
            name=f"Place {i}",
            latitude=rng.uniform(IL[0], IL[1]),
            longitude=rng.uniform(IL[2], IL[3]),
        )
        for i in range(SERVICES * 6 // 10)
    ]
    _bulk(Location, locations)
    services, pairs, attributes, schedules = [], [], [], []
    for i in range(SERVICES):
        loc = rng.choice(locations)
        service = Service(
            public_id=uuid.uuid4(),
            organization=loc.organization,
            name=f"{rng.choice(['Peer', 'Community', 'Family'])} recovery help {i}",
            description="Support for people in recovery and their families.",
            status=Service.Status.ACTIVE,
        )
        services.append(service)
        pairs.append(ServiceAtLocation(service_id=service.public_id, location_id=loc.public_id))
        for code in rng.sample(codes, rng.randint(1, 3)):
            attributes.append(
                Attribute(
                    link_id=service.public_id, link_entity="service", taxonomy_term_id=term_id(code)
                )
            )
        if i % 2 == 0:
            schedules.append(
                Schedule(
                    service_id=service.public_id,
                    freq="WEEKLY",
                    byday="MO,TU,WE,TH,FR",
                    opens_at=clock(9),
                    closes_at=clock(17),
                )
            )
    for model, rows in (
        (Service, services),
        (ServiceAtLocation, pairs),
        (Attribute, attributes),
        (Schedule, schedules),
    ):
        _bulk(model, rows)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def existing() -> bool:
    """Whether the database already holds this world (then it is reused, not loaded again)."""
    built = Service.objects.filter(organization__slug__startswith="search-bench-").count()
    if built and built != SERVICES:
        raise SystemExit(
            f"the database holds a search world of {built} services, not {SERVICES}: "
            "use another BENCH_DATABASE_URL or set BENCH_SEARCH_SERVICES to match"
        )
    return built == SERVICES


def run() -> None:
    rng = random.Random(5)
    started = time.perf_counter()
    reused = existing()
    if reused:
        print("  the database already holds the search world (BENCH_DATABASE_URL): reused")
    else:
        build(rng)
        search_index_rebuild()  # bulk_create sends no signals
    built = time.perf_counter() - started
    il_zips = [z["zip_code"] for z in zipcodes.filter_by(state="IL") if z.get("lat")]
    queries = random.Random(6).sample(il_zips, QUERIES)  # the same whether built or reused
    need = str(term_id("recovery-coaching"))
    # One connection for the whole run, as a deployment with ROSC_DB_CONN_MAX_AGE keeps them:
    # otherwise every request, and the floor after it, would also time connecting.
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = None
    client = Client()
    print(f"  warm cache: {prewarm()}", flush=True)
    client.get("/find/", {"near": queries[0], "radius": 25, "need": need, "q": "recovery"})

    stack, cpu, floor, bare, found = [], [], [], [], []
    twin, in_templates, statements = [], [], []
    for zip_code in queries:
        search = {"near": zip_code, "radius": 25, "need": need, "q": "recovery"}
        c0, t0 = time.thread_time(), time.perf_counter()
        response = client.get("/find/", search)
        stack.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
        assert response.status_code == 200
        match = re.search(rb"(\d+) results? within", response.content)
        assert match, "the results heading is missing"
        found.append(int(match.group(1)))

        # The floor: the very statement service_search runs for this search, as raw SQL.
        filters = SearchFilters(
            place=place_from_text(zip_code), radius_miles=25, term=uuid.UUID(need), text="recovery"
        )
        sql, params = page_sql(row_query(filters), limit=20, offset=0)
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(sql, params)
            page = cur.fetchall()
        floor.append(time.perf_counter() - t0)
        assert (page[0][4] if page else 0) == found[-1], "the page and the floor disagree"
        # The same without reading the page's rows and schedules (the floor until the page
        # became one statement): printed beside it, for comparison with earlier figures.
        sql, params = search_sql(row_query(filters), limit=20, offset=0)
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(sql, params)
            cur.fetchall()
        bare.append(time.perf_counter() - t0)

        # A twin request, for where the time goes: its queries and its template rendering.
        recorder = Recorder()
        with connection.execute_wrapper(recorder), TemplateTimer() as templates:
            t0 = time.perf_counter()
            client.get("/find/", search)
            twin.append(time.perf_counter() - t0)
        in_templates.append(templates.seconds)
        statements.append(len(recorder.statements))

    p50, p95 = percentile(stack, 50), percentile(stack, 95)
    f50, f95 = percentile(floor, 50), percentile(floor, 95)
    print(
        f"  scale: {SERVICES} services, {SERVICES * 6 // 10} locations, "
        f"{SERVICES * 3 // 10} organizations ({connection.vendor}); built in {built:.0f} s"
    )
    print(f"  {QUERIES} searches, median {statistics.median(found):.0f} results each")
    print(
        f"  /find/ through the request stack: p50 {p50 * 1e3:6.1f} ms   p95 {p95 * 1e3:6.1f} ms"
        "   (target p95 <= 50 ms)"
    )
    print(f"  floor (raw SQL, same statement):  p50 {f50 * 1e3:6.1f} ms   p95 {f95 * 1e3:6.1f} ms")
    print(f"  ratio p50 {p50 / f50:5.1f}x   p95 {p95 / f95:5.1f}x   (target within 3x)")
    b50, b95 = percentile(bare, 50), percentile(bare, 95)
    print(
        f"  (the search alone, without the page's rows: p50 {b50 * 1e3:.1f} ms, p95 "
        f"{b95 * 1e3:.1f} ms; against it p50 {p50 / b50:.1f}x, p95 {p95 / b95:.1f}x)"
    )
    print(
        f"  CPU time of this process (on SQLite it includes the database): "
        f"p50 {percentile(cpu, 50) * 1e3:.1f} ms   p95 {percentile(cpu, 95) * 1e3:.1f} ms"
    )
    rest = statistics.median(twin) - f50 - statistics.median(in_templates)
    print(
        f"  where the time goes (medians of the twin requests): "
        f"{statistics.median(twin) * 1e3:.1f} ms = the search statement "
        f"{f50 * 1e3:.1f} ms + templates {statistics.median(in_templates) * 1e3:.1f} ms "
        f"+ the rest ({statistics.median(statements):.0f} statements in all, ORM, forms, "
        f"middleware) {rest * 1e3:.1f} ms"
        f"; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
