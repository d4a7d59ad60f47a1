"""Every write to participant records: enrolment and changes, each audited in its transaction."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization, User
from rosc.accounts.roles import Perm
from rosc.accounts.services import PermissionDenied
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.people.models import Episode, LifeDomain, Participant, RecoveryPathway
from rosc.people.names import name_key
from rosc.people.selectors import likely_duplicates_in, primary_peer_candidates

# What participant_update may change; the organization and enrolment facts never change.
UPDATABLE_FIELDS = frozenset(
    {
        "legal_first_name",
        "legal_last_name",
        "preferred_name",
        "pronouns",
        "date_of_birth",
        "phone",
        "email",
        "preferred_contact",
        "may_leave_message",
        "language",
        "recovery_pathways",
        "living_situation",
        "intake_needs",
        "justice_involvement",
        "referral_source",
        "referral_source_detail",
    }
)


def _acting_organization(actor: Actor) -> Organization:
    org = actor.organization
    if org is None or not actor.can(Perm.PARTICIPANTS_OPEN):
        raise PermissionDenied
    return org


def organization_acting_for(actor: Actor, participant: Participant) -> Organization:
    """The actor's organization, when it enrolled the participant and the actor's role there
    may open participant records; PermissionDenied otherwise. Every write about a person
    (consent, contact, check-in, follow-up) checks it first."""
    org = actor.organization
    if (
        org is None
        or not actor.can(Perm.PARTICIPANTS_OPEN)
        or participant.organization_id != org.pk
    ):
        raise PermissionDenied
    return org


def _check(participant: Participant) -> None:
    """Field errors for what the model's own validation does not know."""
    errors: dict[str, str] = {}
    if not participant.legal_first_name.strip():
        errors["legal_first_name"] = "Please enter the person's first name."
    if not participant.legal_last_name.strip():
        errors["legal_last_name"] = "Please enter the person's last name."
    pathways = participant.recovery_pathways
    if not isinstance(pathways, list) or any(p not in RecoveryPathway.values for p in pathways):
        errors["recovery_pathways"] = "Choose pathways from the list (any number, in any order)."
    elif len(set(pathways)) != len(pathways):
        errors["recovery_pathways"] = "Each pathway only needs to be chosen once."
    needs = participant.intake_needs
    if not isinstance(needs, dict) or any(
        d not in LifeDomain.values or not isinstance(v, str) for d, v in needs.items()
    ):
        errors["intake_needs"] = "Needs at intake are noted against the life domains in the list."
    birth = participant.date_of_birth
    if birth is not None and birth > timezone.localdate():
        errors["date_of_birth"] = "The date of birth cannot be in the future."
    try:
        participant.full_clean(exclude=list(errors))
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, " ".join(messages))
    if errors:
        raise ValidationError(errors)


def _duplicate_message(found: list[Participant]) -> str:
    described = "; ".join(
        f"{p.legal_name}"
        + (f", born {p.date_of_birth:%Y-%m-%d}" if p.date_of_birth else "")
        + f", enrolled {p.enrolled_on:%Y-%m-%d}"
        for p in found
    )
    return (
        f"Your organization may already know this person: {described}. Please check before "
        "making a second record; if this is someone else, confirm it and enrol them."
    )


@transaction.atomic
def participant_enrol(
    *,
    actor: Actor,
    legal_first_name: str,
    legal_last_name: str,
    preferred_name: str = "",
    pronouns: str = "",
    date_of_birth: date | None = None,
    phone: str = "",
    email: str = "",
    preferred_contact: str = "",
    may_leave_message: bool = False,
    language: str = "",
    recovery_pathways: list[str] | None = None,
    living_situation: str = "",
    intake_needs: dict[str, str] | None = None,
    justice_involvement: str = "",
    referral_source: str = "",
    referral_source_detail: str = "",
    enrolled_on: date | None = None,
    confirmed_not_duplicate: bool = False,
) -> Participant:
    """Enrol a person with the actor's organization; warns first about likely duplicates."""
    org = _acting_organization(actor)
    participant = Participant(
        organization=org,
        legal_first_name=legal_first_name.strip(),
        legal_last_name=legal_last_name.strip(),
        preferred_name=preferred_name.strip(),
        pronouns=pronouns.strip(),
        date_of_birth=date_of_birth,
        phone=phone.strip(),
        email=email.strip().lower(),
        preferred_contact=preferred_contact,
        may_leave_message=may_leave_message,
        language=language.strip(),
        recovery_pathways=list(recovery_pathways or []),
        living_situation=living_situation,
        intake_needs=dict(intake_needs or {}),
        justice_involvement=justice_involvement,
        referral_source=referral_source,
        referral_source_detail=referral_source_detail.strip(),
        enrolled_by=actor.user,
        enrolled_on=enrolled_on or timezone.localdate(),
        primary_peer=actor.user,
        first_name_key=name_key(legal_first_name),
        last_name_key=name_key(legal_last_name),
    )
    _check(participant)
    if not confirmed_not_duplicate:
        found = likely_duplicates_in(
            organization=org,
            first_name=legal_first_name,
            last_name=legal_last_name,
            date_of_birth=date_of_birth,
        )
        if found:
            raise ValidationError(
                {
                    "confirmed_not_duplicate": ValidationError(
                        _duplicate_message(found).replace("%", "%%"),
                        code="likely_duplicate",
                        params={"public_ids": [str(p.public_id) for p in found]},
                    )
                }
            )
    participant.save()
    # The first episode of support begins at enrolment (GPRA IntakeSeqNum 1). Its follow-ups
    # are computed from it by rosc.followups; nothing else needs writing here.
    Episode.objects.create(
        participant=participant,
        organization=org,
        intake_seq=1,
        started_on=participant.enrolled_on,
        started_by=actor.user,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=participant,
        record_organization_id=org.public_id,
        subject=participant,
        detail={"confirmed_not_duplicate": confirmed_not_duplicate},
    )
    return participant


@transaction.atomic
def participant_update(*, actor: Actor, participant: Participant, **changes: Any) -> Participant:
    """Change what the person tells us; only their own organization's staff may."""
    org = organization_acting_for(actor, participant)
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    for name, value in changes.items():
        setattr(participant, name, value.strip() if isinstance(value, str) else value)
    if "email" in changes:
        participant.email = participant.email.lower()
    participant.first_name_key = name_key(participant.legal_first_name)
    participant.last_name_key = name_key(participant.legal_last_name)
    _check(participant)
    participant.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=participant,
        record_organization_id=org.public_id,
        subject=participant,
        # Which fields changed, never their values: the trail must not copy the record.
        detail={"fields": sorted(changes)},
    )
    return participant


@transaction.atomic
def participant_primary_peer_set(
    *, actor: Actor, participant: Participant, peer: User | None
) -> Participant:
    """Name the staff member the person mainly works with (None: nobody in particular)."""
    org = organization_acting_for(actor, participant)
    if peer is not None and peer.pk not in {
        u.pk for u in primary_peer_candidates(organization=org)
    }:
        raise ValidationError(
            {"primary_peer": "Choose someone on your organization's staff who supports people."}
        )
    before = participant.primary_peer_id
    participant.primary_peer = peer
    participant.save(update_fields=["primary_peer", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=participant,
        record_organization_id=org.public_id,
        subject=participant,
        detail={
            "fields": ["primary_peer"],
            "from_user_id": before,
            "to_user_id": peer.pk if peer else None,
        },
    )
    return participant
