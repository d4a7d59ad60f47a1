"""Every read of recovery plans, behind the same gate as the participant they belong to.

Each read of a plan (its page, a version, the printable copy, the version list) is audited with
the participant as subject. A participant of another organization, or a role that may not open
participant records, gets the same Http404 as a missing record, after a "denied" event.
"""

from dataclasses import dataclass, field
from uuid import UUID

from django.db import transaction
from django.db.models import F, Prefetch, QuerySet

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization
from rosc.accounts.roles import Perm
from rosc.accounts.selectors import deny
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.people.models import LifeDomain, Participant
from rosc.people.selectors import participant_in_reach, participant_record_or_deny
from rosc.plans.models import PlanGoal, PlanReview, PlanStep, PlanVersion, Progress, RecoveryPlan

PLAN = "plans.recoveryplan"
VERSION = "plans.planversion"
REVIEW = "plans.planreview"


@dataclass
class PlanRead:
    """A participant's plan as one read of it: the plan (None before the first save) and the
    version asked for (the one in force unless said otherwise), with goals, steps, reviews."""

    participant: Participant
    plan: RecoveryPlan | None
    version: PlanVersion | None


@dataclass(frozen=True)
class Change:
    """One difference between two versions, in words a person can read."""

    what: str
    detail: str = ""


@dataclass
class DomainGoals:
    domain: str
    label: str
    goals: list[PlanGoal] = field(default_factory=list)


def _full_versions() -> QuerySet[PlanVersion]:
    return PlanVersion.objects.select_related("saved_by", "plan", "participant").prefetch_related(
        Prefetch(
            "goals",
            queryset=PlanGoal.objects.order_by("position").prefetch_related(
                Prefetch("steps", queryset=PlanStep.objects.order_by("position"))
            ),
        ),
        Prefetch(
            "reviews",
            queryset=PlanReview.objects.select_related("reviewer").order_by("reviewed_at"),
        ),
    )


def _gate(actor: Actor, participant_id: UUID | str, action: str, record_type: str) -> Participant:
    return participant_in_reach(
        actor=actor, participant_id=participant_id, action=action, record_type=record_type
    )


def _audit_view(
    actor: Actor, participant: Participant, read: PlanRead, purpose: str = "view"
) -> None:
    detail: dict[str, object] = {"purpose": purpose}
    if read.version is not None:
        detail["version"] = read.version.number
        audit_record(
            actor=actor,
            action=AuditEvent.Action.VIEW,
            record=read.version,
            record_organization_id=participant.organization.public_id,
            subject=participant,
            detail=detail,
        )
    else:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.VIEW,
            record_type=PLAN,
            record_label=f"Recovery plan of {participant} (none yet)",
            record_organization_id=participant.organization.public_id,
            subject=participant,
            detail=detail,
        )


def _current(participant: Participant) -> PlanRead:
    plan = RecoveryPlan.objects.filter(participant=participant).first()
    version = None
    if plan is not None and plan.current_version:
        version = _full_versions().filter(plan=plan, number=plan.current_version).first()
    return PlanRead(participant=participant, plan=plan, version=version)


def _current_summary(participant: Participant) -> PlanRead:
    """The plan in force as the person's page sums it up: its goals (not their steps), who
    saved it and its reviews; the participant is the one in hand."""
    plan = RecoveryPlan.objects.filter(participant=participant).first()
    version = None
    if plan is not None and plan.current_version:
        version = (
            PlanVersion.objects.filter(plan=plan, number=plan.current_version)
            .select_related("saved_by")
            .prefetch_related(
                Prefetch("goals", queryset=PlanGoal.objects.order_by("position")),
                Prefetch(
                    "reviews",
                    queryset=PlanReview.objects.select_related("reviewer").order_by("reviewed_at"),
                ),
            )
            .first()
        )
        if version is not None:
            version.plan, version.participant = plan, participant
    return PlanRead(participant=participant, plan=plan, version=version)


def plan_current(*, actor: Actor, participant_id: UUID | str, purpose: str = "view") -> PlanRead:
    """The plan in force (or none yet). `purpose` ("view", "edit", "print", "api") is audited."""
    participant = _gate(actor, participant_id, AuditEvent.Action.VIEW, PLAN)
    with transaction.atomic():
        read = _current(participant)
        _audit_view(actor, participant, read, purpose)
    return read


