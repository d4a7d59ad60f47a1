"""Every write about referrals; each checks the acting side, is atomic and audited.

Sending shares information, so it goes through `rosc.consent.services.disclosure_record`:
without a consent that covers the recipient, the purpose and every category, nothing is sent
and the error says what is missing. Status moves follow `rosc.referrals.transitions`.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization
from rosc.accounts.roles import Perm
from rosc.accounts.services import PermissionDenied
from rosc.consent.models import Category, Purpose
from rosc.consent.services import disclosure_record
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.directory.models import Service
from rosc.people.models import LifeDomain, Participant, ReferralSource
from rosc.people.services import organization_acting_for, participant_enrol
from rosc.referrals.models import (
    CLOSED_STATUSES,
    Notification,
    Referral,
    ReferralEvent,
    ReferralKind,
    ReferralSettings,
    ReferralStatus,
    StatusReason,
    Urgency,
)
from rosc.referrals.notifications import notify
from rosc.referrals.snapshot import SHAREABLE, referral_snapshot
from rosc.referrals.transitions import RECIPIENT, SENDER, move_for

MAX_NOTE = 4000


def referral_side(actor: Actor, referral: Referral) -> str | None:
    """SENDER or RECIPIENT when the actor's active organization is that side of the referral
    and the actor's role works with people; None otherwise."""
    org = actor.organization
    if org is None or not actor.can(Perm.PARTICIPANTS_OPEN):
        return None
    if referral.recipient_organization_id == org.pk:
        return RECIPIENT
    if referral.sender_organization_id == org.pk:
        return SENDER
    return None


def _audit(actor: Actor | None, referral: Referral, action: str, **detail: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        record=referral,
        record_organization_id=(
            referral.sender_organization.public_id
            if referral.sender_organization
            else referral.recipient_organization.public_id
        ),
        subject=referral.participant,
        detail=detail or None,
    )


def _event(
    referral: Referral, actor: Actor | None, side: str, kind: str, **fields: Any
) -> ReferralEvent:
    user = actor.user if actor is not None else None
    return ReferralEvent.objects.create(
        referral=referral,
        kind=kind,
        side=side,
        by_user=user,
        by_name=(user.get_full_name() or user.email) if user is not None else "",
        by_organization=actor.organization if actor is not None else None,
        **fields,
    )


