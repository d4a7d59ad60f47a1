"""ROSC councils, the counties they cover, their rosters and their meetings.

A council's meetings are a series (an RFC 5545 recurrence rule in the council's time zone) and
its occurrences. An Occurrence row exists only for a date somebody touched: a cancellation, a
moved date, an extra date, or a meeting with an agenda, attendance, minutes or action items.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import models

from rosc.accounts.models import Organization, User
from rosc.core.models import BaseModel


class County(models.Model):
    """A real US county, by its five-digit FIPS code."""

    fips = models.CharField(max_length=5, unique=True)
    name = models.CharField(max_length=100)
    state = models.CharField(max_length=2)
    # The mean of the county's ZIP centroids (rosc.councils.places); empty when unknown.
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["state", "name"]
        verbose_name_plural = "counties"

    def __str__(self) -> str:
        return f"{self.name} County, {self.state}"


class Council(BaseModel):
    """A regional ROSC council: a region of counties and the organization that hosts it."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    host = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="councils_hosted")
    counties = models.ManyToManyField(County, related_name="councils")
    time_zone = models.CharField(max_length=64)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


class Sector(models.TextChoices):
    PEOPLE_IN_RECOVERY = "people_in_recovery", "People in recovery"
    FAMILY = "family", "Family members"
    RCO = "rco", "Recovery community organizations"
    TREATMENT = "treatment", "Treatment"
    HEALTH_CARE = "health_care", "Health care"
    MENTAL_HEALTH = "mental_health", "Mental health"
    JUSTICE = "justice", "Justice and law enforcement"
    FAITH = "faith", "Faith communities"
    EDUCATION = "education", "Education"
    EMPLOYERS = "employers", "Employers"
    HOUSING = "housing", "Housing"
    LOCAL_GOVERNMENT = "local_government", "Local government"
    PUBLIC_HEALTH = "public_health", "Public health"


class CouncilRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    CO_CHAIR = "co_chair", "Co-chair"
    MEMBER = "member", "Member"
    GUEST = "guest", "Guest"


class CouncilMember(BaseModel):
    """A person on a council's roster, from a sector, for a span of dates."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="council_seats"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="council_seats",
    )
    email = models.EmailField(blank=True)
    sector = models.CharField(max_length=32, choices=Sector.choices)
    council_role = models.CharField(
        max_length=16, choices=CouncilRole.choices, default=CouncilRole.MEMBER
    )
    active_from = models.DateField()
    active_to = models.DateField(null=True, blank=True)
    # SHA-256 of the secret in the member's personal calendar address; empty: no address.
    feed_token_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_to__isnull=True)
                | models.Q(active_to__gte=models.F("active_from")),
                name="council_member_active_span",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: date) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)


class MeetingSeries(BaseModel):
    """A council's regular meeting: an RRULE (without DTSTART, UNTIL or COUNT) in local time."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="series")
    title = models.CharField(max_length=200)
    rrule = models.CharField(max_length=300)
    # The first meeting: the first date of the rule on or after the start date asked for.
    first_date = models.DateField()
    start_time = models.TimeField()
    end_time = models.TimeField()
    until = models.DateField(null=True, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    address = models.CharField(max_length=300, blank=True)
    online_url = models.URLField(blank=True)
    # RFC 5545 SEQUENCE of the series' VEVENT: bumped on every change calendars must see.
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["first_date"]
        verbose_name_plural = "meeting series"

    def __str__(self) -> str:
        return f"{self.title} ({self.council})"

    def local_start(self, day: date) -> datetime:
        return datetime.combine(day, self.start_time, tzinfo=self.council.tz)

    def local_end(self, day: date) -> datetime:
        return datetime.combine(day, self.end_time, tzinfo=self.council.tz)


class MinutesStatus(models.TextChoices):
    DRAFTED = "drafted", "Drafted"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


MINUTES_TRANSITIONS: dict[str, tuple[str, ...]] = {
    MinutesStatus.DRAFTED: (MinutesStatus.APPROVED,),
    MinutesStatus.APPROVED: (MinutesStatus.DRAFTED, MinutesStatus.PUBLISHED),
    MinutesStatus.PUBLISHED: (),
}


class Occurrence(BaseModel):
    """One meeting of a series: a date of its rule (recurrence_date) or an extra date (none)."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="occurrences")
    recurrence_date = models.DateField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)
    # Set for an extra date, and for a date of the rule moved to another time or day (UTC).
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    # Empty: the series' place.
    address = models.CharField(max_length=300, blank=True)
    online_url = models.URLField(blank=True)
    sequence = models.PositiveIntegerField(default=0)
    agenda = models.TextField(blank=True)
    guests = models.TextField(blank=True, help_text="Guests who are not on the roster.")
    minutes = models.TextField(blank=True)
    minutes_status = models.CharField(
        max_length=16, choices=MinutesStatus.choices, default=MinutesStatus.DRAFTED
    )
    attendees = models.ManyToManyField(CouncilMember, blank=True, related_name="meetings_attended")

    class Meta:
        ordering = ["starts_at", "recurrence_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "recurrence_date"],
                condition=models.Q(recurrence_date__isnull=False),
                name="one_occurrence_per_rule_date",
            ),
            models.CheckConstraint(
                condition=models.Q(recurrence_date__isnull=False)
                | models.Q(starts_at__isnull=False),
                name="extra_occurrence_has_a_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series.title} on {self.start_local:%Y-%m-%d}"

    @property
    def is_extra(self) -> bool:
        return self.recurrence_date is None

    @property
    def is_moved(self) -> bool:
        return self.recurrence_date is not None and self.starts_at is not None

    @property
    def start_local(self) -> datetime:
        if self.starts_at is not None:
            return self.starts_at.astimezone(self.series.council.tz)
        assert self.recurrence_date is not None
        return self.series.local_start(self.recurrence_date)

    @property
    def end_local(self) -> datetime:
        if self.ends_at is not None:
            return self.ends_at.astimezone(self.series.council.tz)
        assert self.recurrence_date is not None
        return self.series.local_end(self.recurrence_date)

    @property
    def place_address(self) -> str:
        return self.address or self.series.address

    @property
    def place_url(self) -> str:
        return self.online_url or self.series.online_url


class ActionItem(BaseModel):
    """Something a meeting asked someone to do by a date. Open items follow to later meetings."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=500)
    owner = models.ForeignKey(
        CouncilMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "created_at"]

    def __str__(self) -> str:
        return self.text
