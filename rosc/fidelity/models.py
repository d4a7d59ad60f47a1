"""RCO standards self-assessments with their network reviews, and council ROSC self-assessments."""

from django.conf import settings
from django.db import models

from rosc.accounts.models import Organization
from rosc.core.models import BaseModel
from rosc.councils.models import Council
from rosc.fidelity.standards import RCO_STANDARD_TITLES, ROSC_ELEMENT_TITLES, ElementScore, Rating


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    ACCEPTED = "accepted", "Reviewed and accepted"
    RETURNED = "returned", "Returned for changes"


# Statuses in which the organization may still change its answers.
EDITABLE_STATUSES = frozenset({AssessmentStatus.DRAFT, AssessmentStatus.RETURNED})


class RcoAssessment(BaseModel):
    """One self-assessment of an RCO against the ten national standards, at one time."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="rco_assessments"
    )
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set when submitted: every one of the ten standards rated "met".
    all_met = models.BooleanField(default=False)
    # Set when a reviewer accepts it; the badge reads the latest accepted assessment.
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["organization", "status", "-accepted_at"], name="rco_assess_badge"
            ),
            models.Index(fields=["status", "submitted_at"], name="rco_assess_queue"),
        ]

    def __str__(self) -> str:
        return f"RCO standards self-assessment of {self.organization.name}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def met_count(self) -> int:
        """How many standards are rated met (reads the prefetched answers when there are)."""
        return sum(1 for a in self.answers.all() if a.rating == Rating.MET)


class RcoAnswer(models.Model):
    """The answer for one standard: met, partly met or not met, with evidence and notes."""

    assessment = models.ForeignKey(RcoAssessment, on_delete=models.CASCADE, related_name="answers")
    standard = models.PositiveSmallIntegerField()
    rating = models.CharField(max_length=20, choices=Rating.choices, blank=True)
    evidence = models.TextField(blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["standard"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "standard"], name="rco_answer_once"),
            models.CheckConstraint(
                condition=models.Q(standard__gte=1, standard__lte=10), name="rco_answer_standard"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard}. {self.title}"

    @property
    def title(self) -> str:
        return RCO_STANDARD_TITLES.get(self.standard, "")


class ReviewDecision(models.TextChoices):
    ACCEPT = "accept", "Accept"
    RETURN = "return", "Return for changes"


class RcoReview(BaseModel):
    """A network reviewer's decision on a submitted assessment: dated, attributed, kept."""

    assessment = models.ForeignKey(RcoAssessment, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(max_length=10, choices=ReviewDecision.choices)
    comments = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewer_organization_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.created_at:%Y-%m-%d})"


class CouncilAssessment(BaseModel):
    """A council's self-assessment against the seventeen ROSC elements, on one date."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="rosc_assessments")
    # The council's local date the assessment describes.
    assessed_on = models.DateField()
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    total = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-assessed_on", "-created_at", "-id"]
        indexes = [models.Index(fields=["council", "-assessed_on"], name="council_assess_latest")]

    def __str__(self) -> str:
        return f"ROSC self-assessment of {self.council.name} on {self.assessed_on}"


class CouncilElementScore(models.Model):
    """The score of one element in one council self-assessment."""

    assessment = models.ForeignKey(
        CouncilAssessment, on_delete=models.CASCADE, related_name="scores"
    )
    element = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(choices=ElementScore.choices)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["element"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "element"], name="council_score_once"),
            models.CheckConstraint(
                condition=models.Q(element__gte=1, element__lte=17), name="council_score_element"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=4), name="council_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.element}. {self.title}: {self.score}"

    @property
    def title(self) -> str:
        return ROSC_ELEMENT_TITLES.get(self.element, "")
