"""Every write to encounters: logging a contact, correcting it soon after, marking it in error.

Nothing is ever deleted. Each write is checked in full before anything is saved and writes its
audit event in the same transaction. The audit trail never copies the note.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.encounters.models import (
    MAX_DURATION,
    MAX_NEEDS,
    MAX_NOTE,
    MIN_DURATION,
    Encounter,
    EncounterKind,
    EncounterPlace,
)
from rosc.people.models import LifeDomain, Participant
from rosc.people.services import organization_acting_for

# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
# The author may correct their own entry for this long after logging it; later, mark it in error.
CORRECTION_WINDOW = timedelta(minutes=30)
# What encounter_correct may change.
CORRECTABLE_FIELDS = frozenset(
    {
        "occurred_at",
        "kind",
        "duration_minutes",
        "place",
        "place_detail",
        "life_domains",
        "needs",
        "note",
    }
)


def _check(encounter: Encounter, *, now: datetime) -> None:
    """Every field error at once, worded for the person filling in the form."""
    errors: dict[str, str] = {}
    at = encounter.occurred_at
    if not isinstance(at, datetime):
        errors["occurred_at"] = "Enter the date and time of the contact."
    elif timezone.is_naive(at):
        errors["occurred_at"] = "Enter the date and time with its time zone."
    elif at > now + CLOCK_SKEW:
        errors["occurred_at"] = "The contact cannot be in the future."
    elif at < EARLIEST:
        errors["occurred_at"] = "Check the date: contacts before the year 2000 cannot be logged."
    if encounter.kind not in EncounterKind.values:
        errors["kind"] = "Choose what kind of contact it was."
    minutes = encounter.duration_minutes
    if (
        not isinstance(minutes, int)
        or isinstance(minutes, bool)
        or not MIN_DURATION <= minutes <= MAX_DURATION
    ):
        errors["duration_minutes"] = (
            f"Enter how long it took in minutes, from {MIN_DURATION} to {MAX_DURATION}."
        )
    if encounter.place not in EncounterPlace.values:
        errors["place"] = "Choose where the contact happened."
    elif encounter.place == EncounterPlace.OTHER and not encounter.place_detail.strip():
        errors["place_detail"] = "Say in a few words where it happened."
    domains = encounter.life_domains
    if not isinstance(domains, list) or any(d not in LifeDomain.values for d in domains):
        errors["life_domains"] = "Choose life domains from the list."
    elif len(set(domains)) != len(domains):
        errors["life_domains"] = "Each life domain only needs to be chosen once."
    for name, limit in (("needs", MAX_NEEDS), ("note", MAX_NOTE)):
        if len(getattr(encounter, name)) > limit:
            errors[name] = f"Keep this under {limit} characters."
    try:
        # No uniqueness check: the only unique field is the new row's random public_id (the
        # database's unique index still guards it); checking it cost a query per contact.
        encounter.full_clean(
            exclude=[*errors, "participant", "organization", "logged_by"], validate_unique=False
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, " ".join(messages))
    if errors:
        raise ValidationError(errors)


def _domains(values: Iterable[str] | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    return list(values)


@transaction.atomic
def encounter_log(
    *,
    actor: Actor,
    participant: Participant,
    kind: str,
    duration_minutes: int,
    place: str,
    occurred_at: datetime | None = None,
    place_detail: str = "",
    life_domains: Iterable[str] | None = None,
    needs: str = "",
    note: str = "",
) -> Encounter:
    """Log a contact with a participant of the actor's organization (when: now, if not given)."""
    org = organization_acting_for(actor, participant)
    now = timezone.now()
    encounter = Encounter(
        participant=participant,
        organization=org,
        occurred_at=now if occurred_at is None else occurred_at,
        kind=kind,
        duration_minutes=duration_minutes,
        place=place,
        place_detail=(place_detail or "").strip(),
        life_domains=_domains(life_domains),
        needs=(needs or "").strip(),
        note=(note or "").strip(),
        logged_by=actor.user,
        logged_at=now,
    )
    _check(encounter, now=now)
    encounter.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=encounter,
        record_organization_id=org.public_id,
        subject=participant,
        detail={"kind": encounter.kind, "with_note": bool(encounter.note)},
    )
    return encounter


@transaction.atomic
def encounter_correct(*, actor: Actor, encounter: Encounter, **changes: Any) -> Encounter:
    """The author corrects their own entry shortly after logging it; audited with what changed.

    Later corrections, and anyone else's, are refused: mark the entry in error and log it again.
    """
    organization_acting_for(actor, encounter.participant)
    unknown = set(changes) - CORRECTABLE_FIELDS
    if unknown:
        raise ValueError(f"encounter_correct cannot change {', '.join(sorted(unknown))}")
    locked = Encounter.objects.select_for_update().get(pk=encounter.pk)
    now = timezone.now()
    if locked.logged_by_id != actor.user.pk:
        raise ValidationError(
            "Only the person who logged this contact can correct it. "
            "Mark it as entered in error instead."
        )
    if locked.voided_at is not None:
        raise ValidationError("This contact was marked as entered in error; log it again instead.")
    if now - locked.logged_at > CORRECTION_WINDOW:
        minutes = int(CORRECTION_WINDOW.total_seconds() // 60)
        raise ValidationError(
            f"Contacts can be corrected for {minutes} minutes after logging. "
            "Mark it as entered in error and log it again."
        )
    if "life_domains" in changes:
        changes["life_domains"] = _domains(changes["life_domains"])
    for text_field in ("place_detail", "needs", "note"):
        if text_field in changes:
            changes[text_field] = (changes[text_field] or "").strip()
    changed = sorted(name for name, value in changes.items() if getattr(locked, name) != value)
    for name in changed:
        setattr(locked, name, changes[name])
    _check(locked, now=now)
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            record=locked,
            record_organization_id=locked.organization.public_id,
            subject=locked.participant,
            detail={"fields": changed},  # names only: never the note's words
        )
    return locked


@transaction.atomic
def encounter_void(*, actor: Actor, encounter: Encounter, reason: str) -> Encounter:
    """Mark an entry as entered in error. It stays in the record, marked, with the reason."""
    organization_acting_for(actor, encounter.participant)
    reason = (reason or "").strip()
    locked = Encounter.objects.select_for_update().get(pk=encounter.pk)
    if locked.voided_at is not None:
        raise ValidationError({"reason": "This contact is already marked as entered in error."})
    if not reason:
        raise ValidationError({"reason": "Say briefly why this entry is in error."})
    if len(reason) > 200:
        raise ValidationError({"reason": "Keep the reason under 200 characters."})
    locked.voided_at = timezone.now()
    locked.voided_by = actor.user
    locked.void_reason = reason
    locked.save(update_fields=["voided_at", "voided_by", "void_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=locked,
        record_organization_id=locked.organization.public_id,
        subject=locked.participant,
        detail={"entered_in_error": True, "reason": reason},
    )
    return locked
