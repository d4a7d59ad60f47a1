"""Joint training programs: courses, their sessions, enrolments, attendance and credited hours.

A course splits its contact hours across credential categories (ethics, harm reduction …);
the split must add up to the course's hours. When a session's host records attendance, the
hours earned are written per category (`CreditedHours`), a snapshot that later course edits do
not change, and a completed enrolment gets a verification code for its certificate.
"""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Q

from rosc.accounts.models import Organization, User
from rosc.core.models import BaseModel


class CredentialCategory(BaseModel):
    """A kind of continuing-education hours a credential asks for. A network may add more."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "credential categories"

    def __str__(self) -> str:
        return self.name


class Course(BaseModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="training_courses"
    )
    title = models.CharField(max_length=200)
    topic = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    contact_hours = models.DecimalField(max_digits=5, decimal_places=2)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact_hours__gt=0), name="training_course_hours_positive"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CourseCategoryHours(models.Model):
    """How many of a course's contact hours count towards one credential category."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="category_hours")
    category = models.ForeignKey(CredentialCategory, on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["category__position", "category__name"]
        constraints = [
            models.UniqueConstraint(fields=["course", "category"], name="training_course_category"),
            models.CheckConstraint(
                condition=Q(hours__gt=0), name="training_category_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course}: {self.category} {self.hours}"


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "In person and online"


class SessionStatus(models.TextChoices):
    OPEN = "open", "Open for enrolment"
    CLOSED = "closed", "Enrolment closed"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Session(BaseModel):
    """A course offered on dates, co-hosted by one or several organizations."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    hosts = models.ManyToManyField(Organization, related_name="training_sessions_hosted")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # Shown in this zone (the owning organization's when the session was made).
    time_zone = models.CharField(max_length=64)
    delivery = models.CharField(max_length=20, choices=Delivery.choices, default=Delivery.IN_PERSON)
    place = models.CharField(max_length=300, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    trainers = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=20, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The VEVENT's SEQUENCE (RFC 5545): one more on every change, so calendars take the update.
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="training_session_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course.title}, {self.local_start:%Y-%m-%d}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.zone)


class Attendance(models.TextChoices):
    UNRECORDED = "unrecorded", "Not recorded yet"
    FULL = "full", "Attended fully"
    PARTIAL = "partial", "Attended part"
    ABSENT = "absent", "Absent"


COMPLETED = (Attendance.FULL, Attendance.PARTIAL)


class Enrolment(BaseModel):
    """A staff member (or a guest, by name and e-mail) enrolled in a session."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="enrolments")
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="training_enrolments"
    )
    # The organization the person enrolled as staff of (their training report's owner).
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_enrolments",
    )
    guest_name = models.CharField(max_length=200, blank=True)
    guest_email = models.EmailField(blank=True)
    enrolled_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(
        max_length=20, choices=Attendance.choices, default=Attendance.UNRECORDED
    )
    hours_attended = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    # The session's last day in its own time zone: what "in a period" compares with.
    completed_on = models.DateField(null=True, blank=True, db_index=True)
    verification_code = models.CharField(max_length=20, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["session__starts_at", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(user__isnull=False),
                name="training_one_enrolment_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_name}: {self.session}"

    @property
    def person_name(self) -> str:
        if self.user is not None:
            return self.user.display_name
        return self.guest_name

    @property
    def is_completed(self) -> bool:
        return self.attendance in COMPLETED and self.withdrawn_at is None

    @property
    def hours_earned(self) -> Decimal:
        return sum((c.hours for c in self.credited_hours.all()), Decimal("0"))


class CreditedHours(models.Model):
    """Hours one completed enrolment earned in one credential category (a snapshot)."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="credited_hours"
    )
    category = models.ForeignKey(CredentialCategory, on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["category__position", "category__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "category"], name="training_credited_once_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.hours}"
