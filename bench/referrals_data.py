"""A million referrals among two thousand organizations, written with raw SQL in big batches.

Used by bench_referrals, with the loading machinery of bench/casework_data.py (tuples of
database values, `executemany` on SQLite and COPY on PostgreSQL, secondary indexes dropped for
the load and made again, then ANALYZE).

Shape at scale 1.0: 2,000 organizations (recovery community organizations, treatment, housing,
employment, courts, jails), each with one staff member who works with people (second factor
enrolled) and 50 participants (100,000); each participant signed one consent to share with one
other organization and was referred there 10 times over three years (1,000,000 referrals,
about 500 sent and 500 received per organization), in every status of the lifecycle with the
events that led there (draft and requested ones have one or two, completed ones four or five).
The consent Disclosure rows each sent referral wrote are not loaded (a million copies of the
§2.32 notice); pages look them up by an indexed key, which finds none here.
"""

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.casework_data import (
    DAY,
    FIRST,
    LAST,
    Clock,
    Table,
    _drop_secondary,
    _finish,
    _hex,
    _next_id,
    _prepare,
    _progress,
)
from rosc.accounts.models import Membership, Organization, User
from rosc.accounts.roles import Role
from rosc.consent.models import Category, Consent, Purpose, SignatureMethod
from rosc.people.models import LifeDomain, Participant, ParticipantStatus
from rosc.referrals.models import Referral, ReferralEvent, ReferralStatus, StatusReason, Urgency

ORGS = 2_000
PEOPLE_PER_ORG = 50
REFERRALS_EACH = 10
YEARS = 3
KINDS = (
    Organization.Kind.RCO,
    Organization.Kind.TREATMENT,
    Organization.Kind.HOUSING,
    Organization.Kind.EMPLOYMENT,
    Organization.Kind.COURT,
    Organization.Kind.JAIL,
)
# Where a referral stands now, and how often (weights out of 100).
STATUS_MIX = (
    (ReferralStatus.DRAFT, 1),
    (ReferralStatus.REQUESTED, 8),
    (ReferralStatus.ACCEPTED, 8),
    (ReferralStatus.IN_PROGRESS, 14),
    (ReferralStatus.ON_HOLD, 3),
    (ReferralStatus.COMPLETED, 46),
    (ReferralStatus.REJECTED, 10),
    (ReferralStatus.FAILED, 5),
    (ReferralStatus.CANCELLED, 5),
)
# The path of statuses that leads to each (after draft).
PATHS = {
    ReferralStatus.DRAFT: [],
    ReferralStatus.REQUESTED: ["requested"],
    ReferralStatus.ACCEPTED: ["requested", "accepted"],
    ReferralStatus.IN_PROGRESS: ["requested", "accepted", "in-progress"],
    ReferralStatus.ON_HOLD: ["requested", "accepted", "in-progress", "on-hold"],
    ReferralStatus.COMPLETED: ["requested", "accepted", "in-progress", "completed"],
    ReferralStatus.REJECTED: ["requested", "rejected"],
    ReferralStatus.FAILED: ["requested", "accepted", "in-progress", "failed"],
    ReferralStatus.CANCELLED: ["requested", "cancelled"],
}
CLOSED = {"completed", "rejected", "failed", "cancelled"}


