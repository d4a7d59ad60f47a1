"""Reads of consents and disclosures, behind the same gate as the participant they belong to."""

from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.selectors import deny
from rosc.consent.models import Consent, Disclosure, SigningRequest
from rosc.core.audit import audit_record
from rosc.core.ids import uuid_or_none
from rosc.core.models import AuditEvent
from rosc.people.models import Participant
from rosc.people.selectors import participant_in_reach, participant_record_or_deny

CONSENT = "consent.consent"
DISCLOSURE = "consent.disclosure"


def consent_list_for_participant(*, actor: Actor, participant_id: UUID | str) -> list[Consent]:
    participant = participant_in_reach(
        actor=actor,
        participant_id=participant_id,
        action=AuditEvent.Action.LIST,
        record_type=CONSENT,
    )
    return _consents_of(actor, participant)


def _consents_of(actor: Actor, participant: Participant) -> list[Consent]:
    """The person's consents (the caller has passed the gate), the read audited."""
    with transaction.atomic():
        rows = list(
            Consent.objects.filter(participant=participant).select_related(
                "recipient_organization", "disclosing_organization"
            )
        )
        for row in rows:
            row.participant = participant
        audit_record(
            actor=actor,
            action=AuditEvent.Action.LIST,
            record_type=CONSENT,
            record_label=f"Consents of {participant}",
            record_organization_id=participant.organization.public_id,
            subject=participant,
            detail={"count": len(rows)},
        )
    return rows


def participant_section(*, actor: Actor, participant: Participant) -> dict[str, Any]:
    """The consents section of a person's page: each consent with where it stands now.

    The page has already read (and audited) the participant; this reads their consents."""
    now = timezone.now()
    return {"consents": [(c, c.status_at(now)) for c in _consents_of(actor, participant)]}


def consent_get(*, actor: Actor, consent_id: UUID | str) -> Consent:
    key = uuid_or_none(consent_id)
    consent = (
        Consent.objects.select_related(
            "participant__organization", "recipient_organization", "disclosing_organization"
        )
        .filter(public_id=key)
        .first()
        if key
        else None
    )
    if consent is None:
        raise deny(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type=CONSENT,
            record_id=str(consent_id)[:64],
        )
    # Same gate as the participant: refused attempts are audited there.
    participant_in_reach(
        actor=actor,
        participant_id=consent.participant.public_id,
        action=AuditEvent.Action.VIEW,
        record_type=CONSENT,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=consent,
        record_organization_id=consent.disclosing_organization.public_id,
        subject=consent.participant,
    )
    return consent


def consent_of_participant(
    *, actor: Actor, participant_id: UUID | str, consent_id: UUID | str
) -> Consent:
    """The consent, when it is this participant's and the actor may open it; else 404."""
    consent = consent_get(actor=actor, consent_id=consent_id)
    if str(consent.participant.public_id) != str(participant_id):
        raise deny(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type=CONSENT,
            record_id=str(consent_id),
            record_organization_id=consent.disclosing_organization.public_id,
        )
    return consent


def disclosure_list_for_participant(
    *, actor: Actor, participant_id: UUID | str
) -> list[Disclosure]:
    """What the person can be shown: to whom, what, when, and under which consent."""
    participant = participant_in_reach(
        actor=actor,
        participant_id=participant_id,
        action=AuditEvent.Action.LIST,
        record_type=DISCLOSURE,
    )
    with transaction.atomic():
        rows = list(
            Disclosure.objects.filter(participant=participant).select_related(
                "consent", "from_organization", "to_organization", "by_user"
            )
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.LIST,
            record_type=DISCLOSURE,
            record_label=f"Disclosures of {participant}",
            record_organization_id=participant.organization.public_id,
            subject=participant,
            detail={"count": len(rows)},
        )
    return rows


SIGNING_REQUEST = "consent.signingrequest"


def signing_request_get(
    *, actor: Actor, participant_id: UUID | str, request_id: UUID | str
) -> SigningRequest:
    """A consent waiting for the person's signature, when the actor may open that person."""
    participant = participant_in_reach(
        actor=actor,
        participant_id=participant_id,
        action=AuditEvent.Action.VIEW,
        record_type=SIGNING_REQUEST,
    )
    request = participant_record_or_deny(
        actor=actor,
        participant=participant,
        rows=SigningRequest.objects.select_related("participant", "organization", "consent"),
        record_id=request_id,
        action=AuditEvent.Action.VIEW,
        record_type=SIGNING_REQUEST,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=request,
        record_organization_id=participant.organization.public_id,
        subject=participant,
    )
    return request
