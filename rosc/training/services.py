"""Every write of the training app: courses, sessions, enrolments, attendance.

Each function is keyword-only, runs in one transaction and writes its audit event. Refusals of
the actor's role raise `PermissionDenied` (views answer 404); bad input raises
`ValidationError` with field names, so forms show it next to the field.
"""

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.models import Membership, Organization, User
from rosc.accounts.roles import Perm
from rosc.accounts.services import PermissionDenied
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.training.models import (
    COMPLETED,
    Attendance,
    Course,
    CourseCategoryHours,
    CredentialCategory,
    CreditedHours,
    Delivery,
    Enrolment,
    Session,
    SessionStatus,
)

CENT = Decimal("0.01")
# No 0/O, 1/I/L: a code read aloud or typed from paper should not be ambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def category_hours_problems(
    contact_hours: Decimal | None, category_hours: Mapping[CredentialCategory, Decimal]
) -> dict[str, str]:
    """What is wrong with a course's hours and their split across categories (field -> message)."""
    problems: dict[str, str] = {}
    if contact_hours is None or contact_hours <= 0:
        problems["contact_hours"] = "Contact hours must be more than 0."
        return problems
    if any(h < 0 for h in category_hours.values()):
        problems["__all__"] = "Hours in a category cannot be negative."
        return problems
    total = sum((h for h in category_hours.values() if h > 0), Decimal("0"))
    if total == 0:
        problems["__all__"] = "Give the hours of at least one credential category."
    elif total != contact_hours:
        problems["__all__"] = (
            f"The hours by category add up to {total.normalize():f}, but the course has "
            f"{contact_hours.normalize():f} contact hours. They must be equal."
        )
    return problems


def _require(actor: Actor, perm: str) -> Organization:
    org = actor.organization
    if org is None or not actor.can(perm):
        raise PermissionDenied
    return org


def _save_category_hours(
    course: Course, category_hours: Mapping[CredentialCategory, Decimal]
) -> None:
    CourseCategoryHours.objects.filter(course=course).delete()
    CourseCategoryHours.objects.bulk_create(
        CourseCategoryHours(course=course, category=c, hours=_money(h))
        for c, h in category_hours.items()
        if h > 0
    )


@transaction.atomic
def course_create(
    *,
    actor: Actor,
    title: str,
    topic: str = "",
    description: str = "",
    contact_hours: Decimal,
    category_hours: Mapping[CredentialCategory, Decimal],
) -> Course:
    org = _require(actor, Perm.TRAINING_MANAGE)
    problems = category_hours_problems(contact_hours, category_hours)
    if not title.strip():
        problems["title"] = "Give the course a title."
    if problems:
        raise ValidationError(problems)
    course = Course.objects.create(
        organization=org,
        title=title.strip(),
        topic=topic.strip(),
        description=description.strip(),
        contact_hours=_money(contact_hours),
        created_by=actor.user,
    )
    _save_category_hours(course, category_hours)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=course,
        record_organization_id=org.public_id,
        detail={"hours": str(course.contact_hours)},
    )
    return course


@transaction.atomic
def course_update(
    *,
    actor: Actor,
    course: Course,
    title: str,
    topic: str = "",
    description: str = "",
    contact_hours: Decimal,
    category_hours: Mapping[CredentialCategory, Decimal],
) -> Course:
    """Change a course. Hours already credited to people stay as they were recorded."""
    org = _require(actor, Perm.TRAINING_MANAGE)
    if course.organization_id != org.pk:
        raise PermissionDenied
    problems = category_hours_problems(contact_hours, category_hours)
    if not title.strip():
        problems["title"] = "Give the course a title."
    if problems:
        raise ValidationError(problems)
    course.title = title.strip()
    course.topic = topic.strip()
    course.description = description.strip()
    course.contact_hours = _money(contact_hours)
    course.save()
    _save_category_hours(course, category_hours)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=course,
        record_organization_id=org.public_id,
        detail={"hours": str(course.contact_hours)},
    )
    return course


@dataclass(frozen=True)
class SessionData:
    starts_at: datetime
    ends_at: datetime
    co_hosts: Sequence[Organization] = ()
    delivery: str = Delivery.IN_PERSON
    place: str = ""
    capacity: int | None = None
    trainers: str = ""
    status: str = SessionStatus.OPEN


