"""Reads of the training app.

The course calendar, a session's public page and certificate verification are public (course
offerings are public; a verification shows only what the certificate holder chose to share by
handing out its code). Everything else takes the acting user: a session's roster only for the
staff of its hosts, a certificate only for its holder and their organization's admin, the
organization's report only for its admin. Anything else answers 404 after a denied audit event.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.db import transaction
from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.models import Membership, Organization, User
from rosc.accounts.roles import Perm
from rosc.accounts.selectors import deny
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.training.models import (
    COMPLETED,
    Course,
    CredentialCategory,
    CreditedHours,
    Enrolment,
    Session,
    SessionStatus,
)

ZERO = Decimal("0")


# --- public --------------------------------------------------------------------------------


def upcoming_sessions() -> QuerySet[Session]:
    """Sessions still to come that are not cancelled, soonest first."""
    return (
        Session.objects.filter(ends_at__gt=timezone.now())
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("course", "course__organization")
        .prefetch_related("hosts")
        .order_by("starts_at")
    )


def public_session(session_id: UUID) -> Session | None:
    return (
        Session.objects.select_related("course", "course__organization")
        .prefetch_related("hosts", "course__category_hours__category")
        .filter(public_id=session_id)
        .first()
    )


def enrolment_verified(code: str) -> Enrolment | None:
    """The completed enrolment a certificate's verification code names, or None."""
    code = code.strip().upper()
    if not code:
        return None
    return (
        Enrolment.objects.select_related("user", "session", "session__course")
        .prefetch_related("credited_hours__category")
        .filter(verification_code=code, attendance__in=COMPLETED, withdrawn_at__isnull=True)
        .first()
    )


def own_enrolment_in(user: User, session: Session) -> Enrolment | None:
    return Enrolment.objects.filter(session=session, user=user, withdrawn_at__isnull=True).first()


def seats_left(session: Session) -> int | None:
    if session.capacity is None:
        return None
    taken = session.enrolments.filter(withdrawn_at__isnull=True).count()
    return max(session.capacity - taken, 0)


# --- course owners ---------------------------------------------------------------------------


def _refuse(actor: Actor, *, action: str, record_type: str, record_id: str, owner: UUID | None):
    return deny(
        actor,
        action=action,
        record_type=record_type,
        record_id=record_id,
        record_organization_id=owner,
    )


def managed_organization(*, actor: Actor) -> Organization:
    """The actor's organization, when their role runs its training courses."""
    org = actor.organization
    if org is None or not actor.can(Perm.TRAINING_MANAGE):
        raise _refuse(
            actor,
            action=AuditEvent.Action.LIST,
            record_type="training.course",
            record_id=str(org.public_id) if org else "",
            owner=org.public_id if org else None,
        )
    return org


def course_list(*, actor: Actor) -> tuple[Organization, list[Course]]:
    org = managed_organization(actor=actor)
    courses = list(
        Course.objects.filter(organization=org).prefetch_related(
            "category_hours__category",
            Prefetch("sessions", queryset=Session.objects.order_by("-starts_at")),
        )
    )
    return org, courses


def managed_course(*, actor: Actor, course_id: UUID) -> Course:
    course = (
        Course.objects.select_related("organization")
        .prefetch_related("category_hours__category")
        .filter(public_id=course_id)
        .first()
    )
    org = actor.organization
    if (
        course is None
        or org is None
        or course.organization_id != org.pk
        or not actor.can(Perm.TRAINING_MANAGE)
    ):
        raise _refuse(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type="training.course",
            record_id=str(course_id),
            owner=course.organization.public_id if course else None,
        )
    return course


def managed_session(*, actor: Actor, session_id: UUID) -> Session:
    session = (
        Session.objects.select_related("course", "course__organization")
        .prefetch_related("hosts")
        .filter(public_id=session_id)
        .first()
    )
    org = actor.organization
    if (
        session is None
        or org is None
        or session.course.organization_id != org.pk
        or not actor.can(Perm.TRAINING_MANAGE)
    ):
        raise _refuse(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type="training.session",
            record_id=str(session_id),
            owner=session.course.organization.public_id if session else None,
        )
    return session


# --- hosts ----------------------------------------------------------------------------------


def host_session(*, actor: Actor, session_id: UUID) -> tuple[Session, list[Enrolment]]:
    """A session and everyone enrolled, for the staff of one of its hosts (audited)."""
    session = (
        Session.objects.select_related("course", "course__organization")
        .prefetch_related("hosts")
        .filter(public_id=session_id)
        .first()
    )
    org = actor.organization
    if session is None or org is None or org not in session.hosts.all():
        raise _refuse(
            actor,
            action=AuditEvent.Action.LIST,
            record_type="training.session",
            record_id=str(session_id),
            owner=session.course.organization.public_id if session else None,
        )
    with transaction.atomic():
        enrolments = list(
            session.enrolments.filter(withdrawn_at__isnull=True)
            .select_related("user", "organization")
            .order_by("user__last_name", "user__first_name", "guest_name")
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.LIST,
            record=session,
            record_label=f"Enrolments in {session}",
            record_organization_id=org.public_id,
            detail={"count": len(enrolments)},
        )
    return session, enrolments


# --- certificates ----------------------------------------------------------------------------