def _check_fields(
    *,
    org: Organization,
    recipient_organization: Organization | None,
    recipient_service: Service | None,
    need: str,
    urgency: str,
    note_for_recipient: str,
    categories: list[str],
    purpose: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if recipient_organization is None:
        errors["recipient_organization"] = "Choose the organization you are referring to."
    elif recipient_organization.pk == org.pk:
        errors["recipient_organization"] = "A referral goes to another organization."
    elif not recipient_organization.is_active:
        errors["recipient_organization"] = "That organization is no longer active."
    if recipient_service is not None and (
        recipient_organization is None
        # A directory service names its organization by the HSDS id (the public id).
        or recipient_service.organization_id != recipient_organization.public_id
    ):
        errors["recipient_service"] = "Choose a service of the organization you are referring to."
    if need not in LifeDomain.values:
        errors["need"] = "Choose the life domain this referral is for."
    if urgency not in Urgency.values:
        errors["urgency"] = "Choose how urgent this is."
    if len(note_for_recipient) > MAX_NOTE:
        errors["note_for_recipient"] = f"Please keep the note under {MAX_NOTE} characters."
    if purpose not in Purpose.values:
        errors["purpose"] = "Choose why the information is shared."
    if any(c not in SHAREABLE for c in categories):
        errors["categories"] = (
            "Choose what to share from the list (notes from contacts are never sent "
            "with a referral)."
        )
    return errors


def _details(referral: Referral) -> dict[str, Any]:
    return {
        "need": referral.get_need_display(),
        "urgency": referral.get_urgency_display(),
        "note": referral.note_for_recipient,
        "service": referral.recipient_service.name if referral.recipient_service else "",
        "kind": referral.get_kind_display(),
    }


def _share(actor: Actor, referral: Referral, at: Any) -> None:
    """Disclose the referral's categories under consent and keep the snapshot (or refuse)."""
    assert referral.participant is not None
    disclosures = disclosure_record(
        actor=actor,
        participant=referral.participant,
        recipient=referral.recipient_organization,
        purpose=referral.purpose,
        categories=referral.categories,
        at=at,
    )
    referral.consent = disclosures[0].consent
    referral.is_part2_source = any(d.is_part2_source for d in disclosures)
    referral.shared = referral_snapshot(
        referral.participant, referral.categories, _details(referral)
    )


@transaction.atomic
def referral_create(
    *,
    actor: Actor,
    participant: Participant,
    recipient_organization: Organization | None,
    need: str,
    recipient_service: Service | None = None,
    urgency: str = Urgency.ROUTINE,
    note_for_recipient: str = "",
    categories: list[str] | None = None,
    purpose: str = Purpose.REFERRAL,
    kind: str = ReferralKind.STANDARD,
    send: bool = True,
) -> Referral:
    """Make a referral about `participant`; sent at once unless `send` is False (a draft).

    "Referral details" is always shared; identity and contact are shared unless left out.
    Sending is refused (ValidationError on "categories") without a covering consent.
    """
    org = organization_acting_for(actor, participant)
    wanted = categories if categories is not None else [Category.IDENTITY_CONTACT]
    chosen = list(dict.fromkeys([Category.REFERRAL_DETAILS, *wanted]))
    note_for_recipient = (note_for_recipient or "").strip()
    errors = _check_fields(
        org=org,
        recipient_organization=recipient_organization,
        recipient_service=recipient_service,
        need=need,
        urgency=urgency,
        note_for_recipient=note_for_recipient,
        categories=chosen,
        purpose=purpose,
    )
    if kind not in ReferralKind.values or kind == ReferralKind.SELF_REFERRAL:
        errors["kind"] = "Choose the kind of referral."
    if errors:
        raise ValidationError(errors)
    assert recipient_organization is not None
    now = timezone.now()
    referral = Referral(
        kind=kind,
        sender_organization=org,
        sender_user=actor.user,
        participant=participant,
        recipient_organization=recipient_organization,
        recipient_service=recipient_service,
        need=need,
        urgency=urgency,
        note_for_recipient=note_for_recipient,
        purpose=purpose,
        categories=chosen,
        status=ReferralStatus.DRAFT,
        status_changed_at=now,
    )
    referral.save()
    _event(referral, actor, SENDER, ReferralEvent.Kind.STATUS, to_status=ReferralStatus.DRAFT)
    _audit(actor, referral, AuditEvent.Action.CREATE, status=referral.status)
    if send:
        return referral_transition(
            actor=actor, referral=referral, to_status=ReferralStatus.REQUESTED
        )
    return referral


def _locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("sender_organization", "recipient_organization", "participant")
        .get(pk=referral.pk)
    )


@transaction.atomic
def referral_transition(
    *, actor: Actor, referral: Referral, to_status: str, reason: str = "", text: str = ""
) -> Referral:
    """Move a referral along the lifecycle, when the table allows it for the actor's side."""
    side = referral_side(actor, referral)
    if side is None:
        raise PermissionDenied
    referral = _locked(referral)
    move = move_for(referral.status, to_status, side)
    if move is None:
        known = to_status in ReferralStatus.values
        target = ReferralStatus(to_status).label if known else to_status
        raise ValidationError(
            {
                "to_status": (
                    f"A referral that is “{referral.get_status_display()}” cannot be moved to "
                    f"“{target}” from your side."
                )
            }
        )
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if move.reasons and reason not in move.reasons:
        errors["reason"] = "Choose a reason."
    if not move.reasons:
        reason = ""
    if (move.needs_text or reason == StatusReason.OTHER) and not text:
        errors["text"] = "Please say why, in a few words."
    if len(text) > 500:
        errors["text"] = "Please keep this under 500 characters."
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    before = referral.status
    if to_status == ReferralStatus.REQUESTED:
        _share(actor, referral, now)
        referral.sent_at = now
    if before == ReferralStatus.REQUESTED and to_status in (
        ReferralStatus.ACCEPTED,
        ReferralStatus.REJECTED,
    ):
        referral.responded_at = now
    if to_status == ReferralStatus.ACCEPTED and side == RECIPIENT and not referral.assigned_to_id:
        referral.assigned_to = actor.user
    referral.status = to_status
    referral.status_reason = reason
    referral.status_reason_text = text
    referral.status_changed_at = now
    referral.closed_at = now if to_status in CLOSED_STATUSES else None
    referral.save()
    _event(
        referral,
        actor,
        side,
        ReferralEvent.Kind.STATUS,
        from_status=before,
        to_status=to_status,
        reason=reason,
        text=text,
        at=now,
    )
    _audit(actor, referral, AuditEvent.Action.UPDATE, status=[before, to_status], reason=reason)
    _notify_other_side(referral, side, f"{_what(referral)}: {referral.get_status_display()}.")
    return referral