def _session_problems(data: SessionData) -> dict[str, str]:
    problems: dict[str, str] = {}
    if timezone.is_naive(data.starts_at) or timezone.is_naive(data.ends_at):
        raise ValueError("session times must be aware")
    if data.ends_at <= data.starts_at:
        problems["end_time"] = "The session must end after it starts."
    if data.delivery not in Delivery.values:
        problems["delivery"] = "Choose how the session is given."
    if data.status not in SessionStatus.values:
        problems["status"] = "Choose a status."
    if data.capacity is not None and data.capacity < 1:
        problems["capacity"] = "Capacity must be at least 1, or left empty for no limit."
    return problems


def _apply(session: Session, data: SessionData) -> None:
    session.starts_at = data.starts_at
    session.ends_at = data.ends_at
    session.delivery = data.delivery
    session.place = data.place.strip()
    session.capacity = data.capacity
    session.trainers = data.trainers.strip()
    session.status = data.status


@transaction.atomic
def session_create(*, actor: Actor, course: Course, data: SessionData) -> Session:
    """Offer a course on dates. The course's organization always hosts; co-hosts join it."""
    org = _require(actor, Perm.TRAINING_MANAGE)
    if course.organization_id != org.pk:
        raise PermissionDenied
    problems = _session_problems(data)
    if problems:
        raise ValidationError(problems)
    session = Session(course=course, time_zone=org.time_zone, created_by=actor.user)
    _apply(session, data)
    session.save()
    session.hosts.set([org, *[h for h in data.co_hosts if h.pk != org.pk]])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=session,
        record_organization_id=org.public_id,
        detail={"hosts": sorted(h.name for h in session.hosts.all())},
    )
    return session


@transaction.atomic
def session_update(*, actor: Actor, session: Session, data: SessionData) -> Session:
    org = _require(actor, Perm.TRAINING_MANAGE)
    if session.course.organization_id != org.pk:
        raise PermissionDenied
    problems = _session_problems(data)
    if problems:
        raise ValidationError(problems)
    _apply(session, data)
    session.sequence += 1
    session.save()
    session.hosts.set([org, *[h for h in data.co_hosts if h.pk != org.pk]])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=session,
        record_organization_id=org.public_id,
        detail={"status": session.status, "sequence": session.sequence},
    )
    return session


def seats_taken(session: Session) -> int:
    return session.enrolments.filter(withdrawn_at__isnull=True).count()


@transaction.atomic
def enrolment_create(
    *, actor: Actor, session: Session, person: Membership | None = None
) -> Enrolment:
    """Enrol oneself (person None) or, as an organization admin, a colleague of one's organization.

    Refused when the session is not open or is full, or the person is already enrolled; a
    person who withdrew earlier is enrolled again.
    """
    org = actor.organization
    if org is None:
        raise PermissionDenied
    if person is None:
        user: User = actor.user
    else:
        if not actor.can(Perm.STAFF_MANAGE) or person.organization_id != org.pk:
            raise PermissionDenied
        if not person.is_active:
            raise ValidationError({"person": "This colleague's account is not active."})
        user = person.user
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.OPEN:
        raise ValidationError({"session": "This session is not open for enrolment."})
    if session.ends_at <= timezone.now():
        raise ValidationError({"session": "This session has already taken place."})
    existing = Enrolment.objects.filter(session=session, user=user).first()
    if existing is not None and existing.withdrawn_at is None:
        raise ValidationError(
            {"session": f"{user.display_name} is already enrolled in this session."}
        )
    if session.capacity is not None and seats_taken(session) >= session.capacity:
        raise ValidationError({"session": "This session is full."})
    if existing is not None:
        existing.withdrawn_at = None
        existing.organization = org
        existing.enrolled_by = actor.user
        existing.save()
        enrolment = existing
    else:
        enrolment = Enrolment.objects.create(
            session=session, user=user, organization=org, enrolled_by=actor.user
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=enrolment,
        record_organization_id=org.public_id,
        subject=user,
    )
    return enrolment