def plan_version_list(
    *, actor: Actor, participant_id: UUID | str
) -> tuple[Participant, RecoveryPlan | None, list[PlanVersion]]:
    """Every version of the plan, newest first, with who saved it and its reviews."""
    participant = _gate(actor, participant_id, AuditEvent.Action.LIST, VERSION)
    with transaction.atomic():
        plan = RecoveryPlan.objects.filter(participant=participant).first()
        versions = (
            list(
                PlanVersion.objects.filter(plan=plan)
                .select_related("saved_by")
                .prefetch_related(
                    Prefetch("reviews", queryset=PlanReview.objects.select_related("reviewer"))
                )
                .order_by("-number")
            )
            if plan is not None
            else []
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.LIST,
            record_type=VERSION,
            record_label=f"Versions of the recovery plan of {participant}",
            record_organization_id=participant.organization.public_id,
            subject=participant,
            detail={"count": len(versions)},
        )
    return participant, plan, versions


def _version_of(
    actor: Actor, participant_id: UUID | str, version_id: UUID | str, perm: str
) -> tuple[Participant, PlanVersion]:
    """The version, when it is this participant's and the actor's role allows `perm`; or 404."""
    participant = _gate(actor, participant_id, AuditEvent.Action.VIEW, VERSION)
    version = participant_record_or_deny(
        actor=actor,
        participant=participant,
        rows=_full_versions(),
        record_id=version_id,
        action=AuditEvent.Action.VIEW,
        record_type=VERSION,
        allowed=actor.can(perm),
    )
    return participant, version


def plan_version_get(
    *, actor: Actor, participant_id: UUID | str, version_id: UUID | str
) -> PlanRead:
    """One version of the participant's plan, audited."""
    participant, version = _version_of(actor, participant_id, version_id, Perm.PARTICIPANTS_OPEN)
    read = PlanRead(participant=participant, plan=version.plan, version=version)
    _audit_view(actor, participant, read)
    return read


def plan_version_for_review(
    *, actor: Actor, participant_id: UUID | str, version_id: UUID | str
) -> PlanRead:
    """A version a supervisor (Perm.PLANS_REVIEW) opens to review; anyone else gets 404."""
    participant, version = _version_of(actor, participant_id, version_id, Perm.PLANS_REVIEW)
    read = PlanRead(participant=participant, plan=version.plan, version=version)
    _audit_view(actor, participant, read, "review")
    return read


def previous_version(version: PlanVersion) -> PlanVersion | None:
    """The version saved just before this one (read together with it; not audited again)."""
    if version.number <= 1:
        return None
    return _full_versions().filter(plan_id=version.plan_id, number=version.number - 1).first()


def plan_version_by_number(*, plan: RecoveryPlan, number: int) -> PlanVersion | None:
    """A version of a plan the caller has already read (for showing what changed)."""
    return _full_versions().filter(plan=plan, number=number).first()


def plan_conflict_changes(
    *, actor: Actor, participant: Participant, base_version: int | None, current_version: int
) -> tuple[PlanVersion | None, list[Change]]:
    """After a refused save: the version saved meanwhile, and what it changed since the editor's
    base version. The caller has read the participant; this read of the plan is audited."""
    plan = RecoveryPlan.objects.filter(participant=participant).first()
    if plan is None or not current_version:
        return None, []
    with transaction.atomic():
        newer = plan_version_by_number(plan=plan, number=current_version)
        if newer is None:
            return None, []
        older = plan_version_by_number(plan=plan, number=base_version) if base_version else None
        _audit_view(actor, participant, PlanRead(participant, plan, newer), "conflict")
    return newer, version_changes(older, newer)


# --- presenting a version ---------------------------------------------------------------------


def goals_by_domain(version: PlanVersion | None) -> list[DomainGoals]:
    """The version's goals under their life domains, in the order of LifeDomain."""
    if version is None:
        return []
    groups = {d: DomainGoals(d, str(label)) for d, label in LifeDomain.choices}
    for goal in version.goals.all():
        groups.setdefault(goal.domain, DomainGoals(goal.domain, goal.domain)).goals.append(goal)
    return [g for g in groups.values() if g.goals]


