"""Weekly support-group meetings in the Meeting Guide shape, and the feeds they come from.

One Meeting row per meeting: its days and type codes are JSON lists as in the spec, with two
derived columns kept by the services for fast filtering (`day_mask`, a bit per day, and
`types_key`, ",O,D," for a LIKE) so the finder needs no join and no JSON operators.
"""

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import models
from django.utils import timezone

from rosc.core.models import BaseModel
from rosc.meetings.types import DAY_NAMES, type_name


class MeetingFeed(BaseModel):
    """A Meeting Guide JSON feed (an http(s) URL, or a file path given to the command)."""

    name = models.CharField(max_length=200)
    url = models.CharField(max_length=1000, unique=True)
    # For rows that name no `timezone`.
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE)
    refresh_hours = models.PositiveSmallIntegerField(default=24)
    active = models.BooleanField(default=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_ok = models.BooleanField(null=True, blank=True)
    # {"created": n, "updated": n, "deactivated": n, "problems": ["row 3 (slug x): day: ..."]}
    last_report: models.JSONField[Any] = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "In person and online"
    # Temporarily closed and no online way in (TSML calls this "inactive").
    INACTIVE = "inactive", "Not meeting for now"


class Meeting(BaseModel):
    name = models.CharField(max_length=255)
    slug = models.CharField(
        max_length=64, unique=True, error_messages={"unique": "Another meeting has this slug."}
    )
    days: models.JSONField[Any] = models.JSONField(default=list)  # [0..6], 0 = Sunday
    day_mask = models.PositiveSmallIntegerField(default=0)  # bit d set: meets on day d
    first_day = models.PositiveSmallIntegerField(default=0)  # for ordering
    time = models.TimeField()
    end_time = models.TimeField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE)
    types: models.JSONField[Any] = models.JSONField(default=list)
    types_key = models.CharField(max_length=600, blank=True, default="")
    attendance = models.CharField(
        max_length=12, choices=Attendance.choices, default=Attendance.IN_PERSON
    )
    # Where.
    location = models.CharField(max_length=255, blank=True)
    location_notes = models.TextField(blank=True)
    formatted_address = models.CharField(max_length=500, blank=True)
    address = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=100, blank=True)
    approximate = models.BooleanField(default=False)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # Coordinates that are the ZIP code's centre (a meeting entered here without a map point):
    # good enough for "near a ZIP code", never published as the meeting's own position.
    located_by_postal_code = models.BooleanField(default=False)
    region = models.CharField(max_length=255, blank=True)
    sub_region = models.CharField(max_length=255, blank=True)
    # Online.
    conference_url = models.URLField(max_length=1000, blank=True)
    conference_url_notes = models.TextField(blank=True)
    conference_phone = models.CharField(max_length=100, blank=True)
    conference_phone_notes = models.TextField(blank=True)
    # Who and more.
    group = models.CharField(max_length=255, blank=True)
    group_notes = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    url = models.URLField(max_length=1000, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    # Where it came from: a feed, or entered here (no feed).
    feed = models.ForeignKey(
        MeetingFeed, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    # The source's own `updated` (UTC); entered here: None, and the feed says updated_at.
    source_updated = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    # Not stored: miles from the place searched from, set by the finder.
    distance: float | None = None

    class Meta:
        ordering = ("first_day", "time", "name")
        indexes = [
            # Orders of the finder: the week (no day chosen), one day's times.
            models.Index(fields=["first_day", "time", "name"], name="meeting_week_order"),
            models.Index(fields=["time", "name"], name="meeting_time_order"),
            # Covers the counts of the usual filters without reading the table.
            models.Index(
                fields=["active", "attendance", "day_mask", "time_zone", "time"],
                name="meeting_filters",
            ),
            models.Index(fields=["latitude", "longitude"], name="meeting_lat_lng"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def day_names(self) -> list[str]:
        return [DAY_NAMES[d] for d in sorted(self.days)]

    @property
    def type_names(self) -> list[str]:
        return [type_name(code) for code in self.types]

    @property
    def zone_abbreviation(self) -> str:
        """The time zone as people read it today (CST or CDT ...)."""
        try:
            return timezone.now().astimezone(ZoneInfo(self.time_zone)).tzname() or ""
        except (ZoneInfoNotFoundError, ValueError):
            return self.time_zone

    @property
    def is_online(self) -> bool:
        return bool(self.conference_url or self.conference_phone)

    @property
    def is_in_person(self) -> bool:
        return self.attendance in {Attendance.IN_PERSON, Attendance.HYBRID}

    @property
    def full_address(self) -> str:
        if self.formatted_address:
            return self.formatted_address
        parts = [self.address, self.city, " ".join(p for p in (self.state, self.postal_code) if p)]
        return ", ".join(p for p in parts if p)

    @property
    def updated(self) -> Any:
        return self.source_updated or self.updated_at or timezone.now()