def _what(referral: Referral) -> str:
    sender = referral.sender_organization.name if referral.sender_organization else "a person"
    return (
        f"Referral for {referral.get_need_display().lower()} from {sender} to "
        f"{referral.recipient_organization.name}"
    )


def _notify_other_side(referral: Referral, side: str, message: str) -> None:
    if side == SENDER:
        notify(
            referral=referral,
            organization=referral.recipient_organization,
            named=referral.assigned_to,
            message=message,
        )
    else:
        notify(
            referral=referral,
            organization=referral.sender_organization,
            named=referral.sender_user,
            message=message,
        )


@transaction.atomic
def referral_open(*, actor: Actor, referral: Referral) -> Referral:
    """Record that the recipient opened a sent referral (once; a timestamp, not a status)."""
    if referral_side(actor, referral) != RECIPIENT:
        raise PermissionDenied
    referral = _locked(referral)
    if referral.opened_at is not None or referral.status == ReferralStatus.DRAFT:
        return referral
    referral.opened_at = timezone.now()
    referral.opened_by = actor.user
    referral.save(update_fields=["opened_at", "opened_by", "updated_at"])
    _event(referral, actor, RECIPIENT, ReferralEvent.Kind.OPENED, at=referral.opened_at)
    _audit(actor, referral, AuditEvent.Action.UPDATE, opened=True)
    _notify_other_side(referral, RECIPIENT, f"{_what(referral)}: opened.")
    return referral


@transaction.atomic
def referral_note_add(*, actor: Actor, referral: Referral, text: str) -> ReferralEvent:
    """A progress note from either side, seen by both. Not allowed on a draft or after it closed."""
    side = referral_side(actor, referral)
    if side is None:
        raise PermissionDenied
    referral = _locked(referral)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Please write the note."})
    if len(text) > MAX_NOTE:
        raise ValidationError({"text": f"Please keep the note under {MAX_NOTE} characters."})
    if referral.status == ReferralStatus.DRAFT or referral.status in CLOSED_STATUSES:
        raise ValidationError({"text": "Notes can be added while a referral is open."})
    if side == SENDER and referral.consent is not None:
        # A note from the sender is information about the person: it needs the consent too.
        assert referral.participant is not None
        try:
            disclosure_record(
                actor=actor,
                participant=referral.participant,
                recipient=referral.recipient_organization,
                purpose=referral.purpose,
                categories=[Category.REFERRAL_DETAILS],
            )
        except ValidationError as exc:
            raise ValidationError(
                {
                    "text": (
                        "The person's consent to share with "
                        f"{referral.recipient_organization.name} is no longer in force, so "
                        "nothing new can be shared: your note was not sent. "
                        + " ".join(exc.messages)
                    )
                }
            ) from exc
    event = _event(referral, actor, side, ReferralEvent.Kind.NOTE, text=text)
    _audit(actor, referral, AuditEvent.Action.UPDATE, note=True)
    _notify_other_side(referral, side, f"{_what(referral)}: a new progress note.")
    return event


SOURCE_BY_SENDER_KIND: dict[str, str] = {
    Organization.Kind.HOSPITAL: ReferralSource.HOSPITAL,
    Organization.Kind.TREATMENT: ReferralSource.TREATMENT,
    Organization.Kind.COURT: ReferralSource.JUSTICE,
    Organization.Kind.JAIL: ReferralSource.JUSTICE,
    Organization.Kind.PROBATION: ReferralSource.JUSTICE,
}


