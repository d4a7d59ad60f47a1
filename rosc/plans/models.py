"""A person-centred recovery plan: the person's own words, their strengths, goals by life domain.

A plan is a series of versions. A saved version never changes (the model refuses updates and
deletes); editing the plan saves version n+1 on top of the version the editor started from, and
`RecoveryPlan.current_version` says which one is in force. A supervisor may review a version and
comment on it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from rosc.accounts.models import Organization
from rosc.core.models import AppendOnlyModel, BaseModel
from rosc.people.models import LifeDomain, Participant


class Progress(models.TextChoices):
    """Where a goal or a step stands, in kind words: nothing here is a failure."""

    NOT_STARTED = "not_started", "Not started yet"
    IN_PROGRESS = "in_progress", "Working on it"
    DONE = "done", "Done"
    SET_ASIDE = "set_aside", "Set aside for now"


class RecoveryPlan(BaseModel):
    """One person's plan; its content lives in its versions."""

    participant = models.OneToOneField(
        Participant, on_delete=models.PROTECT, related_name="recovery_plan"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="recovery_plans"
    )
    current_version = models.PositiveIntegerField(default=0)
    # When the version in force was saved, while no supervisor has reviewed it yet.
    awaiting_review_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["organization", "awaiting_review_since"], name="plan_org_awaiting"
            ),
        ]

    def __str__(self) -> str:
        return f"Recovery plan of {self.participant}"


class PlanVersion(AppendOnlyModel):
    """One saved version of a plan: never changed once saved."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(RecoveryPlan, on_delete=models.CASCADE, related_name="versions")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    meaning = models.TextField("what recovery means to me", blank=True)
    strengths = models.TextField(blank=True)
    change_note = models.CharField(max_length=500, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_once"),
        ]

    def __str__(self) -> str:
        return f"Recovery plan of {self.participant}, version {self.number}"


class PlanGoal(AppendOnlyModel):
    """A goal of one version. `key` stays the same for the same goal across versions."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="goals")
    key = models.UUIDField(default=uuid.uuid4)
    position = models.PositiveSmallIntegerField()
    domain = models.CharField(max_length=30, choices=LifeDomain.choices)
    text = models.TextField("the goal, in the person's words")
    status = models.CharField(max_length=20, choices=Progress.choices, default=Progress.NOT_STARTED)

    class Meta:
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.text[:80]


class PlanStep(AppendOnlyModel):
    """A step towards a goal: what, who helps, by when, and where it stands."""

    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    who_helps = models.CharField(max_length=200, blank=True)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Progress.choices, default=Progress.NOT_STARTED)

    class Meta:
        ordering = ["goal", "position"]

    def __str__(self) -> str:
        return self.text[:80]


class PlanReview(AppendOnlyModel):
    """A supervisor's review of one version, with their comment (which may be empty)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["version", "reviewed_at"]

    def __str__(self) -> str:
        return f"Review of {self.version}"
