"""Reentry and diversion: the two justice-system pathways built on a Referral.

A reentry referral (kind "reentry") is sent by a jail or prison before someone's release; its
ReentryPlan holds the facility, the expected and actual release, the RCO's checklist and the
contacts it made. A diversion referral (kind "diversion") is sent by a court or probation
office; its DiversionAgreement says how often the RCO reports, and each ProgressReport is a
consented disclosure of counts only (never notes, never assessments, never plan text).
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from rosc.consent.models import Disclosure
from rosc.core.models import AppendOnlyModel, BaseModel
from rosc.referrals.models import Referral


class ReentryPlan(BaseModel):
    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="reentry_plan")
    facility_name = models.CharField("jail or prison", max_length=200)
    expected_release_on = models.DateField("expected release date")
    # The actual release: a day, and the time when someone knows it. Without a time the
    # release counts from the start of that day in the recipient's time zone (the 72 hours
    # then run from midnight, which never shortens them).
    released_on = models.DateField("released on", null=True, blank=True)
    released_time = models.TimeField("at (time, if known)", null=True, blank=True)
    release_recorded_at = models.DateTimeField(null=True, blank=True)
    release_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    release_recorded_by_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Reentry plan ({self.facility_name}, expected {self.expected_release_on})"

    def get_absolute_url(self) -> str:
        return reverse("justice:reentry_detail", args=[self.referral.public_id])


class ChecklistItem(models.TextChoices):
    ID = "id", "Identification (state ID or birth certificate)"
    HOUSING = "housing", "Housing for the first nights"
    TRANSPORT = "transport", "Transport from the gate"
    FIRST_APPOINTMENTS = "first_appointments", "First appointments booked"
    NALOXONE = "naloxone", "Naloxone in hand"
    BENEFITS = "benefits", "Benefits (Medicaid, SNAP) applied for"


class ReentryChecklistTick(BaseModel):
    """One checklist item the RCO has done, with when, who and an optional note."""

    plan = models.ForeignKey(ReentryPlan, on_delete=models.CASCADE, related_name="ticks")
    item = models.CharField(max_length=30, choices=ChecklistItem.choices)
    done_on = models.DateField()
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "item"], name="reentry_tick_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}: done {self.done_on}"


class ContactKind(models.TextChoices):
    IN_REACH = "in_reach", "In-reach visit (inside the facility)"
    PHONE = "phone", "Phone call"
    VIDEO = "video", "Video call"
    LETTER = "letter", "Letter"
    AT_THE_GATE = "at_the_gate", "Met at the gate"
    IN_PERSON = "in_person", "In person, after release"


# Kinds that count as meeting the person after release: a live conversation. A letter is
# contact but not a meeting; an in-reach visit happens inside, before release.
MEETING_KINDS = frozenset(
    {ContactKind.AT_THE_GATE, ContactKind.IN_PERSON, ContactKind.PHONE, ContactKind.VIDEO}
)


class ReentryContact(BaseModel):
    """A contact the RCO made with the person, before or after release."""

    plan = models.ForeignKey(ReentryPlan, on_delete=models.CASCADE, related_name="contacts")
    occurred_at = models.DateTimeField("when")
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    note = models.CharField(max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["plan", "occurred_at"], name="reentry_contact_at")]

    def __str__(self) -> str:
        # Never the note: this is the label the audit trail copies.
        return f"{self.get_kind_display()} on {self.occurred_at:%Y-%m-%d}"


class Pathway(models.TextChoices):
    RECOVERY_COURT = "recovery_court", "Recovery (drug) court"
    PRETRIAL = "pretrial", "Pre-trial diversion"
    PROBATION = "probation", "Probation"
    DEFERRED = "deferred", "Deferred prosecution"
    OTHER = "other", "Another justice-system program"


class ReportEvery(models.IntegerChoices):
    TWO_WEEKS = 14, "Every 14 days"
    MONTH = 30, "Every 30 days"
    TWO_MONTHS = 60, "Every 60 days"
    QUARTER = 90, "Every 90 days"


class DiversionAgreement(BaseModel):
    referral = models.OneToOneField(
        Referral, on_delete=models.CASCADE, related_name="diversion_agreement"
    )
    pathway = models.CharField(max_length=20, choices=Pathway.choices)
    report_every_days = models.PositiveSmallIntegerField(
        "progress report", choices=ReportEvery.choices, default=ReportEvery.MONTH
    )
    next_report_due = models.DateField(db_index=True)

    def __str__(self) -> str:
        return f"{self.get_pathway_display()}, reports {self.get_report_every_days_display()}"

    def get_absolute_url(self) -> str:
        return reverse("justice:diversion_detail", args=[self.referral.public_id])


class ProgressReport(AppendOnlyModel):
    """One report to the court: counts in a period, sent under consent (its Disclosure)."""

    class Trigger(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        STAFF = "staff", "Sent by staff"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    content = models.JSONField()
    # The disclosure it went out under (the first, if more than one consent was relied on).
    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="+")
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-period_end", "-id"]
        indexes = [models.Index(fields=["referral", "-period_end"], name="progress_report_recent")]

    def __str__(self) -> str:
        return f"Progress report {self.period_start} to {self.period_end}"
