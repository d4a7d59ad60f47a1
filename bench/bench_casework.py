"""Case work: a peer's caseload, a person's page and logging a contact, with five years of history.

Scale (BENCH_CASEWORK_SCALE, a fraction; default 1.0): 200 organizations x 1,000 participants
(200,000), 25 peer specialists each (about 40 people per peer), 100 contacts per person
(20,000,000), seven or eight BARC-10 check-ins per person (about 1,500,000), follow-ups,
consents and plans; see bench/casework_data.py (raw SQL: executemany / COPY, and the contacts
made by the database itself). A database named by BENCH_DATABASE_URL that already holds the
world is reused, so a profile or a fix can be measured again without loading it again.

Each page is requested through Django's whole stack (middleware, session, second factor,
actor, selectors, audit, template) with the test Client of a signed-in peer specialist who
passed the second factor: GET /caseload/, GET /participants/<id>/ (a random person of the
peer's organization) and POST of the quick contact form (not following the redirect);
BENCH_CASEWORK_REQUESTS (default 200) of each, on a warm cache. The floor: the very statements
that request ran (captured on a twin request with the same inputs), replayed through the
driver's cursor in one transaction, rows fetched - no Python of the page, the form or the
template. Targets: p95 <= 100 ms, and p95 within 3x the floor's p95. Wall-clock figures move
with whatever else the machine runs, so the CPU time of this process is printed too, and the
twin request's time is split into the floor, template rendering and the rest of the Python.
"""

import os
import random
import re
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.template.backends.django import Template as DjangoTemplate
from django.test import Client
from django.test.client import ClientHandler
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench import casework_data
from bench.timing import percentile
from rosc.accounts.models import User
from rosc.core.startup import warm_and_freeze

SCALE = float(os.environ.get("BENCH_CASEWORK_SCALE", "1.0"))
REQUESTS = int(os.environ.get("BENCH_CASEWORK_REQUESTS", "200"))
PEERS = 40  # signed-in peer specialists the requests are spread over
TARGET_MS = 100.0
TARGET_RATIO = 3.0
TRANSACTION_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


