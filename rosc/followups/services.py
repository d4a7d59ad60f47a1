"""Every write about follow-ups, discharge and re-enrolment; each audited in its transaction.

Schedules are computed from episodes (see rosc.followups.selectors), so enrolment needs no call
here: `participant_enrol` opens episode 1 and its intake and 6-month follow-up exist from then
on. `followups_schedule` is kept for callers that want the rows written ahead (it materializes
the current episode's schedule); nothing in the app depends on it.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.roles import Perm
from rosc.accounts.services import PermissionDenied
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.followups.models import (
    AttemptMethod,
    AttemptOutcome,
    FollowUp,
    FollowUpAttempt,
    FollowUpState,
    Program,
)
from rosc.followups.schedule import day_text
from rosc.followups.selectors import FollowUpItem, followup_find, participant_followups
from rosc.people.models import DischargeReason, Episode, Participant, ParticipantStatus
from rosc.people.services import organization_acting_for

COMPLETION_OUTCOMES = (AttemptOutcome.REACHED, AttemptOutcome.DECLINED)


def _locked(participant: Participant) -> Participant:
    """The participant's row, locked until the transaction ends (one discharge at a time)."""
    locked = Participant.objects.select_for_update().select_related("organization")
    return locked.get(pk=participant.pk)


def _day(value: date | None, name: str, errors: dict[str, str], what: str) -> date | None:
    if value is None:
        errors[name] = f"Please enter {what}."
    elif value > timezone.localdate():
        errors[name] = f"{what[0].upper()}{what[1:]} cannot be in the future."
    return value


def _window_text(item: FollowUpItem) -> str:
    return f"{day_text(item.window_opens_on)} to {day_text(item.window_closes_on)}"


def _find(participant: Participant, intake_seq: int | None, kind: int | None) -> FollowUpItem:
    item = (
        followup_find(participant, intake_seq=intake_seq, kind=kind)
        if intake_seq is not None and kind is not None
        else None
    )
    if item is None:
        raise ValidationError({"followup": "Choose one of this person's follow-ups."})
    return item


def _materialize(item: FollowUpItem) -> FollowUp:
    """The FollowUp row of a computed follow-up, written with its window if it is not yet."""
    if item.record is not None:
        return item.record
    row, _ = FollowUp.objects.get_or_create(
        episode=item.episode,
        kind=item.kind,
        defaults={
            "participant": item.participant,
            "organization_id": item.episode.organization_id,
            "due_on": item.due_on,
            "window_opens_on": item.window_opens_on,
            "window_closes_on": item.window_closes_on,
        },
    )
    return row


@transaction.atomic
def followup_attempt_record(
    *,
    actor: Actor,
    participant: Participant,
    intake_seq: int | None,
    kind: int | None,
    attempted_on: date | None,
    method: str,
    outcome: str,
    note: str = "",
) -> FollowUpAttempt:
    """Record one try at reaching the person for a follow-up (reached, not reached, declined)."""
    org = organization_acting_for(actor, participant)
    participant = _locked(participant)
    item = _find(participant, intake_seq, kind)
    errors: dict[str, str] = {}
    if item.state == FollowUpState.COMPLETED:
        errors["followup"] = f"The {item.kind_label.lower()} is already completed."
    _day(attempted_on, "attempted_on", errors, "the date of the attempt")
    if (
        attempted_on is not None
        and "attempted_on" not in errors
        and (attempted_on < item.window_opens_on)
    ):
        errors["attempted_on"] = (
            f"The window of the {item.kind_label.lower()} opens on "
            f"{day_text(item.window_opens_on)}; "
            "attempts count from then."
        )
    if method not in AttemptMethod.values:
        errors["method"] = "Choose how you tried to reach them."
    if outcome not in AttemptOutcome.values:
        errors["outcome"] = "Choose what happened."
    if len(note) > 500:
        errors["note"] = "Please keep the note under 500 characters."
    if errors:
        raise ValidationError(errors)
    assert attempted_on is not None
    row = _materialize(item)
    attempt = FollowUpAttempt.objects.create(
        followup=row,
        attempted_on=attempted_on,
        method=method,
        outcome=outcome,
        note=note.strip(),
        recorded_by=actor.user,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=attempt,
        record_organization_id=org.public_id,
        subject=participant,
        detail={"interview_type": item.kind, "intake_seq": item.episode.intake_seq},
    )
    return attempt