def certificate_get(*, actor: Actor, enrolment_id: UUID) -> Enrolment:
    """A completed enrolment's certificate: for its holder, and their organization's admin."""
    enrolment = (
        Enrolment.objects.select_related("user", "organization", "session", "session__course")
        .prefetch_related("credited_hours__category", "session__hosts")
        .filter(public_id=enrolment_id)
        .first()
    )
    org = actor.organization
    allowed = enrolment is not None and (
        enrolment.user_id == actor.user.pk
        or (
            org is not None and actor.can(Perm.STAFF_MANAGE) and enrolment.organization_id == org.pk
        )
        # A guest has no account: the staff of the session's hosts print it for them.
        or (enrolment.user_id is None and org is not None and org in enrolment.session.hosts.all())
    )
    if enrolment is None or not allowed or not enrolment.is_completed:
        raise _refuse(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type="training.enrolment",
            record_id=str(enrolment_id),
            owner=enrolment.organization.public_id
            if enrolment is not None and enrolment.organization
            else None,
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=enrolment,
        record_label=f"Certificate: {enrolment}",
        record_organization_id=enrolment.organization.public_id if enrolment.organization else None,
        subject=enrolment.user,
    )
    return enrolment


# --- training records ------------------------------------------------------------------------


@dataclass
class TrainingRecord:
    """Hours by category over a period: for one person, or for each person of an organization."""

    start: date
    end: date
    categories: list[CredentialCategory]
    enrolments: list[Enrolment] = field(default_factory=list)
    totals: dict[int, Decimal] = field(default_factory=dict)  # category pk -> hours

    @property
    def total(self) -> Decimal:
        return sum(self.totals.values(), ZERO)

    def lines(self) -> list[tuple[CredentialCategory, Decimal]]:
        return [(c, self.totals.get(c.pk, ZERO)) for c in self.categories]


def _categories_used(pks: set[int]) -> list[CredentialCategory]:
    return list(CredentialCategory.objects.filter(pk__in=pks))


def my_training(*, user: User, start: date, end: date) -> TrainingRecord:
    """The person's own completed trainings in [start, end], with hours by category."""
    enrolments = list(
        Enrolment.objects.filter(
            user=user,
            attendance__in=COMPLETED,
            withdrawn_at__isnull=True,
            completed_on__gte=start,
            completed_on__lte=end,
        )
        .select_related("session", "session__course")
        .prefetch_related("credited_hours__category", "session__hosts")
        .order_by("-completed_on")
    )
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for e in enrolments:
        for c in e.credited_hours.all():
            totals[c.category_id] += c.hours
    return TrainingRecord(
        start=start,
        end=end,
        categories=_categories_used(set(totals)),
        enrolments=enrolments,
        totals=dict(totals),
    )


def my_upcoming(*, user: User) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(
            user=user, withdrawn_at__isnull=True, session__ends_at__gt=timezone.now()
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session", "session__course")
        .order_by("session__starts_at")
    )


@dataclass
class StaffRow:
    name: str
    email: str
    role: str
    hours: list[Decimal]
    total: Decimal


@dataclass
class OrganizationReport:
    organization: Organization
    start: date
    end: date
    categories: list[CredentialCategory]
    rows: list[StaffRow]

    @property
    def totals(self) -> list[Decimal]:
        return [sum((r.hours[i] for r in self.rows), ZERO) for i in range(len(self.categories))]

    @property
    def total(self) -> Decimal:
        return sum((r.total for r in self.rows), ZERO)


def organization_report(
    *, actor: Actor, start: date, end: date, export: bool = False
) -> OrganizationReport:
    """Each active staff member by hours by category earned as the organization's staff in the
    period. For the organization's admin only (audited as a list, or an export)."""
    org = actor.organization
    action = AuditEvent.Action.EXPORT if export else AuditEvent.Action.LIST
    if org is None or not actor.can(Perm.STAFF_MANAGE):
        raise _refuse(
            actor,
            action=action,
            record_type="training.enrolment",
            record_id=str(org.public_id) if org else "",
            owner=org.public_id if org else None,
        )
    sums = (
        CreditedHours.objects.filter(
            enrolment__organization=org,
            enrolment__attendance__in=COMPLETED,
            enrolment__withdrawn_at__isnull=True,
            enrolment__completed_on__gte=start,
            enrolment__completed_on__lte=end,
        )
        .values("enrolment__user_id", "category_id")
        .annotate(hours=Sum("hours"))
    )
    by_user: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for s in sums:
        by_user[s["enrolment__user_id"]][s["category_id"]] = s["hours"]
    categories = _categories_used({c for hours in by_user.values() for c in hours})
    memberships = (
        Membership.objects.active()
        .filter(organization=org)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    rows = []
    for m in memberships:
        hours = [by_user.get(m.user_id, {}).get(c.pk, ZERO) for c in categories]
        rows.append(
            StaffRow(
                name=m.user.display_name,
                email=m.user.email,
                role=m.get_role_display(),
                hours=hours,
                total=sum(hours, ZERO),
            )
        )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=action,
            record_type="training.enrolment",
            record_label=f"Training report of {org.name}, {start} to {end}",
            record_organization_id=org.public_id,
            detail={"start": str(start), "end": str(end), "staff": len(rows)},
        )
    return OrganizationReport(
        organization=org, start=start, end=end, categories=categories, rows=rows
    )
