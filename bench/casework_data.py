"""Five years of case work at network scale, written with raw SQL in big batches.

Used by bench_casework. The ORM is far too slow for twenty million rows, so rows are generated
as tuples of database values (uuids as hex, times as UTC text, JSON as text) and written with
`executemany` on SQLite and `COPY ... FROM STDIN` on PostgreSQL; the twenty million contacts
are made by the database itself (one INSERT ... SELECT per block of people), which is several
times faster than building them in Python. Secondary indexes, unique and foreign-key
constraints of the loaded tables are dropped for the load and made again afterwards (which
also checks every foreign key on PostgreSQL), then the planner's statistics are gathered.

Every column the generator does not name is filled with the model field's default, so a field
added to a model later needs no change here unless it is required and has no default (then the
load stops and says which).

Shape per organization (scale 1.0: 200 of them): 25 peer specialists and a supervisor, 1,000
participants enrolled over five years (90% active; each has a peer, about 40 per peer), one
episode each, 100 contacts each (mostly logged by their peer, spread from enrolment to today,
written in time order within blocks the way they arrive), seven or eight BARC-10 check-ins
each, a recorded intake interview for most and a 6-month follow-up for many, one or two
consents each, and a recovery plan (1-3 versions, goals and steps, reviews) for 40%.
"""

import json
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from rosc.accounts.models import Membership, Organization, User
from rosc.accounts.roles import Role
from rosc.assessments.models import Assessment, Instrument, Occasion
from rosc.consent.models import Category, Consent, Purpose, SignatureMethod
from rosc.encounters.models import Encounter, EncounterKind, EncounterPlace
from rosc.followups.models import AttemptOutcome, FollowUp, Program
from rosc.followups.schedule import discharge_window, intake_window, months_after_window
from rosc.people.models import (
    DischargeReason,
    Episode,
    LifeDomain,
    LivingSituation,
    Participant,
    ParticipantStatus,
    RecoveryPathway,
    ReferralSource,
)
from rosc.plans.models import PlanGoal, PlanReview, PlanStep, PlanVersion, Progress, RecoveryPlan

PEERS_PER_ORG = 25
PARTICIPANTS_PER_ORG = 1000
ENCOUNTERS_EACH = 100
YEARS = 5
DAY = 86_400
EPOCH = date(1970, 1, 1)
BLOCK = 5_000  # participants whose contacts are generated, time-sorted and written together

FIRST = (  # noqa: SIM905
    "Maria James Aisha Daniel Rosa Michael Keisha David Linh Robert Fatima Kevin Ana Joseph "
    "Tanya Marcus Priya Anthony Grace Luis Destiny Thomas Mei Carlos Brenda Jamal Olga "
    "Tyrone Sofia Brian Yolanda Eric Nadia Dwayne Elena Shawn Carmen Travis Ruth Andre"
).split()
LAST = (  # noqa: SIM905
    "Garcia Johnson Williams Brown Jones Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen "
    "Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts "
    "Okafor Kowalski"
).split()
NOTES = (
    "Talked about the week ahead and the next meeting.",
    "Went over housing options; will call the landlord together on Monday.",
    "Celebrated 90 days. Planning a visit to the recovery café.",
    "Rough week at work. Made a plan for the weekend and who to call.",
    "Drove to the clinic appointment; waited together.",
)
NEEDS = ("a ride to court", "bus pass", "help with a job application", "phone minutes", "ID card")


@dataclass
class Casework:
    """What the benchmark needs to know of the loaded world."""

    orgs: list[Organization]
    peers: dict[int, list[int]]  # organization pk -> peer specialists' user pks
    participants: dict[int, list[str]]  # organization pk -> participants' public ids (hex)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _db_value(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return value


