"""Recovery capital check-ins: instruments are data, assessments are a person's answers to one.

An `Instrument` holds everything needed to give and score a validated questionnaire: its items
(ordered text, optionally reverse-scored), its response scale (value + label), how it is scored
(a sum; the minimum and maximum follow from the items and the scale), optional score bands (each
saying whether the literature validated it) and an optional cut-off with its source. BARC-10 is
shipped by a data migration; an organization admin can add another instrument without code.
The JSON fields are checked by `rosc.assessments.services.instrument_problems` before any save.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from rosc.accounts.models import Organization
from rosc.core.models import BaseModel
from rosc.people.models import Participant

BARC10_CODE = "BARC-10"
DEFAULT_CHECKIN_INTERVAL_DAYS = 90


class Scoring(models.TextChoices):
    SUM = "sum", "Sum of the item values (reverse-scored items flipped first)"


class Instrument(BaseModel):
    """A questionnaire. `owner` empty: shipped with the product, for every organization."""

    code = models.CharField(max_length=40, help_text="A short name, e.g. “BARC-10”.")
    name = models.CharField(max_length=200)
    citation = models.TextField(help_text="The publication that validated the instrument.")
    source_url = models.URLField("where the instrument is published", blank=True)
    licence_note = models.TextField("licence and permission to use", blank=True)
    version = models.CharField(max_length=40, blank=True)
    owner = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessment_instruments",
        help_text="The organization that added it; empty for instruments shipped with ROSC Hub.",
    )
    is_active = models.BooleanField(default=True)
    instructions = models.TextField(blank=True)
    # [{"key": "1", "text": "…", "reverse": false}, …] in the order they are asked.
    items = models.JSONField(default=list)
    # [{"value": 1, "label": "Strongly disagree"}, …] from the lowest value to the highest.
    scale = models.JSONField(default=list)
    scoring = models.CharField(max_length=20, choices=Scoring.choices, default=Scoring.SUM)
    # [{"label": "…", "min": 10, "max": 29, "validated": false}, …]; empty for none.
    bands = models.JSONField(default=list, blank=True)
    cutoff = models.IntegerField("cut-off score", null=True, blank=True)
    cutoff_label = models.CharField("what the cut-off means", max_length=200, blank=True)
    cutoff_source = models.TextField("where the cut-off comes from", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "code"], name="instrument_owner_code_unique"),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(owner__isnull=True),
                name="instrument_shipped_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}" if self.code != self.name else self.name

    @property
    def is_shipped(self) -> bool:
        return self.owner_id is None

    @property
    def scale_values(self) -> list[int]:
        return [int(step["value"]) for step in self.scale]

    @property
    def score_min(self) -> int:
        return len(self.items) * min(self.scale_values) if self.scale else 0

    @property
    def score_max(self) -> int:
        return len(self.items) * max(self.scale_values) if self.scale else 0

    def scale_label(self, value: Any) -> str:
        for step in self.scale:
            if step["value"] == value:
                return str(step["label"])
        return ""

    def score(self, answers: dict[str, int]) -> int:
        """The total of complete, already-checked answers (reverse-scored items flipped)."""
        low, high = min(self.scale_values), max(self.scale_values)
        total = 0
        for item in self.items:
            value = int(answers[item["key"]])
            total += (low + high - value) if item.get("reverse") else value
        return total

    def band_for(self, total: int) -> dict[str, Any] | None:
        for band in self.bands:
            if band["min"] <= total <= band["max"]:
                return dict(band)
        return None


class Occasion(models.TextChoices):
    INTAKE = "intake", "Intake"
    ROUTINE = "routine", "Routine check-in"
    FOLLOW_UP = "follow_up", "Follow-up"
    DISCHARGE = "discharge", "Discharge"


class Assessment(BaseModel):
    """One check-in: a person's answers to an instrument on a day, and the total score."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="assessments"
    )
    # The enrolling organization (the participant's), copied for scoping and org-wide queries.
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments")
    taken_on = models.DateField()
    occasion = models.CharField(max_length=20, choices=Occasion.choices)
    # Item key -> the value on the instrument's scale the person chose.
    answers = models.JSONField(default=dict)
    total = models.IntegerField("total score")
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-taken_on", "-created_at"]
        indexes = [
            # A person's history and their latest check-in with an instrument (checkins_due).
            models.Index(
                fields=["participant", "instrument", "taken_on"], name="assessment_person_day"
            ),
            # Organization-wide figures over time.
            models.Index(fields=["organization", "taken_on"], name="assessment_org_day"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} on {self.taken_on:%Y-%m-%d}: {self.total}"


class OrganizationAssessmentSettings(models.Model):
    """How often an organization checks in with each person, and with which instrument.

    Absent means the defaults: BARC-10 every 90 days.
    """

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="assessment_settings"
    )
    checkin_interval_days = models.PositiveIntegerField(
        "days between check-ins", default=DEFAULT_CHECKIN_INTERVAL_DAYS
    )
    checkin_instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The instrument of routine check-ins; empty means BARC-10.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "organization check-in settings"
        verbose_name_plural = "organization check-in settings"

    def __str__(self) -> str:
        return f"{self.organization}: every {self.checkin_interval_days} days"
