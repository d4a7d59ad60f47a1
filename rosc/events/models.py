"""Public events (education, recovery celebrations, community trainings) and who registered.

An event belongs to one or several host organizations and, optionally, to a council. Times are
stored in UTC and shown in the event's own time zone. Registrations are personal data: only the
hosts' event staff see them (rosc/events/selectors.py).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Q

from rosc.accounts.models import Organization
from rosc.core.models import BaseModel


class EventKind(models.TextChoices):
    EDUCATION = "education", "Public education"
    CELEBRATION = "celebration", "Recovery celebration"
    RALLY = "rally", "Rally or walk"
    TRAINING = "training", "Community training"
    OTHER = "other", "Other gathering"


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class Event(BaseModel):
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(blank=True)
    hosts = models.ManyToManyField(Organization, related_name="events_hosted")
    council = models.ForeignKey(
        "councils.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64)
    venue = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postal_code = models.CharField(max_length=10, blank=True, db_index=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    online_url = models.URLField(blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    registration_open = models.BooleanField(default=True)
    status = models.CharField(
        max_length=20, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    published = models.BooleanField(default=False)
    # iCalendar SEQUENCE: bumped on every change, so calendars replace their copy.
    sequence = models.PositiveIntegerField(default=0)
    walk_ins = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_starts_at(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_ends_at(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)

    @property
    def has_place(self) -> bool:
        return bool(self.venue or self.address)


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"
    WAITLISTED = "waitlisted", "On the waitlist"
    CANCELLED = "cancelled", "Cancelled"


class Registration(BaseModel):
    """One person's place at an event (or on its waitlist). One row per e-mail per event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(max_length=120)
    # Stored lower-cased, so the same address cannot register twice.
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20, choices=RegistrationStatus.choices)
    # When the person joined the current queue: the waitlist is served in this order.
    queued_at = models.DateTimeField()
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["queued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="registration_one_per_email"),
        ]
        indexes = [models.Index(fields=["event", "status", "queued_at"], name="registration_queue")]

    def __str__(self) -> str:
        # No name or e-mail: this label is copied into the audit trail.
        return f"Registration {self.public_id}"
