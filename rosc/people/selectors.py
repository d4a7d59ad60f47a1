"""Every read of participant records. Each takes the acting user; default deny.

A participant of another organization, one that does not exist, and one the actor's role may not
open all raise the same Http404, after a "denied" audit event. Nobody outside the enrolling
organization can learn that a record exists.
"""

from datetime import date
from uuid import UUID

from django.db import transaction
from django.db.models import Model, Q, QuerySet

from rosc.accounts.actor import Actor
from rosc.accounts.models import Membership, Organization, User
from rosc.accounts.roles import Perm, role_has_perm
from rosc.accounts.selectors import deny, organization_for, record_or_deny
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.people.models import Participant
from rosc.people.names import name_key, names_look_alike

RECORD_TYPE = "people.participant"


def participant_organization(*, actor: Actor, action: str, record_type: str) -> Organization:
    """The actor's organization, when their role there may open participant records."""
    org = actor.organization
    if org is None or not actor.can(Perm.PARTICIPANTS_OPEN):
        raise deny(
            actor,
            action=action,
            record_type=record_type,
            record_id="",
            record_organization_id=org.public_id if org else None,
        )
    return org


def participant_organization_for(
    *, actor: Actor, organization_id: UUID, action: str, record_type: str = RECORD_TYPE
) -> Organization:
    """The organization named in an API path, when it is the actor's active one and their role
    there may open participant records; otherwise a denied event and Http404."""
    return organization_for(
        actor=actor,
        organization_id=organization_id,
        perm=Perm.PARTICIPANTS_OPEN,
        action=action,
        record_type=record_type,
    )


def participant_in_reach(
    *,
    actor: Actor,
    participant_id: UUID | str,
    action: str,
    record_type: str,
    related: tuple[str, ...] = (),
) -> Participant:
    """The participant, when the actor may open them; otherwise a denied event and Http404.

    Writes no "ok" event: the caller records the read it actually makes. `related`: more
    relations to read in the same query (the organization always is).
    """
    try:
        key = UUID(str(participant_id))
    except ValueError:
        key = None
    participant = (
        Participant.objects.select_related("organization", *related).filter(public_id=key).first()
        if key
        else None
    )
    org = actor.organization
    if (
        participant is None
        or org is None
        or participant.organization_id != org.pk
        or not actor.can(Perm.PARTICIPANTS_OPEN)
    ):
        raise deny(
            actor,
            action=action,
            record_type=record_type,
            record_id=str(participant_id)[:64],
            record_organization_id=participant.organization.public_id if participant else None,
        )
    return participant


def participant_record_or_deny[R: Model](
    *,
    actor: Actor,
    participant: Participant,
    rows: QuerySet[R],
    record_id: UUID | str,
    action: str,
    record_type: str,
    allowed: bool = True,
) -> R:
    """One record of an already-gated `participant`, by its public id, from `rows`.

    A record of another person, a malformed or unknown id, and `allowed=False` (the role may not
    do this) all write the same "denied" event and raise the same Http404.
    """
    return record_or_deny(
        actor,
        rows=rows.filter(participant=participant),
        record_id=record_id,
        action=action,
        record_type=record_type,
        record_organization_id=participant.organization.public_id,
        allowed=allowed,
    )


def participant_get(
    *, actor: Actor, participant_id: UUID | str, related: tuple[str, ...] = ()
) -> Participant:
    participant = participant_in_reach(
        actor=actor,
        participant_id=participant_id,
        action=AuditEvent.Action.VIEW,
        record_type=RECORD_TYPE,
        related=related,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=participant,
        record_organization_id=participant.organization.public_id,
        subject=participant,
    )
    return participant


def participant_list(*, actor: Actor, search: str = "") -> list[Participant]:
    """The organization's participants, optionally those whose name contains every search word."""
    org = participant_organization(
        actor=actor, action=AuditEvent.Action.LIST, record_type=RECORD_TYPE
    )
    rows = Participant.objects.filter(organization=org).select_related("organization")
    for word in name_key(search).split():
        rows = rows.filter(
            Q(first_name_key__contains=word)
            | Q(last_name_key__contains=word)
            | Q(preferred_name__icontains=word)
        )
    with transaction.atomic():
        found = list(rows)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.LIST,
            record_type=RECORD_TYPE,
            record_label=f"Participants of {org.name}",
            record_organization_id=org.public_id,
            detail={"search": search[:100], "count": len(found)},
        )
    return found


def likely_duplicates_in(
    *, organization: Organization, first_name: str, last_name: str, date_of_birth: date | None
) -> list[Participant]:
    """Unaudited building block for the enrolment check; callers hold the access decision."""
    first_key, last_key = name_key(first_name), name_key(last_name)
    near = Q(last_name_key=last_key) if last_key else Q(pk__in=[])
    if date_of_birth is not None:
        near |= Q(date_of_birth=date_of_birth)
    candidates = Participant.objects.filter(organization=organization).filter(near)
    return [
        p
        for p in candidates
        if names_look_alike(
            first_key=first_key,
            last_key=last_key,
            birth=date_of_birth,
            other_first_key=p.first_name_key,
            other_last_key=p.last_name_key,
            other_birth=p.date_of_birth,
        )
    ]


def participant_likely_duplicates(
    *, actor: Actor, first_name: str, last_name: str, date_of_birth: date | None
) -> list[Participant]:
    """People already enrolled by the actor's organization who may be this person."""
    org = participant_organization(
        actor=actor, action=AuditEvent.Action.LIST, record_type=RECORD_TYPE
    )
    with transaction.atomic():
        found = likely_duplicates_in(
            organization=org,
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.LIST,
            record_type=RECORD_TYPE,
            record_label="Likely duplicates check",
            record_organization_id=org.public_id,
            detail={"count": len(found)},
        )
    return found


def primary_peer_candidates(*, organization: Organization) -> list[User]:
    """Staff who may be someone's primary peer: active members whose role opens participants.

    Unaudited building block (staff names only); callers hold the access decision.
    """
    memberships = (
        Membership.objects.active()
        .filter(organization=organization, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    seen: dict[int, User] = {}
    for m in memberships:
        if role_has_perm(m.role, Perm.PARTICIPANTS_OPEN) and m.user_id not in seen:
            seen[m.user_id] = m.user
    return list(seen.values())
