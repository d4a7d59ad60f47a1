"""Every read of encounters. Each audited read takes the acting user; default deny.

Lists never load the note (`.defer("note")`); a note is read only by encounter_note_get, which
writes its own audit event (record type "encounters.encounter_note", subject the participant).
Anyone outside the enrolling organization gets the same 404 as for a record that does not exist,
after a "denied" event.

The building blocks at the end (last_contact_by_participant, contact_counts_by_staff,
recent_encounters, encounter_defaults_for) are unaudited and take an organization, not an actor:
callers hold the access decision. Each is one aggregate query on an index.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Q, QuerySet
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization, User
from rosc.accounts.roles import Perm
from rosc.accounts.selectors import deny
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.encounters.models import Encounter, EncounterKind, EncounterPlace
from rosc.encounters.rows import encounter_rows
from rosc.people.models import Participant
from rosc.people.selectors import participant_in_reach, participant_record_or_deny

ENCOUNTER = "encounters.encounter"
NOTE = "encounters.encounter_note"
PAGE_SIZE = 25
SECTION_RECENT = 3
SECTION_DAYS = 30


def without_notes(rows: QuerySet[Encounter]) -> QuerySet[Encounter]:
    """Encounters as lists show them: the note is never loaded, only whether there is one."""
    return (
        rows.defer("note")
        .select_related("logged_by", "voided_by")
        .annotate(has_note=ExpressionWrapper(~Q(note=""), output_field=BooleanField()))
    )


def encounter_participant(
    *,
    actor: Actor,
    participant_id: UUID | str,
    action: str,
    record_type: str,
    organization_id: UUID | None = None,
) -> Participant:
    """The participant, when the actor may open them (and, from the API, the org matches).

    Writes no "ok" event: the caller records what it does. Refusals are audited as denied.
    """
    org = actor.organization
    if organization_id is not None and (org is None or org.public_id != organization_id):
        raise deny(
            actor,
            action=action,
            record_type=record_type,
            record_id=str(participant_id)[:64],
            record_organization_id=organization_id,
        )
    return participant_in_reach(
        actor=actor, participant_id=participant_id, action=action, record_type=record_type
    )


def _encounter_of(
    *,
    actor: Actor,
    participant: Participant,
    encounter_id: UUID | str,
    action: str,
    record_type: str,
    rows: QuerySet[Encounter],
) -> Encounter:
    return participant_record_or_deny(
        actor=actor,
        participant=participant,
        rows=rows,
        record_id=encounter_id,
        action=action,
        record_type=record_type,
    )


@dataclass(frozen=True)
class EncounterPage:
    participant: Participant
    page: Page[Encounter]


def encounter_list(
    *,
    actor: Actor,
    participant_id: UUID | str,
    page: int | str = 1,
    organization_id: UUID | None = None,
    page_size: int = PAGE_SIZE,
) -> EncounterPage:
    """A participant's contacts, newest first, a page at a time; never the notes. Audited."""
    participant = encounter_participant(
        actor=actor,
        participant_id=participant_id,
        action=AuditEvent.Action.LIST,
        record_type=ENCOUNTER,
        organization_id=organization_id,
    )
    rows = without_notes(Encounter.objects.filter(participant=participant))
    with transaction.atomic():
        shown = Paginator(rows, page_size).get_page(page)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.LIST,
            record_type=ENCOUNTER,
            record_label=f"Contacts with {participant.display_name}"[:200],
            record_organization_id=participant.organization.public_id,
            subject=participant,
            detail={"page": shown.number, "count": len(shown.object_list)},
        )
    return EncounterPage(participant=participant, page=shown)


def encounter_get(
    *,
    actor: Actor,
    participant_id: UUID | str,
    encounter_id: UUID | str,
    organization_id: UUID | None = None,
) -> Encounter:
    """One contact of a participant, without its note. Audited."""
    participant = encounter_participant(
        actor=actor,
        participant_id=participant_id,
        action=AuditEvent.Action.VIEW,
        record_type=ENCOUNTER,
        organization_id=organization_id,
    )
    encounter = _encounter_of(
        actor=actor,
        participant=participant,
        encounter_id=encounter_id,
        action=AuditEvent.Action.VIEW,
        record_type=ENCOUNTER,
        rows=without_notes(Encounter.objects.all()),
    )
    encounter.participant = participant
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=encounter,
        record_organization_id=participant.organization.public_id,
        subject=participant,
    )
    return encounter