@dataclass
class ReferralWorld:
    orgs: list[Organization]
    staff: dict[int, int]  # organization pk -> its staff member's user pk
    received: dict[int, list[str]]  # organization pk -> public ids (hex) of referrals sent to it
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def existing() -> ReferralWorld | None:
    """The world an earlier run loaded into this database (BENCH_DATABASE_URL reused), if any."""
    orgs = list(Organization.objects.filter(slug__startswith="referral-bench-").order_by("pk"))
    if not orgs:
        return None
    world = ReferralWorld(orgs=orgs, staff={}, received={})
    for user_pk, org_pk in Membership.objects.filter(organization__in=orgs).values_list(
        "user_id", "organization_id"
    ):
        world.staff[org_pk] = user_pk
    chosen = orgs[:: max(1, len(orgs) // 60)]
    sent_to_them = Referral.objects.filter(recipient_organization__in=chosen).exclude(
        status="draft"  # a draft is not the recipient's to see (load() leaves them out too)
    )
    for public_id, org_pk in sent_to_them.values_list("public_id", "recipient_organization_id"):
        world.received.setdefault(org_pk, []).append(public_id.hex)
    return world


def load(*, scale: float, seed: int = 17, say: Callable[[str], None] = print) -> ReferralWorld:
    rng = random.Random(seed)
    n_orgs = max(4, round(ORGS * scale))
    now_s = int(timezone.now().timestamp())
    today = now_s // DAY
    first_day = today - YEARS * 365
    clock = Clock(first_day - 400, today + 400)
    started = time.perf_counter()

    orgs = Organization.objects.bulk_create(
        Organization(
            name=f"Referral Bench Organization {i}",
            slug=f"referral-bench-{i}",
            kind=KINDS[i % len(KINDS)],
            time_zone="America/Chicago",
        )
        for i in range(n_orgs)
    )
    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            username=f"rb{i}",
            password=password,
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            email=f"rb{i}@example.org",
        )
        for i in range(n_orgs)
    )
    Membership.objects.bulk_create(
        (
            Membership(user=user, organization=org, role=Role.PEER_SPECIALIST)
            for user, org in zip(users, orgs, strict=True)
        ),
        batch_size=2000,
    )
    TOTPDevice.objects.bulk_create(
        (TOTPDevice(user=user, name="phone", confirmed=True) for user in users), batch_size=2000
    )
    world = ReferralWorld(
        orgs=orgs, staff={o.pk: u.pk for o, u in zip(orgs, users, strict=True)}, received={}
    )
    counts = world.counts

    _prepare()
    tables = [Participant, Consent, Referral, ReferralEvent]
    restore = _drop_secondary([m._meta.db_table for m in tables])
    domains = list(LifeDomain.values)
    urgencies = list(Urgency.values)
    statuses = [s for s, _ in STATUS_MIX]
    weights = [w for _, w in STATUS_MIX]
    decline = [
        StatusReason.NO_CAPACITY,
        StatusReason.NOT_ELIGIBLE,
        StatusReason.COULD_NOT_REACH,
        StatusReason.PERSON_DECLINED,
    ]

    say("  loading participants, consents, referrals and their events")
    p_pk, c_pk, r_pk, e_pk = (_next_id(m) for m in tables)
    rows_p, rows_c, rows_r, rows_e = [], [], [], []
    statements = "I understand that I may revoke this consent at any time."
    for org in orgs:
        staff = world.staff[org.pk]
        for _ in range(PEOPLE_PER_ORG):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            enrolled = first_day - rng.randint(0, 365)
            at = clock.at(enrolled * DAY + 40_000)
            rows_p.append(
                (
                    p_pk,
                    _hex(rng),
                    at,
                    at,
                    org.pk,
                    first,
                    last,
                    first,
                    first.lower(),
                    last.lower(),
                    f"555-01{rng.randint(0, 99):02d}",
                    staff,
                    clock.on(enrolled),
                    ParticipantStatus.ACTIVE.value,
                    staff,
                )
            )
            recipient = orgs[(org.pk * 7 + rng.randint(1, n_orgs - 1)) % n_orgs]
            if recipient.pk == org.pk:
                recipient = orgs[(orgs.index(org) + 1) % n_orgs]
            rows_c.append(
                (
                    c_pk,
                    _hex(rng),
                    at,
                    at,
                    p_pk,
                    org.pk,
                    recipient.pk,
                    Purpose.REFERRAL.value,
                    json.dumps([Category.IDENTITY_CONTACT.value, Category.REFERRAL_DETAILS.value]),
                    clock.on(today + 365),
                    True,
                    statements,
                    f"{first} {last}",
                    True,
                    at,
                    SignatureMethod.IN_PERSON.value,
                    staff,
                )
            )
            identity = {
                "name": first,
                "legal_name": f"{first} {last}",
                "first_name": first,
                "last_name": last,
                "phone": f"555-01{rng.randint(0, 99):02d}",
                "preferred_contact": "text",
                "may_leave_message": True,
            }
            for _ in range(REFERRALS_EACH):
                status = rng.choices(statuses, weights)[0]
                need = rng.choice(domains)
                urgency = rng.choice(urgencies)
                made = first_day * DAY + int(rng.random() * (now_s - first_day * DAY - 3600))
                path = PATHS[status]
                steps = [made]
                for _ in path:
                    steps.append(min(steps[-1] + rng.randint(600, 5 * DAY), now_s))
                sent = clock.at(steps[1]) if path else None
                last_at = clock.at(steps[-1])
                reason = ""
                if status in (ReferralStatus.REJECTED, ReferralStatus.FAILED):
                    reason = rng.choice(decline)
                public_id = _hex(rng)
                shared = {
                    "identity_and_contact": identity,
                    "referral_details": {"need": need, "urgency": urgency, "note": ""},
                }
                rows_r.append(
                    (
                        r_pk,
                        public_id,
                        clock.at(made),
                        last_at,
                        org.pk,
                        staff,
                        p_pk,
                        recipient.pk,
                        need,
                        urgency,
                        "Please call them in the afternoon; they work mornings.",
                        Purpose.REFERRAL.value,
                        c_pk,
                        json.dumps(["referral_details", "identity_and_contact"]),
                        json.dumps(shared),
                        status.value,
                        reason,
                        last_at,
                        sent,
                        clock.at(steps[1] + 3600) if len(path) > 1 else None,
                        clock.at(steps[2]) if len(path) > 1 else None,
                        last_at if status.value in CLOSED else None,
                        world.staff[recipient.pk] if len(path) > 1 else None,
                    )
                )
                rows_e.append(
                    (
                        e_pk,
                        _hex(rng),
                        r_pk,
                        clock.at(made),
                        "status",
                        "sender",
                        staff,
                        "",
                        "draft",
                        "",
                    )
                )
                e_pk += 1
                before = "draft"
                for step_at, to in zip(steps[1:], path, strict=True):
                    side = "sender" if to in ("requested", "cancelled") else "recipient"
                    rows_e.append(
                        (
                            e_pk,
                            _hex(rng),
                            r_pk,
                            clock.at(step_at),
                            "status",
                            side,
                            staff if side == "sender" else world.staff[recipient.pk],
                            before,
                            to,
                            reason if to in ("rejected", "failed") else "",
                        )
                    )
                    e_pk += 1
                    before = to
                r_pk += 1
            p_pk += 1
            c_pk += 1
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
                "phone",
                "enrolled_by_id",
                "enrolled_on",
                "status",
                "primary_peer_id",
            ],
        ).write(rows_p)
        counts["consents"] = Table(
            Consent,
            [
                "id",
                "public_id",
                "created_at",
                "updated_at",
                "participant_id",
                "disclosing_organization_id",
                "recipient_organization_id",
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
        counts["referrals"] = Table(
            Referral,
            [
                "id",
                "public_id",
                "created_at",
                "updated_at",
                "sender_organization_id",
                "sender_user_id",
                "participant_id",
                "recipient_organization_id",
                "need",
                "urgency",
                "note_for_recipient",
                "purpose",
                "consent_id",
                "categories",
                "shared",
                "status",
                "status_reason",
                "status_changed_at",
                "sent_at",
                "opened_at",
                "responded_at",
                "closed_at",
                "assigned_to_id",
            ],
        ).write(rows_r)
        counts["referral events"] = Table(
            ReferralEvent,
            [
                "id",
                "public_id",
                "referral_id",
                "at",
                "kind",
                "side",
                "by_user_id",
                "from_status",
                "to_status",
                "reason",
            ],
        ).write(rows_e)
    chosen = {o.pk for o in orgs[:: max(1, len(orgs) // 60)]}
    for row in rows_r:
        if row[7] in chosen and row[15] != "draft":
            world.received.setdefault(row[7], []).append(row[1])
    written = sum(len(r) for r in (rows_p, rows_c, rows_r, rows_e))
    del rows_p, rows_c, rows_r, rows_e
    _progress("participants, consents, referrals, events", written, t0)
    world.seconds["rows"] = time.perf_counter() - started

    say(f"  making {len(restore)} indexes and constraints again")
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        for sql in restore:
            cur.execute(sql)
        if connection.vendor == "postgresql":
            for sql in connection.ops.sequence_reset_sql(no_style(), tables):
                cur.execute(sql)
    world.seconds["indexes"] = time.perf_counter() - t0
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
    _finish()
    world.seconds["total"] = time.perf_counter() - started
    return world
