"""GPRA-style follow-ups: the organization's schedule, and what was recorded against it.

A follow-up's dates are computed from its episode (rosc.people.Episode) and the organization's
Program (see rosc.followups.schedule); a FollowUp row is written only once there is something to
record (an attempt or the completed interview), and keeps the window it had then.
"""

from django.conf import settings
from django.db import models

from rosc.accounts.models import Organization
from rosc.core.models import BaseModel
from rosc.people.models import Episode, Participant


class InterviewType(models.IntegerChoices):
    """GPRA InterviewType codes (CSAT codebook). 3 (12-month) and 6 (PPW) are not scheduled."""

    INTAKE = 1, "Intake interview"
    SIX_MONTH = 2, "6-month follow-up"
    THREE_MONTH = 4, "3-month follow-up"
    DISCHARGE = 5, "Discharge interview"


class FollowUpState(models.TextChoices):
    """Where a follow-up stands on a given day (never stored: it moves with the calendar).

    DUE        scheduled, but its window has not opened yet (shown as "Coming up").
    OPEN       today is inside its window and it is not completed: now is the time.
    OVERDUE    its window closed without a completed interview. It no longer counts toward
               the follow-up rate; GPRA counts interviews done inside the window only.
    COMPLETED  the interview was done (or the person declined it) on a day inside the window.
    """

    DUE = "due", "Coming up"
    OPEN = "open", "Open now"
    OVERDUE = "overdue", "Overdue (window closed)"
    COMPLETED = "completed", "Completed"


class AttemptMethod(models.TextChoices):
    PHONE_CALL = "phone_call", "Phone call"
    TEXT = "text", "Text message"
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Letter"
    OTHER = "other", "Other"


class AttemptOutcome(models.TextChoices):
    REACHED = "reached", "Reached"
    NOT_REACHED = "not_reached", "Not reached"
    DECLINED = "declined", "Declined"


class Program(BaseModel):
    """An organization's follow-up schedule (its grant program). Defaults: the federal pattern.

    Intake, 6-month follow-up and discharge interview are GPRA's minimum for discretionary
    programs; the 3-month follow-up is for adolescent programs, so it is off by default. The
    window of the 3- and 6-month follow-ups runs from `window_before_days` before the due date
    to `window_after_days` after it (CSAT: 30 and 60).
    """

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="followup_program"
    )
    name = models.CharField(max_length=120, blank=True)
    intake_interview = models.BooleanField(default=True)
    three_month = models.BooleanField("3-month follow-up", default=False)
    six_month = models.BooleanField("6-month follow-up", default=True)
    discharge_interview = models.BooleanField(default=True)
    window_before_days = models.PositiveSmallIntegerField(default=30)
    window_after_days = models.PositiveSmallIntegerField(default=60)
    intake_within_days = models.PositiveSmallIntegerField(
        "intake interview due within (days of enrolment)", default=30
    )
    discharge_within_days = models.PositiveSmallIntegerField(
        "discharge interview due within (days of discharge)", default=30
    )

    def __str__(self) -> str:
        return self.name or f"Follow-up schedule of {self.organization}"


class FollowUp(BaseModel):
    """A follow-up something was recorded against: its window as it was, and how it ended."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="followups")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.PositiveSmallIntegerField("interview type", choices=InterviewType.choices)
    due_on = models.DateField()
    window_opens_on = models.DateField()
    window_closes_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    # REACHED: the interview was done (GPRA ConductedInterview 1); DECLINED: the person said no.
    outcome = models.CharField(max_length=20, choices=AttemptOutcome.choices, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["episode", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "kind"], name="followup_episode_kind"),
        ]
        indexes = [
            models.Index(fields=["organization", "due_on"], name="followup_org_due"),
            models.Index(fields=["participant", "due_on"], name="followup_participant_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (intake {self.episode.intake_seq})"


class FollowUpAttempt(BaseModel):
    """One try at reaching the person for a follow-up, and what happened."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="attempts")
    attempted_on = models.DateField()
    method = models.CharField(max_length=20, choices=AttemptMethod.choices)
    outcome = models.CharField(max_length=20, choices=AttemptOutcome.choices)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["followup", "attempted_on", "created_at"]
        indexes = [
            models.Index(fields=["followup", "attempted_on"], name="attempt_followup_on"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} by {self.get_method_display()} on {self.attempted_on}"