def encounter_note_get(
    *,
    actor: Actor,
    participant_id: UUID | str,
    encounter_id: UUID | str,
    organization_id: UUID | None = None,
) -> Encounter:
    """One contact with its note: only for the enrolling organization's staff. Each read audited."""
    participant = encounter_participant(
        actor=actor,
        participant_id=participant_id,
        action=AuditEvent.Action.VIEW,
        record_type=NOTE,
        organization_id=organization_id,
    )
    encounter = _encounter_of(
        actor=actor,
        participant=participant,
        encounter_id=encounter_id,
        action=AuditEvent.Action.VIEW,
        record_type=NOTE,
        rows=Encounter.objects.select_related("logged_by", "voided_by"),
    )
    encounter.participant = participant
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record_type=NOTE,
        record_id=str(encounter.public_id),
        record_label=f"Note of {encounter}"[:200],
        record_organization_id=participant.organization.public_id,
        subject=participant,
    )
    return encounter


def participant_section(*, actor: Actor, participant: Participant) -> dict[str, Any]:
    """What the participant's page shows about contacts: never a note. Two queries.

    The page has already read (and audited) the participant; this only checks that the actor is
    still of the enrolling organization before it reads anything.
    """
    org = actor.organization
    if (
        org is None
        or participant.organization_id != org.pk
        or not actor.can(Perm.PARTICIPANTS_OPEN)
    ):
        raise deny(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type=ENCOUNTER,
            record_id=str(participant.public_id),
            record_organization_id=participant.organization.public_id,
        )
    since = timezone.now() - timedelta(days=SECTION_DAYS)
    live = Encounter.objects.filter(participant=participant, voided_at__isnull=True)
    # Live contacts only: nobody marked them in error, and the rows show no actions (so no
    # "has a note" flag either); the note itself is never read.
    recent = list(live.defer("note").select_related("logged_by")[:SECTION_RECENT])
    counted = live.filter(occurred_at__gte=since).count() if recent else 0
    return {
        "encounter_last_contact": recent[0].occurred_at if recent else None,
        "encounter_count_30_days": counted,
        "encounter_recent": recent,
        "encounter_recent_html": encounter_rows(
            recent, ZoneInfo(participant.organization.time_zone)
        ),
        "encounter_days": SECTION_DAYS,
    }


# --- unaudited building blocks: callers hold the access decision ------------------------------


def last_contact_by_participant(
    *, organization: Organization, participant_ids: Collection[int]
) -> dict[int, datetime]:
    """Participant pk -> when their latest contact (not entered in error) happened.

    Unaudited building block: callers hold the access decision. One grouped query on the
    (participant, occurred_at, voided_at) index; people never contacted are absent.
    """
    ids = list(participant_ids)
    if not ids:
        return {}
    rows = (
        # Scoped through the participant, not the contact's own organization column: the
        # (participant, occurred_at, voided_at) index then answers without reading the table
        # (43 -> 2 ms for a caseload at 20 million contacts).
        Encounter.objects.filter(
            participant_id__in=ids,
            participant__organization=organization,
            voided_at__isnull=True,
        )
        .order_by()
        .values("participant_id")
        .annotate(last=Max("occurred_at"))
        .values_list("participant_id", "last")
    )
    return dict(rows)


def contact_counts_by_staff(*, organization: Organization, since: datetime) -> dict[int, int]:
    """User pk -> how many contacts they logged (not in error) that happened since `since`.

    Unaudited building block: callers hold the access decision. One grouped query on the
    (organization, occurred_at, logged_by, voided_at) index.
    """
    rows = (
        Encounter.objects.filter(
            organization=organization, occurred_at__gte=since, voided_at__isnull=True
        )
        .order_by()
        .values("logged_by_id")
        .annotate(n=Count("id"))
        .values_list("logged_by_id", "n")
    )
    return dict(rows)


def recent_encounters(
    *, organization: Organization, staff_user: User | None = None, limit: int = 10
) -> list[Encounter]:
    """The organization's (or one staff member's) latest contacts, newest first, without notes.

    Unaudited building block: callers hold the access decision (and audit what they show).
    Participant and author are selected; entries in error are left out.
    """
    rows = Encounter.objects.filter(organization=organization, voided_at__isnull=True)
    if staff_user is not None:
        rows = rows.filter(logged_by=staff_user)
    return list(without_notes(rows).select_related("participant__organization")[:limit])


@dataclass(frozen=True)
class EncounterDefaults:
    kind: str = EncounterKind.ONE_TO_ONE
    duration_minutes: int = 30
    place: str = EncounterPlace.RCO
    place_detail: str = ""


def encounter_defaults_for(*, user: User, organization: Organization) -> EncounterDefaults:
    """The kind, length and place of the user's latest contact in the organization (or defaults).

    Unaudited: it reads the user's own entries, never a note or a participant.
    """
    last = (
        Encounter.objects.filter(logged_by=user, organization=organization, voided_at__isnull=True)
        .order_by("-occurred_at")
        .values("kind", "duration_minutes", "place", "place_detail")
        .first()
    )
    return EncounterDefaults(**last) if last else EncounterDefaults()
