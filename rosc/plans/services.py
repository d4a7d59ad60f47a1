"""Every write to recovery plans: saving a new version, and a supervisor's review.

Saving is optimistic: the editor says which version they started from (`base_version`). When
someone else saved a newer version meanwhile, `plan_save` raises `PlanConflict` and saves
nothing, so no one's work is overwritten without them knowing.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID, uuid4

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization
from rosc.accounts.roles import Perm
from rosc.accounts.services import PermissionDenied
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.people.models import LifeDomain, Participant
from rosc.plans.models import (
    PlanGoal,
    PlanReview,
    PlanStep,
    PlanVersion,
    Progress,
    RecoveryPlan,
)

CONFLICT_CODE = "plan_conflict"
UNCHANGED_CODE = "plan_unchanged"
MEANING_MAX = 4000
STRENGTHS_MAX = 4000
GOAL_MAX = 1000
STEP_MAX = 1000
WHO_MAX = 200
NOTE_MAX = 500
COMMENT_MAX = 4000
# Target dates are plans, not history: a year before 2000 or decades ahead is a typing slip.
EARLIEST_TARGET = date(2000, 1, 1)
TARGET_YEARS_AHEAD = 10


@dataclass(frozen=True)
class StepData:
    text: str
    who_helps: str = ""
    target_date: date | None = None
    status: str = Progress.NOT_STARTED


@dataclass(frozen=True)
class GoalData:
    domain: str
    text: str
    status: str = Progress.NOT_STARTED
    steps: Sequence[StepData] = field(default_factory=tuple)
    # The same goal keeps its key from version to version (None: a new goal).
    key: UUID | None = None


class PlanConflict(ValidationError):
    """Someone saved a newer version than the one the editor started from. Nothing was saved."""

    def __init__(self, *, current_version: int, base_version: int | None) -> None:
        self.current_version = current_version
        self.base_version = base_version
        message = (
            "Someone saved a newer version of this plan while you were editing "
            f"(version {current_version}). Nothing was saved: look at what changed, then save "
            "again on top of it."
            if current_version
            else "This plan is no longer there to save on. Nothing was saved."
        )
        super().__init__({"base_version": [ValidationError(message, code=CONFLICT_CODE)]})


def _acting_organization(actor: Actor, participant: Participant, perm: str) -> Organization:
    org = actor.organization
    if org is None or not actor.can(perm) or participant.organization_id != org.pk:
        raise PermissionDenied
    return org


def _clean_text(value: str) -> str:
    return (value or "").strip()


def _check_target(value: date | None, today: date) -> str | None:
    if value is None:
        return None
    latest = date(today.year + TARGET_YEARS_AHEAD, 12, 31)
    if value < EARLIEST_TARGET or value > latest:
        return f"Please check the year: give a target date between 2000 and {latest.year}."
    return None


def plan_check(
    *, meaning: str, strengths: str, goals: Sequence[GoalData], change_note: str
) -> tuple[str, str, list[GoalData], str]:
    """The cleaned content, or a ValidationError naming each field that needs a change.

    Error keys: "meaning", "strengths", "change_note", "goals", "goals.<i>.<field>" and
    "goals.<i>.steps.<j>.<field>" (counting from 0).
    """
    errors: dict[str, str] = {}
    meaning, strengths, change_note = (
        _clean_text(meaning),
        _clean_text(strengths),
        _clean_text(change_note),
    )
    if len(meaning) > MEANING_MAX:
        errors["meaning"] = f"Please keep this under {MEANING_MAX} characters."
    if len(strengths) > STRENGTHS_MAX:
        errors["strengths"] = f"Please keep this under {STRENGTHS_MAX} characters."
    if len(change_note) > NOTE_MAX:
        errors["change_note"] = f"Please keep the note under {NOTE_MAX} characters."
    today = timezone.localdate()
    cleaned: list[GoalData] = []
    for i, goal in enumerate(goals):
        where = f"goals.{i}"
        text = _clean_text(goal.text)
        if not text:
            errors[f"{where}.text"] = "Write the goal, in the person's own words."
        elif len(text) > GOAL_MAX:
            errors[f"{where}.text"] = f"Please keep the goal under {GOAL_MAX} characters."
        if goal.domain not in LifeDomain.values:
            errors[f"{where}.domain"] = "Choose the life domain this goal belongs to."
        if goal.status not in Progress.values:
            errors[f"{where}.status"] = "Choose where this goal stands from the list."
        steps: list[StepData] = []
        for j, step in enumerate(goal.steps):
            at = f"{where}.steps.{j}"
            step_text, who = _clean_text(step.text), _clean_text(step.who_helps)
            if not step_text:
                errors[f"{at}.text"] = "Describe the step."
            elif len(step_text) > STEP_MAX:
                errors[f"{at}.text"] = f"Please keep the step under {STEP_MAX} characters."
            if len(who) > WHO_MAX:
                errors[f"{at}.who_helps"] = f"Please keep this under {WHO_MAX} characters."
            if (problem := _check_target(step.target_date, today)) is not None:
                errors[f"{at}.target_date"] = problem
            if step.status not in Progress.values:
                errors[f"{at}.status"] = "Choose where this step stands from the list."
            steps.append(StepData(step_text, who, step.target_date, step.status))
        cleaned.append(GoalData(goal.domain, text, goal.status, tuple(steps), goal.key))
    if not errors and not (meaning or strengths or cleaned):
        errors["meaning"] = (
            "Write at least one thing: what recovery means to the person, a strength, or a goal."
        )
    if errors:
        raise ValidationError(errors)
    return meaning, strengths, cleaned, change_note


def version_content(version: PlanVersion) -> tuple[str, str, list[GoalData]]:
    """A version's content as plain data (goals and steps must be loaded or are queried)."""
    goals = [
        GoalData(
            g.domain,
            g.text,
            g.status,
            tuple(StepData(s.text, s.who_helps, s.target_date, s.status) for s in g.steps.all()),
            g.key,
        )
        for g in version.goals.all()
    ]
    return version.meaning, version.strengths, goals