def goal_counts(version: PlanVersion | None) -> list[tuple[str, str, int]]:
    """(status, label, count) for each status that has goals, in Progress order."""
    if version is None:
        return []
    counts = {s: 0 for s in Progress.values}
    for goal in version.goals.all():
        counts[goal.status] = counts.get(goal.status, 0) + 1
    return [(s, str(Progress(s).label), n) for s, n in counts.items() if n]


def _step_line(step: PlanStep) -> str:
    parts = [step.text]
    if step.who_helps:
        parts.append(f"with {step.who_helps}")
    if step.target_date:
        parts.append(f"by {step.target_date:%b %d, %Y}")
    parts.append(step.get_status_display().lower())
    return " — ".join(parts)


def version_changes(older: PlanVersion | None, newer: PlanVersion) -> list[Change]:
    """What is different in `newer` compared with `older` (both loaded with their goals)."""
    changes: list[Change] = []
    if older is None:
        changes.append(Change("The first version of the plan."))
    if (older.meaning if older else "") != newer.meaning:
        changes.append(Change("“What recovery means to me” now reads:", newer.meaning or "(empty)"))
    if (older.strengths if older else "") != newer.strengths:
        changes.append(Change("“My strengths” now reads:", newer.strengths or "(empty)"))
    before = {g.key: g for g in older.goals.all()} if older else {}
    after = {g.key: g for g in newer.goals.all()}
    for key, goal in after.items():
        label = goal.get_domain_display()
        old = before.get(key)
        if old is None:
            changes.append(Change(f"New goal ({label}):", goal.text))
            continue
        what: list[str] = []
        if old.text != goal.text:
            what.append(f"now reads “{goal.text}”")
        if old.domain != goal.domain:
            what.append(f"moved to {label}")
        if old.status != goal.status:
            what.append(f"now “{goal.get_status_display()}”")
        old_steps = [_step_line(s) for s in old.steps.all()]
        new_steps = [_step_line(s) for s in goal.steps.all()]
        added = [s for s in new_steps if s not in old_steps]
        gone = [s for s in old_steps if s not in new_steps]
        what += [f"step: {s}" for s in added]
        what += [f"step taken out: {s}" for s in gone]
        if what:
            changes.append(Change(f"Goal changed ({label}): {goal.text}", "; ".join(what)))
    for key, goal in before.items():
        if key not in after:
            changes.append(Change(f"Goal taken out ({goal.get_domain_display()}):", goal.text))
    if not changes:
        changes.append(Change("No changes to the content."))
    return changes


# --- for the participant page and the caseload -------------------------------------------------


def participant_section(*, actor: Actor, participant: Participant) -> dict[str, object]:
    """The plan section of the participant's page. The page has already read and audited the
    participant; this reads the plan in force and audits that read."""
    if participant.organization_id != getattr(actor.organization, "pk", None) or not actor.can(
        Perm.PARTICIPANTS_OPEN
    ):
        raise deny(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type=PLAN,
            record_id=str(participant.public_id),
            record_organization_id=participant.organization.public_id,
        )
    with transaction.atomic():
        read = _current_summary(participant)
        _audit_view(actor, participant, read, "participant page")
    version = read.version
    reviews = list(version.reviews.all()) if version is not None else []
    return {
        "plan": read.plan,
        "plan_version": version,
        "plan_goal_counts": goal_counts(version),
        "plan_goal_total": len(version.goals.all()) if version is not None else 0,
        "plan_last_review": reviews[-1] if reviews else None,
        "plan_awaiting_review": bool(read.plan and read.plan.awaiting_review_since),
        "plan_can_review": actor.can(Perm.PLANS_REVIEW),
    }


def plans_awaiting_review(*, organization: Organization) -> list[PlanVersion]:
    """The versions in force that no supervisor has reviewed yet, oldest first, with the
    participant and who saved them selected.

    Unaudited building block for the supervisor's view: callers hold the access decision.
    One query on the (organization, awaiting_review_since) index.
    """
    return list(
        PlanVersion.objects.filter(
            plan__organization=organization,
            plan__awaiting_review_since__isnull=False,
            number=F("plan__current_version"),
        )
        .select_related("participant", "saved_by", "plan")
        .order_by("plan__awaiting_review_since", "pk")
    )