@transaction.atomic
def followup_complete(
    *,
    actor: Actor,
    participant: Participant,
    intake_seq: int | None,
    kind: int | None,
    completed_on: date | None,
    outcome: str,
    method: str = AttemptMethod.IN_PERSON,
    note: str = "",
) -> FollowUp:
    """Complete a follow-up on a day inside its window: the interview was done (reached) or the
    person declined it. The day is also recorded as an attempt."""
    org = organization_acting_for(actor, participant)
    participant = _locked(participant)
    item = _find(participant, intake_seq, kind)
    errors: dict[str, str] = {}
    if item.state == FollowUpState.COMPLETED:
        errors["followup"] = f"The {item.kind_label.lower()} is already completed."
    _day(completed_on, "completed_on", errors, "the date of the interview")
    if (
        completed_on is not None
        and "completed_on" not in errors
        and not (item.window_opens_on <= completed_on <= item.window_closes_on)
    ):
        errors["completed_on"] = (
            f"The {item.kind_label.lower()} can only be completed inside its window, "
            f"{_window_text(item)}. This date is outside it."
        )
    if outcome not in COMPLETION_OUTCOMES:
        errors["outcome"] = (
            "Choose whether the interview was done or the person declined it. If you could "
            "not reach them, record an attempt instead."
        )
    if method not in AttemptMethod.values:
        errors["method"] = "Choose how the interview happened."
    if len(note) > 500:
        errors["note"] = "Please keep the note under 500 characters."
    if errors:
        raise ValidationError(errors)
    assert completed_on is not None
    row = _materialize(item)
    FollowUpAttempt.objects.create(
        followup=row,
        attempted_on=completed_on,
        method=method,
        outcome=outcome,
        note=note.strip(),
        recorded_by=actor.user,
    )
    row.completed_on = completed_on
    row.outcome = outcome
    row.completed_by = actor.user
    row.save(update_fields=["completed_on", "outcome", "completed_by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=row,
        record_organization_id=org.public_id,
        subject=participant,
        detail={
            "interview_type": item.kind,
            "intake_seq": item.episode.intake_seq,
            "outcome": outcome,
            "in_window": True,
        },
    )
    return row


def _current_episode(participant: Participant) -> Episode:
    episode = Episode.objects.filter(participant=participant).order_by("-intake_seq").first()
    if episode is None:  # enrolled before episodes existed and not backfilled: begin one now
        episode = Episode.objects.create(
            participant=participant,
            organization_id=participant.organization_id,
            intake_seq=1,
            started_on=participant.enrolled_on,
            started_by=participant.enrolled_by,
        )
    return episode


@transaction.atomic
def participant_discharge(
    *,
    actor: Actor,
    participant: Participant,
    on: date | None,
    reason: str,
    note: str = "",
) -> Episode:
    """End the person's current episode of support; their discharge interview becomes due."""
    org = organization_acting_for(actor, participant)
    locked = _locked(participant)
    if locked.status == ParticipantStatus.DISCHARGED:
        raise ValidationError(
            f"{locked.display_name} is already discharged. Re-enrol them to begin a new episode."
        )
    episode = _current_episode(locked)
    errors: dict[str, str] = {}
    _day(on, "on", errors, "the date of discharge")
    if on is not None and "on" not in errors and on < episode.started_on:
        errors["on"] = (
            f"This episode began on {day_text(episode.started_on)}; the discharge cannot be "
            "earlier."
        )
    if reason not in DischargeReason.values:
        errors["reason"] = "Choose the reason that fits best."
    elif reason == DischargeReason.OTHER and not note.strip():
        errors["note"] = "Please say a few words about the reason."
    if len(note) > 500:
        errors["note"] = "Please keep the note under 500 characters."
    if errors:
        raise ValidationError(errors)
    episode.ended_on = on
    episode.discharge_reason = reason
    episode.discharge_note = note.strip()
    episode.ended_by = actor.user
    episode.save(
        update_fields=["ended_on", "discharge_reason", "discharge_note", "ended_by", "updated_at"]
    )
    locked.status = ParticipantStatus.DISCHARGED
    locked.save(update_fields=["status", "updated_at"])
    participant.status = locked.status
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=episode,
        record_organization_id=org.public_id,
        subject=locked,
        detail={"discharged": True, "intake_seq": episode.intake_seq, "reason": reason},
    )
    return episode