@transaction.atomic
def referral_enrol_person(
    *, actor: Actor, referral: Referral, confirmed_not_duplicate: bool = False
) -> Participant:
    """The recipient enrols the referred person in its own organization from what was shared
    (identity and contact), and links that record to the referral. Duplicate warnings as on
    the enrolment form (ValidationError on "confirmed_not_duplicate")."""
    if referral_side(actor, referral) != RECIPIENT:
        raise PermissionDenied
    referral = _locked(referral)
    if referral.recipient_participant_id is not None:
        raise ValidationError({"referral": "This person is already enrolled from this referral."})
    if referral.status not in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS):
        raise ValidationError({"referral": "Accept the referral before enrolling the person."})
    identity = referral.shared.get(Category.IDENTITY_CONTACT) or {}
    if not identity.get("first_name"):
        raise ValidationError(
            {"referral": "The person's name was not shared, so they cannot be enrolled from here."}
        )
    if not identity.get("last_name"):
        raise ValidationError(
            {
                "referral": "Only one name was shared. Ask the person for their last name when "
                "you reach them, then enrol them from the enrolment form."
            }
        )
    born = identity.get("date_of_birth") or ""
    sender_kind = referral.sender_organization.kind if referral.sender_organization else ""
    participant = participant_enrol(
        actor=actor,
        legal_first_name=identity["first_name"],
        legal_last_name=identity["last_name"],
        preferred_name=identity.get("preferred_name", ""),
        pronouns=identity.get("pronouns", ""),
        date_of_birth=date.fromisoformat(born) if born else None,
        phone=identity.get("phone", ""),
        email=identity.get("email", ""),
        preferred_contact=identity.get("preferred_contact", ""),
        may_leave_message=bool(identity.get("may_leave_message")),
        language=identity.get("language", ""),
        referral_source=(
            ReferralSource.SELF
            if referral.kind == ReferralKind.SELF_REFERRAL
            else SOURCE_BY_SENDER_KIND.get(sender_kind, ReferralSource.COMMUNITY)
        ),
        referral_source_detail=(
            referral.sender_organization.name[:200] if referral.sender_organization else ""
        ),
        confirmed_not_duplicate=confirmed_not_duplicate,
    )
    referral.recipient_participant = participant
    referral.save(update_fields=["recipient_participant", "updated_at"])
    _audit(actor, referral, AuditEvent.Action.UPDATE, enrolled=str(participant.public_id))
    return participant


SETTINGS_DAYS = (1, 30)


def _days_error(value: Any) -> str | None:
    low, high = SETTINGS_DAYS
    if isinstance(value, bool) or not isinstance(value, int) or not (low <= value <= high):
        return f"Give a number of business days from {low} to {high}."
    return None


@transaction.atomic
def referral_settings_set(
    *, actor: Actor, open_within_business_days: Any, respond_within_business_days: Any
) -> ReferralSettings:
    """An organization admin sets when referrals sent to them are flagged overdue."""
    org = actor.organization
    if org is None or not actor.can(Perm.STAFF_MANAGE):
        raise PermissionDenied
    errors: dict[str, str] = {}
    for name, value in (
        ("open_within_business_days", open_within_business_days),
        ("respond_within_business_days", respond_within_business_days),
    ):
        problem = _days_error(value)
        if problem:
            errors[name] = problem
    if not errors and respond_within_business_days < open_within_business_days:
        errors["respond_within_business_days"] = (
            "Allow at least as long to accept or decline as to open a referral."
        )
    if errors:
        raise ValidationError(errors)
    row = ReferralSettings.objects.select_for_update().filter(organization=org).first()
    before = (row.open_within_business_days, row.respond_within_business_days) if row else (1, 3)
    row, _ = ReferralSettings.objects.update_or_create(
        organization=org,
        defaults={
            "open_within_business_days": open_within_business_days,
            "respond_within_business_days": respond_within_business_days,
        },
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=row,
        record_organization_id=org.public_id,
        detail={
            "open_within_business_days": [before[0], open_within_business_days],
            "respond_within_business_days": [before[1], respond_within_business_days],
        },
    )
    return row


@transaction.atomic
def notifications_mark_read(
    *, actor: Actor, notification_ids: list[int] | None = None, referral: Referral | None = None
) -> int:
    """Mark the actor's own notices in their active organization as read (those listed, or
    those about `referral`); returns how many changed. Touches nobody else's notices."""
    org = actor.organization
    if org is None:
        return 0
    rows = Notification.objects.filter(user=actor.user, organization=org, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=notification_ids)
    if referral is not None:
        rows = rows.filter(referral=referral)
    if notification_ids is None and referral is None:
        return 0
    changed = rows.update(read_at=timezone.now())
    if changed:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            record_type="referrals.notification",
            record_label="Notifications read",
            record_organization_id=org.public_id,
            detail={"read": changed},
        )
    return changed
