"""Demo training: three joint courses, sessions co-hosted by demo organizations, enrolments.

`build_demo_training(organizations, seed)` runs after the demo network exists. Each course has
a session held some weeks ago, with its demo staff enrolled and attendance recorded (most
attended fully, one in part, one absent), and a session still to come with a few people
enrolled. The history is invented, so it is written directly (not through the services, which
refuse to enrol anyone in a session that already took place). The same seed gives the same
training, relative to today.
"""

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from rosc.accounts.models import Membership, Organization, User
from rosc.demo.network import TIME_ZONE, demo_slugs
from rosc.training.categories import categories_ensure_defaults
from rosc.training.models import (
    Attendance,
    Course,
    CourseCategoryHours,
    CredentialCategory,
    CreditedHours,
    Delivery,
    Enrolment,
    Session,
)
from rosc.training.services import CODE_ALPHABET, split_hours


@dataclass(frozen=True)
class CourseSpec:
    owner: str
    title: str
    topic: str
    description: str
    split: tuple[tuple[str, str], ...]  # (category slug, hours)
    co_hosts: tuple[str, ...]
    delivery: str
    place: str
    trainers: str
    held_days_ago: int
    next_in_days: int


COURSES: tuple[CourseSpec, ...] = (
    CourseSpec(
        "riverbend",
        "Ethics for peer recovery specialists",
        "Ethics",
        "Boundaries, dual relationships, confidentiality and self-care in peer recovery "
        "support. Meets the ethics hours of the peer recovery specialist credential.",
        (("ethics", "4"), ("recovery-coaching", "2")),
        ("prairie_path",),
        Delivery.IN_PERSON,
        "Riverbend Recovery Community Center, training room",
        "Dana Whitfield, Marcus Okafor",
        45,
        24,
    ),
    CourseSpec(
        "open_door",
        "Naloxone and harm reduction",
        "Harm reduction",
        "Recognizing an opioid overdose, giving naloxone, and meeting people who use drugs "
        "where they are, without judgement.",
        (("harm-reduction", "2"),),
        ("northgate", "recovery_court"),
        Delivery.HYBRID,
        "Northgate Community Hospital, conference room B, and online",
        "Priya Ramirez",
        30,
        10,
    ),
    CourseSpec(
        "host_metro",
        "Trauma-informed care",
        "Trauma-informed care",
        "How trauma shapes recovery, and the six principles of a trauma-informed approach in "
        "everyday peer and partner work.",
        (("trauma-informed-care", "3"),),
        ("cedar_grove",),
        Delivery.ONLINE,
        "Online (the link is sent to enrolled staff)",
        "Grace Nakamura",
        70,
        38,
    ),
)

SESSION_HOURS = {"riverbend": 7, "open_door": 2, "host_metro": 3}


def _weekday_on_or_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=ZoneInfo(TIME_ZONE))


def _code(rng: random.Random, used: set[str]) -> str:
    while True:
        raw = "".join(rng.choice(CODE_ALPHABET) for _ in range(12))
        code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
        if code not in used and not Enrolment.objects.filter(verification_code=code).exists():
            used.add(code)
            return code


@transaction.atomic
def build_demo_training(organizations: Mapping[str, Organization], seed: int) -> None:
    rng = random.Random(f"training-{seed}")
    today = timezone.localdate(timezone=ZoneInfo(TIME_ZONE))
    categories_ensure_defaults()
    categories = {c.slug: c for c in CredentialCategory.objects.all()}
    staff = list(
        Membership.objects.active()
        .filter(organization__in=organizations.values(), user__is_demo=True)
        .select_related("user", "organization")
        .order_by("user__username", "organization__slug")
    )
    used: set[str] = set()
    for spec in COURSES:
        owner = organizations[spec.owner]
        course = Course.objects.create(
            organization=owner,
            title=spec.title,
            topic=spec.topic,
            description=spec.description,
            contact_hours=sum((Decimal(h) for _s, h in spec.split), Decimal("0")),
        )
        shares = []
        for slug, hours in spec.split:
            CourseCategoryHours.objects.create(
                course=course, category=categories[slug], hours=Decimal(hours)
            )
            shares.append((categories[slug], Decimal(hours)))
        hosts = [owner, *(organizations[k] for k in spec.co_hosts)]
        length = SESSION_HOURS[spec.owner]
        sessions = []
        for days in (-spec.held_days_ago, spec.next_in_days):
            day = _weekday_on_or_before(today + timedelta(days=days))
            session = Session.objects.create(
                course=course,
                starts_at=_at(day, 9),
                ends_at=_at(day, 9 + length),
                time_zone=TIME_ZONE,
                delivery=spec.delivery,
                place=spec.place,
                capacity=25,
                trainers=spec.trainers,
            )
            session.hosts.set(hosts)
            sessions.append(session)
        held, upcoming = sessions
        recorder = next((m.user for m in staff if m.organization_id == owner.pk), None)
        people = _distinct_people(rng.sample(staff, k=min(9, len(staff))))
        for i, m in enumerate(people):
            attendance = Attendance.ABSENT if i == 0 else Attendance.FULL
            if i == 1:
                attendance = Attendance.PARTIAL
            _held_enrolment(held, m, attendance, recorder, shares, course, rng, used)
        for m in _distinct_people(rng.sample(staff, k=min(4, len(staff)))):
            Enrolment.objects.create(session=upcoming, user=m.user, organization=m.organization)


def _distinct_people(memberships: list[Membership]) -> list[Membership]:
    seen: set[int] = set()
    out = []
    for m in memberships:
        if m.user_id not in seen:
            seen.add(m.user_id)
            out.append(m)
    return out


def _held_enrolment(
    session: Session,
    m: Membership,
    attendance: str,
    recorder: User | None,
    shares: list[tuple[CredentialCategory, Decimal]],
    course: Course,
    rng: random.Random,
    used: set[str],
) -> None:
    done = attendance in (Attendance.FULL, Attendance.PARTIAL)
    earned = course.contact_hours
    if attendance == Attendance.PARTIAL:
        earned = (course.contact_hours / 2).quantize(Decimal("0.01"))
    enrolment = Enrolment.objects.create(
        session=session,
        user=m.user,
        organization=m.organization,
        attendance=attendance,
        hours_attended=earned if done else None,
        attendance_recorded_by=recorder if recorder != m.user else None,
        attendance_recorded_at=session.ends_at + timedelta(hours=1),
        completed_on=session.local_end.date() if done else None,
        verification_code=_code(rng, used) if done else None,
    )
    if done:
        CreditedHours.objects.bulk_create(
            CreditedHours(enrolment=enrolment, category=c, hours=h)
            for c, h in split_hours(shares, course.contact_hours, earned)
        )


def clear_demo_training() -> None:
    slugs = demo_slugs()
    courses = Course.objects.filter(organization__slug__in=slugs)
    Enrolment.objects.filter(session__course__in=courses).delete()
    Enrolment.objects.filter(user__is_demo=True).delete()
    Session.objects.filter(course__in=courses).delete()
    courses.delete()
