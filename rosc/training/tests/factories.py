"""Making courses, sessions and completed enrolments in tests.

`offer` and `completed` write through the ORM (a session in the past cannot be enrolled in
through the services, which refuse sessions that already took place); the behaviour under test
goes through the services.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from rosc.accounts.models import Organization, User
from rosc.training.categories import categories_ensure_defaults
from rosc.training.models import (
    Attendance,
    Course,
    CourseCategoryHours,
    CredentialCategory,
    CreditedHours,
    Enrolment,
    Session,
)
from rosc.training.services import new_verification_code


def course(
    org: Organization,
    title: str = "Naloxone and harm reduction",
    split: dict[str, str] | None = None,
) -> Course:
    """A course whose contact hours are the sum of `split` (category slug -> hours)."""
    split = split or {"harm-reduction": "2"}
    categories_ensure_defaults()
    made = Course.objects.create(
        organization=org,
        title=title,
        contact_hours=sum((Decimal(h) for h in split.values()), Decimal("0")),
    )
    for slug, hours in split.items():
        CourseCategoryHours.objects.create(
            course=made, category=CredentialCategory.objects.get(slug=slug), hours=Decimal(hours)
        )
    return made


def offer(
    made: Course,
    *,
    starts_at: datetime | None = None,
    hours: int = 2,
    hosts: tuple[Organization, ...] = (),
    capacity: int | None = None,
) -> Session:
    """A session of the course, hosted by its organization (and `hosts`); next week by default."""
    start = starts_at or timezone.now() + timedelta(days=7)
    session = Session.objects.create(
        course=made,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        time_zone=made.organization.time_zone,
        place="Community room",
        trainers="Alex Trainer",
        capacity=capacity,
    )
    session.hosts.set([made.organization, *hosts])
    return session


def completed(session: Session, user: User, org: Organization) -> Enrolment:
    """A full-attendance enrolment with its credited hours and verification code."""
    enrolment = Enrolment.objects.create(
        session=session,
        user=user,
        organization=org,
        attendance=Attendance.FULL,
        hours_attended=session.course.contact_hours,
        completed_on=session.local_end.date(),
        verification_code=new_verification_code(),
    )
    for part in session.course.category_hours.all():
        CreditedHours.objects.create(enrolment=enrolment, category=part.category, hours=part.hours)
    return enrolment


def matrix_records(org: Organization, peer: User) -> tuple[Course, Session, Enrolment]:
    """For the authorization matrix: the organization's course, a session of it held yesterday
    (hosted by the organization alone) and a colleague's completed enrolment in it."""
    made = course(org, title=f"Ethics for peer recovery specialists ({org.slug})")
    session = offer(made, starts_at=timezone.now() - timedelta(days=1))
    return made, session, completed(session, peer, org)
