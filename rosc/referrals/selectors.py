"""Reads of referrals, through the gate: only the two sides see a referral; others get 404."""

from uuid import UUID

from rosc.accounts.actor import Actor
from rosc.accounts.selectors import deny
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.referrals.models import Referral
from rosc.referrals.services import referral_side

RECORD_TYPE = "referrals.referral"


def referral_in_reach(
    *, actor: Actor, referral_id: UUID | str, action: str = AuditEvent.Action.VIEW
) -> tuple[Referral, str]:
    """The referral and the actor's side of it (sender or recipient); a denied event and
    Http404 otherwise. Writes no "ok" event: the caller records the read it makes."""
    try:
        key: UUID | None = UUID(str(referral_id))
    except ValueError:
        key = None
    referral = (
        Referral.objects.select_related(
            "sender_organization",
            "sender_user",
            "recipient_organization",
            "recipient_service",
            "participant",
            "assigned_to",
            "consent",
        )
        .filter(public_id=key)
        .first()
        if key
        else None
    )
    side = referral_side(actor, referral) if referral is not None else None
    if referral is None or side is None:
        raise deny(
            actor,
            action=action,
            record_type=RECORD_TYPE,
            record_id=str(referral_id)[:64],
        )
    # A draft is the sender's alone.
    if side == "recipient" and referral.status == "draft":
        raise deny(actor, action=action, record_type=RECORD_TYPE, record_id=str(referral_id)[:64])
    return referral, side


def referral_get(*, actor: Actor, referral_id: UUID | str) -> tuple[Referral, str]:
    """Open one referral (audited)."""
    referral, side = referral_in_reach(actor=actor, referral_id=referral_id)
    org = referral.sender_organization or referral.recipient_organization
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=referral,
        record_organization_id=org.public_id,
        subject=referral.participant if side == "sender" else None,
    )
    return referral, side
