"""Every write of self-assessments: starting, saving and submitting an RCO's assessment, the
network's review of it, and a council's ROSC self-assessment. Each is audited in its transaction.
"""

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization
from rosc.accounts.roles import Perm
from rosc.accounts.services import PermissionDenied
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.councils.models import Council
from rosc.fidelity.models import (
    AssessmentStatus,
    CouncilAssessment,
    CouncilElementScore,
    RcoAnswer,
    RcoAssessment,
    RcoReview,
    ReviewDecision,
)
from rosc.fidelity.standards import RCO_KINDS, RCO_STANDARDS, ROSC_ELEMENTS, ElementScore, Rating

MAX_TEXT = 4000


@dataclass(frozen=True)
class AnswerData:
    standard: int
    rating: str = ""
    evidence: str = ""
    evidence_url: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ScoreData:
    element: int
    score: int
    notes: str = ""


def assesses_rco_standards(organization: Organization) -> bool:
    """Recovery community organizations, centers and cafés assess themselves."""
    return organization.kind in RCO_KINDS


def _own_editable_organization(actor: Actor, organization: Organization) -> None:
    if (
        actor.organization is None
        or actor.organization.pk != organization.pk
        or not actor.can(Perm.FIDELITY_EDIT)
    ):
        raise PermissionDenied


def _text(value: str, field: str, errors: dict[str, list[str]]) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        errors.setdefault(field, []).append(f"Keep this under {MAX_TEXT} characters.")
    return value


@transaction.atomic
def rco_assessment_start(*, actor: Actor, organization: Organization) -> RcoAssessment:
    """A new draft, starting from the answers of the organization's latest assessment.

    Refused (ValidationError) for organizations that are not RCOs, centers or cafés, and while
    another assessment is still a draft, returned for changes, or waiting for review."""
    _own_editable_organization(actor, organization)
    if not assesses_rco_standards(organization):
        raise ValidationError(
            "Only recovery community organizations, centers and cafés assess themselves "
            "against the national RCO standards."
        )
    open_one = (
        RcoAssessment.objects.select_for_update()
        .filter(
            organization=organization,
            status__in=[
                AssessmentStatus.DRAFT,
                AssessmentStatus.RETURNED,
                AssessmentStatus.SUBMITTED,
            ],
        )
        .first()
    )
    if open_one is not None:
        raise ValidationError(
            "An assessment is already open (draft, returned or waiting for review). "
            "Finish that one first."
        )
    previous = (
        RcoAssessment.objects.filter(organization=organization)
        .order_by("-created_at", "-id")
        .first()
    )
    old = {a.standard: a for a in previous.answers.all()} if previous else {}
    assessment = RcoAssessment.objects.create(organization=organization, started_by=actor.user)
    RcoAnswer.objects.bulk_create(
        [
            RcoAnswer(
                assessment=assessment,
                standard=number,
                rating=old[number].rating if number in old else "",
                evidence=old[number].evidence if number in old else "",
                evidence_url=old[number].evidence_url if number in old else "",
                notes=old[number].notes if number in old else "",
            )
            for number, _title in RCO_STANDARDS
        ]
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=assessment,
        record_organization_id=organization.public_id,
        detail={"from": str(previous.public_id) if previous else None},
    )
    return assessment


@transaction.atomic
def rco_assessment_save(
    *, actor: Actor, assessment: RcoAssessment, answers: list[AnswerData], submit: bool
) -> RcoAssessment:
    """Save the answers of a draft (or a returned assessment); with `submit`, every standard
    must be rated and the assessment goes to the network for review.

    Raises ValidationError with fields named `rating_<n>`, `evidence_<n>` … next to which the
    form shows each message; nothing is saved then."""
    assessment = RcoAssessment.objects.select_for_update().get(pk=assessment.pk)
    _own_editable_organization(actor, assessment.organization)
    if not assessment.is_editable:
        raise ValidationError("This assessment was submitted and can no longer be changed.")
    by_number = {a.standard: a for a in answers}
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, AnswerData] = {}
    ratings = set(Rating.values)
    for number, _title in RCO_STANDARDS:
        given = by_number.get(number, AnswerData(standard=number))
        rating = given.rating or ""
        if rating and rating not in ratings:
            errors.setdefault(f"rating_{number}", []).append("Choose one of the answers.")
        elif submit and not rating:
            errors.setdefault(f"rating_{number}", []).append(
                "Choose met, partly met or not met before submitting."
            )
        url = (given.evidence_url or "").strip()
        if url and not url.lower().startswith(("https://", "http://")):
            errors.setdefault(f"evidence_url_{number}", []).append(
                "Enter a web address starting with https://."
            )
        cleaned[number] = AnswerData(
            standard=number,
            rating=rating,
            evidence=_text(given.evidence, f"evidence_{number}", errors),
            evidence_url=url[:500],
            notes=_text(given.notes, f"notes_{number}", errors),
        )
    if errors:
        raise ValidationError(errors)
    rows = {a.standard: a for a in assessment.answers.all()}
    changed = []
    for number, data in cleaned.items():
        row = rows.get(number) or RcoAnswer(assessment=assessment, standard=number)
        before = (row.rating, row.evidence, row.evidence_url, row.notes)
        row.rating, row.evidence, row.evidence_url, row.notes = (
            data.rating,
            data.evidence,
            data.evidence_url,
            data.notes,
        )
        if row.pk is None or before != (row.rating, row.evidence, row.evidence_url, row.notes):
            row.save()
            changed.append(number)
    detail: dict[str, object] = {"standards_changed": changed}
    if submit:
        detail["status"] = [assessment.status, AssessmentStatus.SUBMITTED.value]
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_at = timezone.now()
        assessment.submitted_by = actor.user
        assessment.all_met = all(d.rating == Rating.MET for d in cleaned.values())
        assessment.save(
            update_fields=["status", "submitted_at", "submitted_by", "all_met", "updated_at"]
        )
    else:
        assessment.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=assessment,
        record_organization_id=assessment.organization.public_id,
        detail=detail,
    )
    return assessment