@transaction.atomic
def participant_reenrol(
    *, actor: Actor, participant: Participant, on: date | None, reason: str
) -> Episode:
    """Begin the person's next episode (IntakeSeqNum + 1) with its own intake and follow-ups."""
    org = organization_acting_for(actor, participant)
    locked = _locked(participant)
    if locked.status != ParticipantStatus.DISCHARGED:
        raise ValidationError(
            f"{locked.display_name} is enrolled now; re-enrolment is for someone who was "
            "discharged."
        )
    last = _current_episode(locked)
    errors: dict[str, str] = {}
    _day(on, "on", errors, "the date they came back")
    ended = last.ended_on or last.started_on
    if on is not None and "on" not in errors and on < ended:
        errors["on"] = (
            f"Their last episode ended on {day_text(ended)}; the new one cannot begin before that."
        )
    if not reason.strip():
        errors["reason"] = "Please say why they are coming back (in their words if you can)."
    elif len(reason) > 500:
        errors["reason"] = "Please keep the reason under 500 characters."
    if errors:
        raise ValidationError(errors)
    assert on is not None
    episode = Episode.objects.create(
        participant=locked,
        organization=org,
        intake_seq=last.intake_seq + 1,
        started_on=on,
        reenrolment_reason=reason.strip(),
        started_by=actor.user,
    )
    locked.status = ParticipantStatus.ACTIVE
    locked.save(update_fields=["status", "updated_at"])
    participant.status = locked.status
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=episode,
        record_organization_id=org.public_id,
        subject=locked,
        detail={"reenrolled": True, "intake_seq": episode.intake_seq},
    )
    return episode


@transaction.atomic
def followups_schedule(*, actor: Actor, participant: Participant) -> list[FollowUp]:
    """Write the rows of the person's current follow-ups ahead of time (optional: the schedule
    is computed without them). Idempotent; returns the rows of the current episode."""
    org = organization_acting_for(actor, participant)
    episode = _current_episode(participant)
    rows = [
        _materialize(i) for i in participant_followups(participant) if i.episode.pk == episode.pk
    ]
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record_type="followups.followup",
        record_id=str(participant.public_id),
        record_label=f"Follow-up schedule of {participant.display_name}"[:200],
        record_organization_id=org.public_id,
        subject=participant,
        detail={"intake_seq": episode.intake_seq, "count": len(rows)},
    )
    return rows


PROGRAM_FIELDS = frozenset(
    {
        "name",
        "intake_interview",
        "three_month",
        "six_month",
        "discharge_interview",
        "window_before_days",
        "window_after_days",
        "intake_within_days",
        "discharge_within_days",
    }
)


@transaction.atomic
def program_update(*, actor: Actor, **changes: object) -> Program:
    """Set the organization's follow-up schedule (organization admins). Follow-ups already
    recorded against keep the window they had."""
    org = actor.organization
    if org is None or not actor.can(Perm.STAFF_MANAGE):
        raise PermissionDenied
    unknown = set(changes) - PROGRAM_FIELDS
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    program, _ = Program.objects.get_or_create(organization=org)
    for name, value in changes.items():
        setattr(program, name, value)
    errors: dict[str, str] = {}
    if not (program.intake_interview and program.six_month and program.discharge_interview):
        errors["__all__"] = (
            "The federal pattern needs an intake, a 6-month follow-up and a discharge interview."
        )
    for name, most in (
        ("window_before_days", 90),
        ("window_after_days", 120),
        ("intake_within_days", 90),
        ("discharge_within_days", 90),
    ):
        value = getattr(program, name)
        if not isinstance(value, int) or not 0 <= value <= most:
            errors[name] = f"Please enter a number of days from 0 to {most}."
    if errors:
        raise ValidationError(errors)
    program.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=program,
        record_organization_id=org.public_id,
        detail={"fields": sorted(changes)},
    )
    return program
