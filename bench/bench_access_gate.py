"""Access gate and audit trail: selector + audit write against raw SQL, at network scale.

Scale: 300 organizations, 30 staff each (9,000 memberships), 200,000 audit events.
"""

import random
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from bench.timing import best_of, report
from rosc.accounts.actor import actor_for_user
from rosc.accounts.models import Membership, Organization, User
from rosc.accounts.roles import Role
from rosc.accounts.selectors import audit_event_list, membership_get, membership_list
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent

ORGS, STAFF_PER_ORG, EVENTS = 300, 30, 200_000


def build() -> tuple[Organization, Membership, User]:
    rng = random.Random(7)
    orgs = Organization.objects.bulk_create(
        Organization(name=f"Bench Org {i}", slug=f"bench-org-{i}", kind=Organization.Kind.RCO)
        for i in range(ORGS)
    )
    users = User.objects.bulk_create(
        User(username=f"bench{i}", password="!", first_name="Bench", last_name=str(i))
        for i in range(ORGS * STAFF_PER_ORG)
    )
    roles = [r for r, _ in Role.choices]
    Membership.objects.bulk_create(
        Membership(
            user=users[i],
            organization=orgs[i // STAFF_PER_ORG],
            role=Role.ORG_ADMIN if i % STAFF_PER_ORG == 0 else rng.choice(roles),
        )
        for i in range(len(users))
    )
    now = timezone.now()
    batch: list[AuditEvent] = []
    for i in range(EVENTS):
        org = orgs[rng.randrange(ORGS)]
        batch.append(
            AuditEvent(
                at=now - timedelta(seconds=i * 13),
                user_id=users[rng.randrange(len(users))].pk,
                username="bench",
                role=Role.PEER_SPECIALIST,
                organization_id=org.public_id,
                organization_name=org.name,
                action=AuditEvent.Action.VIEW,
                record_type="accounts.membership",
                record_id=str(uuid.uuid4()),
            )
        )
        if len(batch) == 10_000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)
    org = orgs[ORGS // 2]
    admin = Membership.objects.filter(organization=org, role=Role.ORG_ADMIN).order_by("id")[0]
    target = Membership.objects.filter(organization=org).exclude(pk=admin.pk).first()
    assert target is not None
    return org, target, admin.user


def run() -> None:
    org, target, admin_user = build()
    actor = actor_for_user(admin_user, org)
    table = Membership._meta.db_table
    user_table = User._meta.db_table

    def raw_staff() -> list[tuple[object, ...]]:
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT m.id, m.role, u.first_name, u.last_name FROM {table} m "
                f"JOIN {user_table} u ON u.id = m.user_id WHERE m.organization_id = %s",
                [org.pk],
            )
            return cur.fetchall()

    def raw_one() -> list[tuple[object, ...]]:
        with connection.cursor() as cur:
            cur.execute(f"SELECT * FROM {table} WHERE public_id = %s", [target.public_id.hex])
            return cur.fetchall()

    def raw_insert() -> None:
        with connection.cursor() as cur:
            cur.execute(
                "INSERT INTO core_auditevent (public_id, at, action, outcome, username, role, "
                "organization_name, record_type, record_id, record_label, subject_type, "
                "subject_id, user_agent, detail) VALUES (%s, %s, 'view', 'ok', '', '', '', '', "
                "'', '', '', '', '', '{}')",
                [uuid.uuid4().hex, timezone.now()],
            )

    def raw_audit_page() -> list[tuple[object, ...]]:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT * FROM core_auditevent WHERE organization_id = %s "
                "OR record_organization_id = %s ORDER BY at DESC, id DESC LIMIT 50",
                [org.public_id.hex, org.public_id.hex],
            )
            return cur.fetchall()

    def floor(select: Callable[[], object]) -> Callable[[], object]:
        """The least a gated read can do: the SELECT and one audit INSERT, in one transaction."""

        def both() -> None:
            with transaction.atomic():
                select()
                raw_insert()

        return both

    print(
        f"  scale: {ORGS} organizations, {ORGS * STAFF_PER_ORG} memberships, "
        f"{EVENTS} audit events ({connection.vendor})"
    )
    report(
        "staff list through the gate (+ audit write)",
        best_of(lambda: membership_list(actor=actor, organization_id=org.public_id)),
        best_of(floor(raw_staff)),
        "raw SELECT+INSERT",
    )
    report(
        "one staff record through the gate (+ audit)",
        best_of(
            lambda: membership_get(
                actor=actor, organization_id=org.public_id, membership_id=target.public_id
            )
        ),
        best_of(floor(raw_one)),
        "raw SELECT+INSERT",
    )
    report(
        "audit_record() write",
        best_of(lambda: audit_record(actor=actor, action="view", record=target)),
        best_of(raw_insert),
        "raw INSERT",
    )
    report(
        "audit trail first page (50 of ~1,300)",
        best_of(lambda: list(audit_event_list(actor=actor, organization_id=org.public_id)[:50])),
        best_of(floor(raw_audit_page)),
        "raw SELECT+INSERT",
    )