@transaction.atomic
def guest_enrol(*, actor: Actor, session: Session, name: str, email: str) -> Enrolment:
    """A host's staff enrol a guest (no account) by name and e-mail address."""
    if not is_host(actor, session):
        raise PermissionDenied
    problems = {}
    if not name.strip():
        problems["name"] = "Give the guest's name."
    if not email.strip():
        problems["email"] = "Give the guest's e-mail address."
    if problems:
        raise ValidationError(problems)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError({"name": "The session was cancelled."})
    if Enrolment.objects.filter(
        session=session, guest_email__iexact=email.strip(), withdrawn_at__isnull=True
    ).exists():
        raise ValidationError({"email": "A guest with this e-mail address is already enrolled."})
    if session.capacity is not None and seats_taken(session) >= session.capacity:
        raise ValidationError({"name": "This session is full."})
    enrolment = Enrolment.objects.create(
        session=session,
        guest_name=name.strip(),
        guest_email=email.strip(),
        enrolled_by=actor.user,
    )
    org = actor.organization
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=enrolment,
        record_organization_id=org.public_id if org else None,
        detail={"guest": True},
    )
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, actor: Actor, enrolment: Enrolment) -> Enrolment:
    """Take back an enrolment: the person themselves, or their organization's admin."""
    org = actor.organization
    own = enrolment.user_id == actor.user.pk
    admin = org is not None and actor.can(Perm.STAFF_MANAGE) and enrolment.organization_id == org.pk
    if not (own or admin):
        raise PermissionDenied
    if enrolment.withdrawn_at is not None:
        return enrolment
    if enrolment.attendance != Attendance.UNRECORDED:
        raise ValidationError("Attendance is already recorded; the enrolment cannot be withdrawn.")
    enrolment.withdrawn_at = timezone.now()
    enrolment.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DEACTIVATE,
        record=enrolment,
        record_organization_id=enrolment.organization.public_id if enrolment.organization else None,
        subject=enrolment.user,
    )
    return enrolment


def split_hours(
    category_hours: Sequence[tuple[CredentialCategory, Decimal]], total: Decimal, earned: Decimal
) -> list[tuple[CredentialCategory, Decimal]]:
    """Share `earned` hours across the categories in the course's proportions, to the cent.

    Each share is rounded down to the cent and the cents left over go to the shares that lost
    the most in rounding (largest remainders), so the parts always add up to `earned`.
    """
    if earned == total:
        return [(c, _money(h)) for c, h in category_hours]
    cents = int(_money(earned) * 100)
    exact = [h * cents / total for _c, h in category_hours]
    floors = [int(x) for x in exact]
    left = cents - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: exact[i] - floors[i], reverse=True)
    for i in order[:left]:
        floors[i] += 1
    return [
        (c, Decimal(n) / 100) for (c, _h), n in zip(category_hours, floors, strict=True) if n > 0
    ]


def is_host(actor: Actor, session: Session) -> bool:
    org = actor.organization
    return org is not None and session.hosts.filter(pk=org.pk).exists()


def new_verification_code() -> str:
    while True:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
        code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
        if not Enrolment.objects.filter(verification_code=code).exists():
            return code


@transaction.atomic
def attendance_record(
    *,
    actor: Actor,
    enrolment: Enrolment,
    attendance: str,
    hours_attended: Decimal | None = None,
) -> Enrolment:
    """Record whether a person attended (fully, partly with hours, absent) and credit the hours.

    Only staff of one of the session's hosts may, and never for their own enrolment.
    """
    session = enrolment.session
    if not is_host(actor, session) or enrolment.user_id == actor.user.pk:
        raise PermissionDenied
    if enrolment.withdrawn_at is not None:
        raise ValidationError({"attendance": "This person withdrew from the session."})
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError({"attendance": "The session was cancelled."})
    if session.starts_at > timezone.now():
        raise ValidationError({"attendance": "The session has not started yet."})
    course = session.course
    if attendance not in Attendance.values:
        raise ValidationError({"attendance": "Choose what happened."})
    if attendance == Attendance.PARTIAL:
        if hours_attended is None:
            raise ValidationError({"hours_attended": "Give the hours attended."})
        if not (0 < hours_attended < course.contact_hours):
            raise ValidationError(
                {
                    "hours_attended": f"Hours attended must be more than 0 and less than the "
                    f"course's {course.contact_hours.normalize():f} hours."
                }
            )
        earned = _money(hours_attended)
    elif attendance == Attendance.FULL:
        earned = course.contact_hours
    else:
        earned = Decimal("0")
    enrolment.attendance = attendance
    enrolment.hours_attended = earned if attendance in COMPLETED else None
    enrolment.attendance_recorded_by = actor.user
    enrolment.attendance_recorded_at = timezone.now()
    enrolment.completed_on = session.local_end.date() if attendance in COMPLETED else None
    if attendance in COMPLETED and not enrolment.verification_code:
        enrolment.verification_code = new_verification_code()
    enrolment.save()
    CreditedHours.objects.filter(enrolment=enrolment).delete()
    if attendance in COMPLETED:
        shares = [(c.category, c.hours) for c in course.category_hours.select_related("category")]
        CreditedHours.objects.bulk_create(
            CreditedHours(enrolment=enrolment, category=c, hours=h)
            for c, h in split_hours(shares, course.contact_hours, earned)
        )
    org = actor.organization
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=enrolment,
        record_organization_id=org.public_id if org else None,
        subject=enrolment.user,
        detail={"attendance": attendance, "hours": str(earned)},
    )
    return enrolment