class Recorder:
    """An execute wrapper that keeps every statement a request runs, with its parameters."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, Any, bool]] = []

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        self.statements.append((sql, params, many))
        return execute(sql, params, many, context)


class TemplateTimer:
    """Seconds spent rendering templates (the outermost render of each response)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._render = DjangoTemplate.render

    def __enter__(self) -> "TemplateTimer":
        timer, render = self, self._render

        def timed(template: DjangoTemplate, *args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return render(template, *args, **kwargs)
            finally:
                timer.seconds += time.perf_counter() - t0

        DjangoTemplate.render = timed  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        DjangoTemplate.render = self._render  # type: ignore[method-assign]


_INSERT = re.compile(r"^INSERT INTO \S+ \((?P<columns>[^)]*)\)", re.IGNORECASE)


def _fresh_id(old: Any) -> Any:
    if isinstance(old, (list, tuple)):  # PostgreSQL bulk insert: one array per column
        return [_fresh_id(one) for one in old]
    return uuid.uuid4() if isinstance(old, uuid.UUID) else uuid.uuid4().hex


def _fresh_ids(sql: str, params: Any) -> Any:
    """An INSERT's parameters with a new public_id in every row, so the replay does not break
    uniqueness (one row, several rows in one VALUES list, or PostgreSQL's arrays per column)."""
    match = _INSERT.match(sql)
    if not match or params is None:
        return params
    columns = [c.strip().strip('"`') for c in match.group("columns").split(",")]
    if "public_id" not in columns:
        return params
    values = list(params)
    at, width = columns.index("public_id"), len(columns)
    for row in range(max(1, len(values) // width)):
        values[row * width + at] = _fresh_id(values[row * width + at])
    return values


def replay(statements: list[tuple[str, Any, bool]]) -> float:
    """Seconds to run the statements again, raw, in one transaction, fetching every row."""
    connection.ensure_connection()
    work = [
        (sql, _fresh_ids(sql, params), many)
        for sql, params, many in statements
        if not sql.lstrip().upper().startswith(TRANSACTION_CONTROL)
    ]
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        raw = cur.cursor  # the driver's cursor: no Django wrapper in the floor
        for sql, params, many in work:
            if many:
                raw.executemany(sql, params)
            else:
                raw.execute(sql, params)
            if raw.description is not None:
                raw.fetchall()
    return time.perf_counter() - t0


@dataclass
class Figures:
    name: str
    stack: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # this process's CPU time per request
    floor: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    # Of the recorded twin request: whole, and rendering templates.
    twin: list[float] = field(default_factory=list)
    in_templates: list[float] = field(default_factory=list)

    @property
    def fast(self) -> bool:
        return percentile(self.stack, 95) * 1e3 <= TARGET_MS

    @property
    def close(self) -> bool:
        return percentile(self.stack, 95) <= TARGET_RATIO * percentile(self.floor, 95)

    def line(self) -> str:
        p50, p95 = percentile(self.stack, 50), percentile(self.stack, 95)
        f50, f95 = percentile(self.floor, 50), percentile(self.floor, 95)
        fast, close = self.fast, self.close
        return (
            f"  {self.name:<22} p50 {p50 * 1e3:6.1f} ms  p95 {p95 * 1e3:6.1f} ms | floor p50 "
            f"{f50 * 1e3:5.1f} ms  p95 {f95 * 1e3:5.1f} ms | ratio p50 {p50 / f50:4.1f}x  "
            f"p95 {p95 / f95:4.1f}x | queries {statistics.median(self.queries):.0f} | "
            f"{'OK' if fast else 'MISSED'} <= {TARGET_MS:.0f} ms, "
            f"{'OK' if close else 'MISSED'} <= {TARGET_RATIO:.0f}x floor\n"
            f"  {'':<22} CPU time of this process (unaffected by other processes; on SQLite it "
            f"includes the database): p50 {percentile(self.cpu, 50) * 1e3:.1f} ms  "
            f"p95 {percentile(self.cpu, 95) * 1e3:.1f} ms\n"
            f"  {'':<22} where the time goes (medians of the recorded twin requests): "
            f"{statistics.median(self.twin) * 1e3:.1f} ms = SQL (the floor) "
            f"{statistics.median(self.floor) * 1e3:.1f} ms + templates "
            f"{statistics.median(self.in_templates) * 1e3:.1f} ms + other Python (ORM, "
            f"middleware, session, forms, views) {statistics.median(self.rest) * 1e3:.1f} ms"
        )

    @property
    def rest(self) -> list[float]:
        return [
            whole - sql - templates
            for whole, sql, templates in zip(self.twin, self.floor, self.in_templates, strict=True)
        ]


def prewarm() -> str:
    """Read the database into memory once, so the measured request and its floor both meet a
    warm cache (the order they run in would favour the floor otherwise); then ready this
    process as config/wsgi.py readies a server's (rosc.core.startup.warm_and_freeze)."""
    t0 = time.perf_counter()
    if connection.vendor == "sqlite":
        name = str(settings.DATABASES["default"]["NAME"])
        with open(name, "rb") as db:
            while db.read(1 << 24):
                pass
        how = "read the SQLite file"
    else:
        how = _pg_prewarm()
    warm_and_freeze()
    return f"{how} in {time.perf_counter() - t0:.0f} s; process readied as a server's"


def _pg_prewarm() -> str:
    with connection.cursor() as cur:
        try:
            cur.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        except DatabaseError:  # without the extension the cache stays as it is
            return "pg_prewarm is not available: cache not warmed"
        cur.execute(
            "SELECT sum(pg_prewarm(c.oid::regclass)) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')"
        )
    return "pg_prewarm of every table and index"


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


_HANDLER = ClientHandler(enforce_csrf_checks=False)  # as Client() makes it


def _sign_in(user: User) -> Client:
    """A client of a peer who signed in and passed the second factor (the real session keys).

    Every client shares one request handler, as a server process has one: each test Client
    otherwise loads the middleware on its first request (WhiteNoise then reads the status of
    every static file), and with forty clients that first request was a fifth of the sample
    and most of its p95."""
    client = Client()
    client.handler = _HANDLER
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    assert device is not None
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _contact_form() -> dict[str, Any]:
    with timezone.override("America/Chicago"):
        now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    return {
        "occurred_at": now,
        "kind": "one_to_one",
        "duration_minutes": "30",
        "place": "community",
        "life_domains": ["housing", "recovery_wellness"],
        "needs": "a ride to court",
        "note": "Met at the café; talked about the week ahead.",
    }


def run() -> None:
    rng = random.Random(23)
    print(
        f"  scale {SCALE:g} ({connection.vendor}); loading "
        f"(BENCH_CASEWORK_SCALE=0.01 for a quick run)",
        flush=True,
    )
    world = casework_data.existing()
    if world is not None:
        print("  the database already holds the case-work world (BENCH_DATABASE_URL): reused")
    else:
        world = casework_data.load(scale=SCALE)
        rows = sum(world.counts.values())
        print(
            "  loaded "
            + ", ".join(f"{n:,} {what}" for what, n in world.counts.items())
            + f"\n  {rows:,} rows in {world.seconds['rows']:.0f} s "
            f"({rows / world.seconds['rows']:,.0f} rows/s), indexes + constraints "
            f"{world.seconds['indexes']:.0f} s, ANALYZE {world.seconds['analyze']:.0f} s; "
            f"total {world.seconds['total']:.0f} s",
            flush=True,
        )
    measure(world, rng)


def measure(world: casework_data.Casework, rng: random.Random) -> None:

    org_of_peer = {peer: org for org, team in world.peers.items() for peer in team}
    chosen = rng.sample(sorted(org_of_peer), min(PEERS, len(org_of_peer)))
    users = User.objects.in_bulk(chosen)
    clients = {pk: _sign_in(users[pk]) for pk in chosen}

    def pick() -> tuple[Client, str]:
        peer = rng.choice(chosen)
        people = world.participants[org_of_peer[peer]]
        return clients[peer], str(uuid.UUID(rng.choice(people)))

    def caseload(client: Client, _participant: str) -> None:
        response = client.get("/caseload/")
        assert response.status_code == 200, response.status_code

    def participant_page(client: Client, participant: str) -> None:
        response = client.get(f"/participants/{participant}/")
        assert response.status_code == 200, response.status_code

    def log_contact(client: Client, participant: str) -> None:
        response = client.post(f"/participants/{participant}/contacts/new/", _contact_form())
        assert response.status_code == 302, (response.status_code, response.content[-2000:])

    pages = [
        ("GET /caseload/", caseload),
        ("GET /participants/<id>/", participant_page),
        ("POST log a contact", log_contact),
    ]
    print(f"  warm cache: {prewarm()}", flush=True)
    # Warm up: templates compiled, code paths imported.
    for _, request in pages:
        for _ in range(5):
            request(*pick())
    print(
        f"  load average before measuring {_load()} "
        f"on {os.cpu_count()} CPUs (other processes slow every figure alike)"
    )
    print(
        f"  {REQUESTS} requests per page over {len(chosen)} signed-in peers "
        f"(CONN_MAX_AGE={settings.DATABASES['default'].get('CONN_MAX_AGE')}; the test Client "
        "keeps the connection between requests)",
        flush=True,
    )
    print_stack_alone(clients[chosen[0]])

    def draw(request: Callable[[Client, str], None]) -> Callable[[], None]:
        return partial(request, *pick())

    print_verdict([measure_page(name, partial(draw, request)) for name, request in pages])


def measure_page(name: str, draw: Callable[[], Callable[[], object]]) -> Figures:
    """REQUESTS requests of one page, each with inputs drawn by `draw`, and for each a twin
    request with the same inputs, recorded and its statements replayed raw (the floor)."""
    figures = Figures(name)
    for _ in range(REQUESTS):
        request = draw()
        c0, t0 = time.thread_time(), time.perf_counter()
        request()
        figures.stack.append(time.perf_counter() - t0)
        figures.cpu.append(time.thread_time() - c0)
        recorder = Recorder()
        with connection.execute_wrapper(recorder), TemplateTimer() as templates:
            t0 = time.perf_counter()
            request()
            figures.twin.append(time.perf_counter() - t0)
        figures.in_templates.append(templates.seconds)
        figures.queries.append(
            sum(
                1
                for sql, _, _ in recorder.statements
                if not sql.lstrip().upper().startswith(TRANSACTION_CONTROL)
            )
        )
        figures.floor.append(replay(recorder.statements))
    print(figures.line(), flush=True)
    return figures


def print_stack_alone(client: Client) -> None:
    """The cost of the request stack itself for a signed-in staff member: GET /healthz runs
    the middleware (session, user, second factor, the Actor's memberships) and `SELECT 1`,
    with no page and no template. No target: it shows how low a page's ratio can go when
    its own SQL is small (a page can't beat the stack)."""

    def healthz() -> None:
        assert client.get("/healthz").status_code == 200

    figures = measure_page("GET /healthz (the stack)", lambda: healthz)
    print(
        f"  {'':<22} (no target: the fixed cost every signed-in page pays, "
        f"{percentile(figures.stack, 50) * 1e3:.1f} ms p50 for "
        f"{percentile(figures.floor, 50) * 1e3:.2f} ms of SQL)",
        flush=True,
    )


def print_verdict(results: list[Figures]) -> None:
    print(
        f"  targets: p95 <= {TARGET_MS:.0f} ms and p95 <= {TARGET_RATIO:.0f}x the floor's p95: "
        + ("all met" if all(f.fast and f.close for f in results) else "NOT all met")
        + f" (load average {_load()} on {os.cpu_count()} CPUs)"
    )