class Table:
    """An INSERT/COPY target: the named columns first, then every other column at its default."""

    def __init__(self, model: type[models.Model], supplied: Sequence[str]) -> None:
        meta = model._meta
        by_name = {f.attname: f for f in meta.concrete_fields}
        unknown = [name for name in supplied if name not in by_name]
        if unknown:
            raise RuntimeError(f"{meta.label} has no field {unknown}: update bench/casework_data")
        columns = [by_name[name].column for name in supplied]
        extra = []
        for f in meta.concrete_fields:
            if f.attname in supplied or f.primary_key:
                continue
            required = not f.has_default() and not f.null and not f.blank
            if required or (f.unique and callable(f.default)):
                raise RuntimeError(
                    f"{meta.label}.{f.attname} needs a value per row: update bench/casework_data"
                )
            columns.append(f.column)
            extra.append(_db_value(f.get_default()))
        self.model = model
        self.name = meta.db_table
        self.columns = columns
        self.extra = tuple(extra)

    def write(self, rows: Iterable[tuple[Any, ...]]) -> int:
        """Append the rows (each the supplied columns' values); returns how many."""
        qn = connection.ops.quote_name
        cols = ", ".join(qn(str(c)) for c in self.columns)
        extra = self.extra
        written = 0

        def full() -> Iterator[tuple[Any, ...]]:
            nonlocal written
            for row in rows:
                written += 1
                yield row + extra

        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                copy_sql = f"COPY {qn(self.name)} ({cols}) FROM STDIN"
                with cur.cursor.copy(copy_sql) as copy:
                    for row in full():
                        copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in self.columns)
            raw = connection.connection
            assert raw is not None
            raw.executemany(f"INSERT INTO {qn(self.name)} ({cols}) VALUES ({marks})", full())
        return written


# --- dropping and restoring indexes and constraints around the load -----------------------------


def _drop_secondary(tables: Sequence[str]) -> list[str]:
    """Drop the tables' secondary indexes, unique and foreign keys; returns the SQL to restore."""
    restore: list[str] = []
    with connection.cursor() as cur:
        for table in tables:
            if connection.vendor == "postgresql":
                cur.execute(
                    "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC",
                    [table],
                )
                constraints = cur.fetchall()
                cur.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND "
                    "indexname NOT IN (SELECT conname FROM pg_constraint "
                    "WHERE conrelid = %s::regclass)",
                    [table, table],
                )
                for name, definition in cur.fetchall():
                    cur.execute(f'DROP INDEX "{name}"')
                    restore.append(definition)
                for name, _kind, definition in constraints:
                    cur.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                    restore.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            else:
                cur.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                    "AND sql IS NOT NULL",
                    [table],
                )
                for name, definition in cur.fetchall():
                    cur.execute(f'DROP INDEX "{name}"')
                    restore.append(definition)
    # Unique constraints before the foreign keys and plain indexes that might lean on them.
    return sorted(restore, key=lambda sql: "FOREIGN KEY" in sql)


def _prepare() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET synchronous_commit TO off")
            cur.execute("SET maintenance_work_mem TO '1GB'")
            cur.execute("SET TIME ZONE 'UTC'")
    else:
        connection.ensure_connection()
        raw = connection.connection
        assert raw is not None
        for pragma in (
            "foreign_keys = OFF",
            "journal_mode = OFF",
            "synchronous = OFF",
            "cache_size = -1000000",
            "temp_store = MEMORY",
        ):
            raw.execute(f"PRAGMA {pragma}")


def _finish() -> None:
    """Back to the settings the application runs with: a fresh connection."""
    if connection.vendor == "sqlite":
        raw = connection.connection
        assert raw is not None
        raw.execute("PRAGMA journal_mode = WAL")
        raw.execute("PRAGMA foreign_keys = ON")
    connection.close()


def _next_id(model: type[models.Model]) -> int:
    top = model._default_manager.aggregate(top=models.Max("pk"))["top"]
    return (top or 0) + 1


# --- the world -------------------------------------------------------------------------------