@transaction.atomic
def rco_assessment_review(
    *, actor: Actor, assessment: RcoAssessment, decision: str, comments: str
) -> RcoReview:
    """The network's decision on a submitted assessment: accept (comments optional) or return
    for changes (comments required). Dated and attributed; the badge follows acceptances."""
    if not actor.can(Perm.FIDELITY_REVIEW):
        raise PermissionDenied
    assessment = RcoAssessment.objects.select_for_update().get(pk=assessment.pk)
    errors: dict[str, list[str]] = {}
    comments = _text(comments, "comments", errors)
    if decision not in ReviewDecision.values:
        errors.setdefault("decision", []).append("Choose to accept or to return it.")
    elif decision == ReviewDecision.RETURN and not comments:
        errors.setdefault("comments", []).append(
            "Say what the organization should change before it submits again."
        )
    if assessment.status != AssessmentStatus.SUBMITTED:
        errors.setdefault("decision", []).append(
            "Only an assessment waiting for review can be reviewed."
        )
    if errors:
        raise ValidationError(errors)
    org = actor.organization
    review = RcoReview.objects.create(
        assessment=assessment,
        decision=decision,
        comments=comments,
        reviewed_by=actor.user,
        reviewer_organization_name=org.name if org else "",
    )
    before = assessment.status
    if decision == ReviewDecision.ACCEPT:
        assessment.status = AssessmentStatus.ACCEPTED
        assessment.accepted_at = review.created_at
    else:
        assessment.status = AssessmentStatus.RETURNED
    assessment.save(update_fields=["status", "accepted_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=assessment,
        record_organization_id=assessment.organization.public_id,
        detail={"review": decision, "status": [before, assessment.status]},
    )
    return review


def council_today(council: Council) -> date:
    return timezone.localdate(timezone.now(), ZoneInfo(council.time_zone))


@transaction.atomic
def council_assessment_record(
    *,
    actor: Actor,
    council: Council,
    assessed_on: date,
    scores: list[ScoreData],
    notes: str = "",
) -> CouncilAssessment:
    """A council coordinator scores each of the seventeen ROSC elements (0 to 4)."""
    if (
        actor.organization is None
        or council.host_id != actor.organization.pk
        or not actor.can(Perm.COUNCIL_MANAGE)
    ):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if assessed_on > council_today(council):
        errors.setdefault("assessed_on", []).append("The date cannot be in the future.")
    by_element = {s.element: s for s in scores}
    valid = set(ElementScore.values)
    cleaned: list[ScoreData] = []
    for number, _title in ROSC_ELEMENTS:
        given = by_element.get(number)
        if given is None or given.score not in valid:
            errors.setdefault(f"score_{number}", []).append("Choose a score from 0 to 4.")
            continue
        cleaned.append(
            ScoreData(
                element=number,
                score=given.score,
                notes=_text(given.notes, f"notes_{number}", errors),
            )
        )
    notes = _text(notes, "notes", errors)
    if errors:
        raise ValidationError(errors)
    assessment = CouncilAssessment.objects.create(
        council=council,
        assessed_on=assessed_on,
        notes=notes,
        recorded_by=actor.user,
        total=sum(s.score for s in cleaned),
    )
    CouncilElementScore.objects.bulk_create(
        [
            CouncilElementScore(
                assessment=assessment, element=s.element, score=s.score, notes=s.notes
            )
            for s in cleaned
        ]
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=assessment,
        record_organization_id=council.host.public_id,
        detail={"council": str(council.public_id), "total": assessment.total},
    )
    return assessment