def _same_content(
    version: PlanVersion, meaning: str, strengths: str, goals: Sequence[GoalData]
) -> bool:
    old_meaning, old_strengths, old_goals = version_content(version)

    def shape(items: Sequence[GoalData]) -> list[tuple[object, ...]]:
        return [(g.domain, g.text, g.status, tuple(g.steps)) for g in items]

    return (old_meaning, old_strengths, shape(old_goals)) == (meaning, strengths, shape(goals))


@transaction.atomic
def plan_save(
    *,
    actor: Actor,
    participant: Participant,
    base_version: int | None,
    meaning: str,
    strengths: str,
    goals: Sequence[GoalData],
    change_note: str = "",
) -> PlanVersion:
    """Save the plan as a new version on top of `base_version` (None: there is no plan yet).

    Raises PlanConflict (a ValidationError with code "plan_conflict" on "base_version") when
    the plan is no longer at `base_version`; ValidationError with field errors for bad content;
    PermissionDenied outside the participant's organization. Saves nothing unless it succeeds.
    """
    org = _acting_organization(actor, participant, Perm.PARTICIPANTS_OPEN)
    meaning, strengths, cleaned, change_note = plan_check(
        meaning=meaning, strengths=strengths, goals=goals, change_note=change_note
    )
    now = timezone.now()
    plan = RecoveryPlan.objects.select_for_update().filter(participant=participant).first()
    current = plan.current_version if plan is not None else 0
    if (base_version or 0) != current:
        raise PlanConflict(current_version=current, base_version=base_version)
    if plan is None:
        try:
            with transaction.atomic():
                plan = RecoveryPlan.objects.create(
                    participant=participant,
                    organization=org,
                    current_version=1,
                    awaiting_review_since=now,
                )
        except IntegrityError as exc:  # someone made the plan a moment ago
            latest = RecoveryPlan.objects.filter(participant=participant).first()
            raise PlanConflict(
                current_version=latest.current_version if latest else 0,
                base_version=base_version,
            ) from exc
        number = 1
        event = AuditEvent.Action.CREATE
    else:
        base = PlanVersion.objects.filter(plan=plan, number=current).first()
        if base is not None and _same_content(base, meaning, strengths, cleaned):
            raise ValidationError(
                {
                    "meaning": ValidationError(
                        f"Nothing has changed since version {current}, so there is nothing "
                        "new to save.",
                        code=UNCHANGED_CODE,
                    )
                }
            )
        number = current + 1
        # Compare and swap: only one save can move the plan from `current` to `number`.
        moved = RecoveryPlan.objects.filter(pk=plan.pk, current_version=current).update(
            current_version=number, awaiting_review_since=now, updated_at=now
        )
        if moved != 1:
            raise PlanConflict(current_version=current + 1, base_version=base_version)
        event = AuditEvent.Action.UPDATE
    version = PlanVersion.objects.create(
        plan=plan,
        participant=participant,
        number=number,
        meaning=meaning,
        strengths=strengths,
        change_note=change_note,
        saved_by=actor.user,
        saved_at=now,
    )
    rows = PlanGoal.objects.bulk_create(
        PlanGoal(
            version=version,
            key=goal.key or uuid4(),
            position=i,
            domain=goal.domain,
            text=goal.text,
            status=goal.status,
        )
        for i, goal in enumerate(cleaned)
    )
    PlanStep.objects.bulk_create(
        PlanStep(
            goal=row,
            position=j,
            text=step.text,
            who_helps=step.who_helps,
            target_date=step.target_date,
            status=step.status,
        )
        for row, goal in zip(rows, cleaned, strict=True)
        for j, step in enumerate(goal.steps)
    )
    audit_record(
        actor=actor,
        action=event,
        record=version,
        record_organization_id=org.public_id,
        subject=participant,
        detail={"version": number, "goals": len(cleaned)},
    )
    return version


@transaction.atomic
def plan_review(*, actor: Actor, version: PlanVersion, comment: str = "") -> PlanReview:
    """A supervisor (or organization admin) of the participant's organization reviews a version."""
    participant = version.participant
    org = _acting_organization(actor, participant, Perm.PLANS_REVIEW)
    comment = _clean_text(comment)
    if len(comment) > COMMENT_MAX:
        raise ValidationError(
            {"comment": f"Please keep the comment under {COMMENT_MAX} characters."}
        )
    now = timezone.now()
    review = PlanReview.objects.create(
        version=version, reviewer=actor.user, comment=comment, reviewed_at=now
    )
    # Reviewing the version in force ends the wait; a review of an older one is kept as history.
    RecoveryPlan.objects.filter(pk=version.plan_id, current_version=version.number).update(
        awaiting_review_since=None, updated_at=now
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=review,
        record_organization_id=org.public_id,
        subject=participant,
        detail={"version": version.number},
    )
    return review