class Clock:
    """UTC text for a time in epoch seconds, without strftime per row (a table per day)."""

    def __init__(self, first_day: int, last_day: int) -> None:
        self.first = first_day
        self.days = [
            time.strftime("%Y-%m-%d ", time.gmtime(d * DAY)) for d in range(first_day, last_day + 1)
        ]
        self.dates = [s.strip() for s in self.days]
        self.clock = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]

    def at(self, seconds: int) -> str:
        day, second = divmod(seconds, DAY)
        return self.days[day - self.first] + self.clock[second]

    def on(self, day: int) -> str:
        return self.dates[day - self.first]


def _hex(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def _progress(what: str, n: int, started: float) -> None:
    spent = time.perf_counter() - started
    print(
        f"    {what}: {n:,} rows in {spent:.0f} s ({n / max(spent, 1e-9):,.0f} rows/s)", flush=True
    )


@dataclass
class Person:
    pk: int
    org: int
    peer: int
    enrolled: int  # epoch day
    ended: int | None  # epoch day of discharge


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _case(expr: str, values: Sequence[Any]) -> str:
    """The value at index `expr` of `values`, as SQL."""
    whens = " ".join(f"WHEN {i} THEN {_literal(v)}" for i, v in enumerate(values))
    return f"CASE {expr} {whens} END"


def _load_encounters(
    people: list["Person"], peers: dict[int, list[int]], now_s: int, rng: random.Random
) -> int:
    """ENCOUNTERS_EACH contacts per person, made by one INSERT ... SELECT per block of people.

    Each contact happens at a random time between the person's enrolment and today (or their
    discharge); 85% are logged by their own peer, the rest by another peer of the organization;
    30% have a note, 10% needs, 0.2% are marked entered in error. Rows are written in time
    order within each block, as they would arrive.

    On SQLite the public ids grow in the order rows are written (block number and time in hex,
    then random bits, like UUIDv7): the table keeps its UNIQUE constraint through the load
    (SQLite cannot drop it) and random ids would cost a random B-tree insert per row. They are as
    unique and as fast to look up.
    """
    pg = connection.vendor == "postgresql"
    table = Table(
        Encounter,
        [
            "public_id",
            "created_at",
            "updated_at",
            "participant_id",
            "organization_id",
            "occurred_at",
            "kind",
            "duration_minutes",
            "place",
            "life_domains",
            "needs",
            "note",
            "logged_by_id",
            "logged_at",
            "voided_at",
            "voided_by_id",
            "void_reason",
        ],
    )

    def rand(n: str | int) -> str:
        return f"floor(random() * {n})::bigint" if pg else f"(abs(random()) % {n})"

    def ts(expr: str) -> str:
        return f"to_timestamp({expr})" if pg else f"datetime({expr}, 'unixepoch')"

    kinds = [
        *EncounterKind.values,
        *[EncounterKind.ONE_TO_ONE.value] * 4,
        EncounterKind.PHONE.value,
    ]
    places = [p for p in EncounterPlace.values if p != EncounterPlace.OTHER]
    domains = list(LifeDomain.values)
    domain_sets = [json.dumps(sorted(rng.sample(domains, rng.randint(0, 3)))) for _ in range(32)]
    minutes = [5, 10, 15, 20, 30, 30, 30, 45, 60, 60, 90, 120]
    sqlite_id = "printf('%06x%010x', {block}, t) || lower(hex(randomblob(8)))"
    new_id = "gen_random_uuid()" if pg else sqlite_id
    logged = f"{'LEAST' if pg else 'MIN'}(t + 300 + (x * 7) % 7200, {now_s})"
    other_peer = "CASE WHEN x < 850 THEN peer ELSE first_peer + x % team END"
    qn = connection.ops.quote_name
    insert = f"""
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {ENCOUNTERS_EACH}),
        e AS MATERIALIZED (
            SELECT s.pid, s.org, s.peer, s.first_peer, s.team,
                   s.begin_s + {rand("s.span")} AS t, {rand(1000)} AS x
            FROM bench_span s CROSS JOIN n WHERE s.pid BETWEEN {{lo}} AND {{hi}} ORDER BY t
        )
        INSERT INTO {qn(table.name)} ({", ".join(qn(str(c)) for c in table.columns)})
        SELECT {new_id},
               {ts(logged)}, {ts(logged)}, pid, org, {ts("t")},
               {_case(rand(len(kinds)), kinds)},
               {_case(rand(len(minutes)), minutes)},
               {_case(rand(len(places)), places)},
               {_case(rand(len(domain_sets)), domain_sets)}{"::jsonb" if pg else ""},
               CASE WHEN x < 100 THEN {_case("x % 5", NEEDS)} ELSE '' END,
               CASE WHEN x < 300 THEN {_case("x % 5", NOTES)} ELSE '' END,
               {other_peer},
               {ts(logged)},
               CASE WHEN x >= 998 THEN {ts(logged + " + 86400")} END,
               CASE WHEN x >= 998 THEN {other_peer} END,
               CASE WHEN x >= 998 THEN 'Logged for the wrong person.' ELSE '' END
               {"".join(", " + _literal(v) for v in table.extra)}
        FROM e
    """
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE bench_span (pid bigint PRIMARY KEY, org bigint, peer bigint, "
            "first_peer bigint, team bigint, begin_s bigint, span bigint)"
        )
    teams: dict[int, tuple[int | None, int]] = {}
    for org, team in peers.items():
        low = min(team)
        contiguous = sorted(team) == list(range(low, low + len(team)))
        teams[org] = (low, len(team)) if contiguous else (None, 1)
    spans = []
    for person in people:
        begin = person.enrolled * DAY + 28_800
        end = (person.ended * DAY + 72_000) if person.ended is not None else now_s - 600
        first, size = teams[person.org]
        spans.append(
            (
                person.pk,
                person.org,
                person.peer,
                first or person.peer,
                size,
                begin,
                max(end - begin, 3600),
            )
        )
    with transaction.atomic(), connection.cursor() as cur:
        if pg:
            with cur.cursor.copy("COPY bench_span FROM STDIN") as copy:
                for row in spans:
                    copy.write_row(row)
        else:
            cur.executemany("INSERT INTO bench_span VALUES (%s, %s, %s, %s, %s, %s, %s)", spans)
    if pg:
        with connection.cursor() as cur:
            cur.execute("ANALYZE bench_span")
    t0 = time.perf_counter()
    written = 0
    for start in range(0, len(people), BLOCK):
        block = people[start : start + BLOCK]
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(insert.format(lo=block[0].pk, hi=block[-1].pk, block=start // BLOCK))
        written += len(block) * ENCOUNTERS_EACH
        if (start // BLOCK) % 4 == 3 or start + BLOCK >= len(people):
            _progress("contacts", written, t0)
    with connection.cursor() as cur:
        cur.execute("DROP TABLE bench_span")
    return written


def existing() -> Casework | None:
    """The world an earlier run loaded into this database (BENCH_DATABASE_URL reused), if any."""
    orgs = list(Organization.objects.filter(slug__startswith="casework-bench-").order_by("pk"))
    if not orgs:
        return None
    world = Casework(orgs=orgs, peers={}, participants={})
    for user_pk, org_pk in Membership.objects.filter(
        organization__in=orgs, role=Role.PEER_SPECIALIST
    ).values_list("user_id", "organization_id"):
        world.peers.setdefault(org_pk, []).append(user_pk)
    for public_id, org_pk in Participant.objects.filter(organization__in=orgs).values_list(
        "public_id", "organization_id"
    ):
        world.participants.setdefault(org_pk, []).append(public_id.hex)
    return world


def load(*, scale: float, seed: int = 11, say: Callable[[str], None] = print) -> Casework:
    rng = random.Random(seed)
    n_orgs = max(1, round(200 * scale))
    now = timezone.now().replace(microsecond=0)
    now_s = int(now.timestamp())
    today = now_s // DAY
    first_day = today - YEARS * 365
    clock = Clock(first_day - 1, today + 200)
    started = time.perf_counter()

    # Organizations and staff through the ORM (a few thousand rows).
    orgs = Organization.objects.bulk_create(
        Organization(
            name=f"Casework Bench RCO {i}",
            slug=f"casework-bench-{i}",
            kind=Organization.Kind.RCO,
            time_zone="America/Chicago",
        )
        for i in range(n_orgs)
    )
    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            username=f"cw{i // (PEERS_PER_ORG + 1)}-{i % (PEERS_PER_ORG + 1)}",
            password=password,
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
        )
        for i in range(n_orgs * (PEERS_PER_ORG + 1))
    )
    memberships, devices = [], []
    peers: dict[int, list[int]] = {}
    supervisors: dict[int, int] = {}
    for i, user in enumerate(users):
        org = orgs[i // (PEERS_PER_ORG + 1)]
        is_supervisor = i % (PEERS_PER_ORG + 1) == PEERS_PER_ORG
        memberships.append(
            Membership(
                user=user,
                organization=org,
                role=Role.SUPERVISOR if is_supervisor else Role.PEER_SPECIALIST,
            )
        )
        devices.append(TOTPDevice(user=user, name="phone", confirmed=True))
        if is_supervisor:
            supervisors[org.pk] = user.pk
        else:
            peers.setdefault(org.pk, []).append(user.pk)
    Membership.objects.bulk_create(memberships, batch_size=2000)
    TOTPDevice.objects.bulk_create(devices, batch_size=2000)
    instrument = Instrument.objects.get(owner=None, code="BARC-10")

    _prepare()
    tables = [
        Participant,
        Episode,
        Encounter,
        Assessment,
        FollowUp,
        Consent,
        RecoveryPlan,
        PlanVersion,
        PlanGoal,
        PlanStep,
        PlanReview,
    ]
    restore = _drop_secondary([m._meta.db_table for m in tables])
    world = Casework(orgs=orgs, peers=peers, participants={})
    counts = world.counts

    # Participants, enrolled over five years in every organization, in enrolment order.
    say("  loading participants and episodes")
    people: list[Person] = []
    next_pk = _next_id(Participant)
    pending = []
    for org in orgs:
        for k in range(PARTICIPANTS_PER_ORG):
            enrolled = first_day + int(rng.random() * (today - first_day))
            ended = None
            if rng.random() < 0.1:
                ended = enrolled + int(rng.random() * (today - enrolled))
            pending.append((enrolled, org.pk, peers[org.pk][k % PEERS_PER_ORG], ended))
    pending.sort(key=lambda row: row[:3])
    assert _next_id(Episode) <= next_pk, "episodes share the participants' ids"
    rows_p, rows_e = [], []
    pathways = list(RecoveryPathway.values)
    domains = list(LifeDomain.values)
    living = list(LivingSituation.values)
    referral = list(ReferralSource.values)
    reasons = list(DischargeReason.values)
    for offset, (enrolled, org_pk, peer, ended) in enumerate(pending):
        pk = next_pk + offset
        people.append(Person(pk, org_pk, peer, enrolled, ended))
        first, last = rng.choice(FIRST), rng.choice(LAST)
        public_id = _hex(rng)
        world.participants.setdefault(org_pk, []).append(public_id)
        at = clock.at(enrolled * DAY + 36_000 + int(rng.random() * 28_800))
        needs = {d: "" for d in rng.sample(domains, rng.randint(1, 3))}
        rows_p.append(
            (
                pk,
                public_id,
                at,
                at,
                org_pk,
                first,
                last,
                first if rng.random() < 0.8 else "",
                first.lower(),
                last.lower(),
                (EPOCH + timedelta(days=enrolled - rng.randint(19 * 365, 64 * 365))).isoformat()
                if rng.random() < 0.9
                else None,
                f"555-01{rng.randint(0, 99):02d}",
                json.dumps(rng.sample(pathways, rng.randint(1, 2))),
                json.dumps(needs),
                rng.choice(living),
                rng.choice(referral),
                peer,
                clock.on(enrolled),
                ParticipantStatus.DISCHARGED.value
                if ended is not None
                else ParticipantStatus.ACTIVE.value,
                peer,
            )
        )
        rows_e.append(
            (
                pk,
                _hex(rng),
                at,
                at,
                pk,
                org_pk,
                1,
                clock.on(enrolled),
                clock.on(ended) if ended is not None else None,
                rng.choice(reasons) if ended is not None else "",
                peer,
                peer if ended is not None else None,
            )
        )
    t0 = time.perf_counter()
    with transaction.atomic():
        counts["participants"] = Table(
            Participant,
            [
                "id",
                "public_id",
                "created_at",
                "updated_at",
                "organization_id",
                "legal_first_name",
                "legal_last_name",
                "preferred_name",
                "first_name_key",
                "last_name_key",
                "date_of_birth",
                "phone",
                "recovery_pathways",
                "intake_needs",
                "living_situation",
                "referral_source",
                "enrolled_by_id",
                "enrolled_on",
                "status",
                "primary_peer_id",
            ],
        ).write(rows_p)
        counts["episodes"] = Table(
            Episode,
            [
                "id",
                "public_id",
                "created_at",
                "updated_at",
                "participant_id",
                "organization_id",
                "intake_seq",
                "started_on",
                "ended_on",
                "discharge_reason",
                "started_by_id",
                "ended_by_id",
            ],
        ).write(rows_e)
    del rows_p, rows_e, pending
    _progress("participants + episodes", counts["participants"] * 2, t0)

    # Contacts: 100 each from enrolment to today (or discharge), generated by the database
    # itself (twenty million rows are too many to build in Python), time-sorted per block.
    say(f"  loading {len(people) * ENCOUNTERS_EACH:,} contacts")
    t0 = time.perf_counter()
    counts["encounters"] = _load_encounters(people, peers, now_s, rng)

    # Check-ins: seven or eight BARC-10s each, intake first.
    say("  loading check-ins, follow-ups, consents and plans")
    answer_pool = []
    for _ in range(500):
        base = rng.randint(2, 6)
        answers = {str(i): min(6, max(1, base + rng.randint(-1, 1))) for i in range(1, 11)}
        answer_pool.append((json.dumps(answers), sum(answers.values())))
    rows_a = []
    for person in people:
        end = person.ended if person.ended is not None else today
        n = 7 + (rng.random() < 0.5)
        span = max(end - person.enrolled, 1)
        for i in range(n):
            day = (
                person.enrolled + (span * i) // n + (int(rng.random() * span / (2 * n)) if i else 0)
            )
            at = clock.at(day * DAY + 50_000)
            answers_json, total = answer_pool[int(rng.random() * 500)]
            rows_a.append(
                (
                    _hex(rng),
                    at,
                    at,
                    person.pk,
                    person.org,
                    instrument.pk,
                    clock.on(day),
                    Occasion.INTAKE.value if i == 0 else Occasion.ROUTINE.value,
                    answers_json,
                    total,
                    person.peer,
                )
            )
    t0 = time.perf_counter()
    with transaction.atomic():
        counts["assessments"] = Table(
            Assessment,
            [
                "public_id",
                "created_at",
                "updated_at",
                "participant_id",
                "organization_id",
                "instrument_id",
                "taken_on",
                "occasion",
                "answers",
                "total",
                "taken_by_id",
            ],
        ).write(rows_a)
    del rows_a
    _progress("check-ins", counts["assessments"], t0)

    # Follow-ups recorded: most intake interviews, many 6-month ones, half the discharges.
    program = Program()
    epoch = EPOCH
    rows_f = []
    for person in people:
        started_on = epoch + timedelta(days=person.enrolled)
        windows = []
        if rng.random() < 0.95:
            windows.append(intake_window(started_on, program))
        six = months_after_window(started_on, 6, program)
        if (six.closes_on - epoch).days < today and rng.random() < 0.75:
            windows.append(six)
        if person.ended is not None and rng.random() < 0.5:
            windows.append(discharge_window(epoch + timedelta(days=person.ended), program))
        for w in windows:
            span = (w.closes_on - w.opens_on).days
            done = w.opens_on + timedelta(days=int(rng.random() * min(span, 20)))
            at = clock.at((done - epoch).days * DAY + 54_000)
            rows_f.append(
                (
                    _hex(rng),
                    at,
                    at,
                    person.pk,  # the episode has the participant's pk
                    person.pk,
                    person.org,
                    int(w.kind),
                    w.due_on.isoformat(),
                    w.opens_on.isoformat(),
                    w.closes_on.isoformat(),
                    done.isoformat(),
                    AttemptOutcome.REACHED.value,
                    person.peer,
                )
            )
    t0 = time.perf_counter()
    with transaction.atomic():
        counts["followups"] = Table(
            FollowUp,
            [
                "public_id",
                "created_at",
                "updated_at",
                "episode_id",
                "participant_id",
                "organization_id",
                "kind",
                "due_on",
                "window_opens_on",
                "window_closes_on",
                "completed_on",
                "outcome",
                "completed_by_id",
            ],
        ).write(rows_f)
    del rows_f
    _progress("follow-ups", counts["followups"], t0)

    # Consents: one or two each, to a described class of recipients, ending on a date.
    purposes = [p for p in Purpose.values if p != Purpose.OTHER]
    categories = list(Category.values)
    statements = (
        "I understand that I may revoke this consent at any time, except where action has "
        "been taken in reliance on it. My treatment does not depend on signing this form. "
        "Information disclosed under this consent may be redisclosed only as the law allows."
    )
    rows_c = []
    for person in people:
        for _ in range(1 + (rng.random() < 0.5)):
            signed = person.enrolled + int(rng.random() * 30)
            at = clock.at(signed * DAY + 46_000)
            rows_c.append(
                (
                    _hex(rng),
                    at,
                    at,
                    person.pk,
                    person.org,
                    "Treatment providers who coordinate my care",
                    rng.choice(purposes),
                    json.dumps(rng.sample(categories, rng.randint(1, 4))),
                    clock.on(
                        min(signed + 365 * rng.randint(1, 3), clock.first + len(clock.days) - 1)
                    ),
                    True,
                    statements,
                    "Typed Name",
                    True,
                    at,
                    rng.choice(SignatureMethod.values),
                    person.peer,
                )
            )
    t0 = time.perf_counter()
    with transaction.atomic():
        counts["consents"] = Table(
            Consent,
            [
                "public_id",
                "created_at",
                "updated_at",
                "participant_id",
                "disclosing_organization_id",
                "recipient_class",
                "purpose",
                "categories",
                "expires_on",
                "right_to_revoke_acknowledged",
                "statements_text",
                "signature_name",
                "signature_confirmed",
                "signed_at",
                "signature_method",
                "recorded_by_id",
            ],
        ).write(rows_c)
    del rows_c
    _progress("consents", counts["consents"], t0)

    # Recovery plans for 40%: 1-3 versions of three goals with two steps each.
    plan_pk, version_pk, goal_pk = _next_id(RecoveryPlan), _next_id(PlanVersion), _next_id(PlanGoal)
    rows_plan, rows_v, rows_g, rows_s, rows_r = [], [], [], [], []
    statuses = list(Progress.values)
    for person in people:
        if rng.random() >= 0.4:
            continue
        n = rng.randint(1, 3)
        awaiting = rng.random() < 0.15
        first_day_plan = person.enrolled + 7
        saved_days = [
            min(first_day_plan + i * 120 + int(rng.random() * 30), today) for i in range(n)
        ]
        created = clock.at(first_day_plan * DAY + 40_000)
        last_saved = clock.at(saved_days[-1] * DAY + 40_000)
        rows_plan.append(
            (
                plan_pk,
                _hex(rng),
                created,
                last_saved,
                person.pk,
                person.org,
                n,
                last_saved if awaiting else None,
            )
        )
        for number in range(1, n + 1):
            saved = clock.at(saved_days[number - 1] * DAY + 40_000)
            rows_v.append(
                (
                    version_pk,
                    _hex(rng),
                    plan_pk,
                    person.pk,
                    number,
                    "Being there for my kids and feeling at home in my own life.",
                    "Honest, good with people, I keep trying.",
                    "" if number == 1 else "Updated goals after our check-in.",
                    person.peer,
                    saved,
                )
            )
            for position in range(3):
                rows_g.append(
                    (
                        goal_pk,
                        version_pk,
                        _hex(rng),
                        position,
                        domains[(person.pk + position) % len(domains)],
                        "Find a steady place to live" if position == 0 else "Get back to work",
                        rng.choice(statuses),
                    )
                )
                for step in range(2):
                    rows_s.append(
                        (
                            goal_pk,
                            step,
                            "Call the housing navigator" if step == 0 else "Visit two places",
                            "my peer specialist",
                            clock.on(min(saved_days[number - 1] + 30 * (step + 1), today + 90)),
                            rng.choice(statuses),
                        )
                    )
                goal_pk += 1
            if number < n or not awaiting:
                rows_r.append(
                    (
                        _hex(rng),
                        version_pk,
                        supervisors[person.org],
                        "Looks good." if rng.random() < 0.5 else "",
                        clock.at(saved_days[number - 1] * DAY + 80_000),
                    )
                )
            version_pk += 1
        plan_pk += 1
    t0 = time.perf_counter()
    with transaction.atomic():
        counts["plans"] = Table(
            RecoveryPlan,
            [
                "id",
                "public_id",
                "created_at",
                "updated_at",
                "participant_id",
                "organization_id",
                "current_version",
                "awaiting_review_since",
            ],
        ).write(rows_plan)
        counts["plan versions"] = Table(
            PlanVersion,
            [
                "id",
                "public_id",
                "plan_id",
                "participant_id",
                "number",
                "meaning",
                "strengths",
                "change_note",
                "saved_by_id",
                "saved_at",
            ],
        ).write(rows_v)
        counts["plan goals"] = Table(
            PlanGoal, ["id", "version_id", "key", "position", "domain", "text", "status"]
        ).write(rows_g)
        counts["plan steps"] = Table(
            PlanStep, ["goal_id", "position", "text", "who_helps", "target_date", "status"]
        ).write(rows_s)
        counts["plan reviews"] = Table(
            PlanReview, ["public_id", "version_id", "reviewer_id", "comment", "reviewed_at"]
        ).write(rows_r)
    plan_rows = sum(len(r) for r in (rows_plan, rows_v, rows_g, rows_s, rows_r))
    del rows_plan, rows_v, rows_g, rows_s, rows_r
    _progress("plans (plans, versions, goals, steps, reviews)", plan_rows, t0)
    world.seconds["rows"] = time.perf_counter() - started

    # Indexes and constraints back, sequences past the explicit ids, statistics.
    say(f"  making {len(restore)} indexes and constraints again")
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        for sql in restore:
            cur.execute(sql)
        if connection.vendor == "postgresql":
            for sql in connection.ops.sequence_reset_sql(no_style(), tables):
                cur.execute(sql)
    world.seconds["indexes"] = time.perf_counter() - t0
    say(f"    indexes and constraints in {world.seconds['indexes']:.0f} s")
    t0 = time.perf_counter()
    if connection.vendor == "postgresql":
        connection.close()
        connection.ensure_connection()
        assert connection.connection is not None
        connection.connection.autocommit = True
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    world.seconds["analyze"] = time.perf_counter() - t0
    say(f"    statistics (ANALYZE) in {world.seconds['analyze']:.0f} s")
    _finish()
    world.seconds["total"] = time.perf_counter() - started
    return world
