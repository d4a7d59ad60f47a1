"""Every write to consents and disclosures, and consent_covers(): the rule every share obeys.

Anything that shows a participant's information to another organization calls
disclosure_record(), which checks consent_covers() for every category and writes the
Disclosure and its audit event in one transaction.
"""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rosc.accounts.actor import Actor, actor_for_user
from rosc.accounts.models import Organization
from rosc.accounts.roles import Perm
from rosc.accounts.services import PermissionDenied
from rosc.consent.models import (
    Category,
    Consent,
    Disclosure,
    OrganizationConsentSettings,
    Purpose,
    SignatureMethod,
    SigningRequest,
)
from rosc.consent.notices import (
    CONSENT_STATEMENTS,
    IRREVOCABILITY_STATEMENT,
    REDISCLOSURE_NOTICE,
)
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.people.models import Participant
from rosc.people.services import organization_acting_for


def organization_is_part2_program(organization: Organization) -> bool:
    return OrganizationConsentSettings.objects.filter(
        organization=organization, is_part2_program=True
    ).exists()


@transaction.atomic
def organization_consent_settings_set(
    *, actor: Actor, is_part2_program: bool
) -> OrganizationConsentSettings:
    """An organization admin records whether their organization is a Part 2 program."""
    org = actor.organization
    if org is None or not actor.can(Perm.STAFF_MANAGE):
        raise PermissionDenied
    row, _ = OrganizationConsentSettings.objects.update_or_create(
        organization=org, defaults={"is_part2_program": is_part2_program}
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=row,
        record_organization_id=org.public_id,
        detail={"is_part2_program": is_part2_program},
    )
    return row


def _terms_errors(
    *,
    org: Organization,
    recipient_organization: Organization | None,
    recipient_class: str,
    purpose: str,
    purpose_detail: str,
    categories: list[str],
    expires_on: date | None,
    expiry_event: str,
    irrevocable_until: date | None,
    irrevocable_until_event: str,
) -> dict[str, str]:
    """Field errors in a consent's terms: every §2.31(a) element except the signature."""
    today = timezone.localdate(timezone.now(), ZoneInfo(org.time_zone))
    errors: dict[str, str] = {}
    if recipient_organization is None and not recipient_class:
        errors["recipient_organization"] = (
            "Name the organization that may receive the information, or describe the class "
            "of recipients."
        )
    elif recipient_organization is not None and recipient_class:
        errors["recipient_class"] = (
            "Choose one: a named organization or a described class of recipients, not both."
        )
    elif recipient_organization is not None and recipient_organization.pk == org.pk:
        errors["recipient_organization"] = (
            "The recipient must be another organization; sharing inside your own needs no consent."
        )

    if purpose not in Purpose.values:
        errors["purpose"] = "Choose why the information may be shared."
    elif purpose == Purpose.OTHER and not purpose_detail:
        errors["purpose_detail"] = "Describe the purpose in the person's own words."

    if not categories:
        errors["categories"] = "Choose at least one kind of information that may be shared."
    elif any(c not in Category.values for c in categories):
        errors["categories"] = "Choose the kinds of information from the list."

    if expires_on is None and not expiry_event:
        errors["expires_on"] = "Give the date this consent ends, or the event that ends it."
    elif expires_on is not None and expiry_event:
        errors["expiry_event"] = "Choose one: an end date or an ending event, not both."
    elif expires_on is not None and expires_on < today:
        errors["expires_on"] = "The end date has already passed; choose a later date."

    irrevocable = irrevocable_until is not None or bool(irrevocable_until_event)
    if irrevocable and purpose != Purpose.JUSTICE:
        field = "irrevocable_until" if irrevocable_until is not None else "irrevocable_until_event"
        errors[field] = (
            "Only a consent for a justice-system diversion or reentry program can be "
            "irrevocable for a time (42 CFR §2.35)."
        )
    elif (
        irrevocable_until is not None and expires_on is not None and irrevocable_until > expires_on
    ):
        errors["irrevocable_until"] = "The consent cannot stay irrevocable past the day it ends."
    return errors


@transaction.atomic
def consent_record(
    *,
    actor: Actor,
    participant: Participant,
    purpose: str,
    categories: Iterable[str],
    signature_name: str,
    signature_confirmed: bool,
    signature_method: str,
    right_to_revoke_acknowledged: bool,
    recipient_organization: Organization | None = None,
    recipient_class: str = "",
    purpose_detail: str = "",
    expires_on: date | None = None,
    expiry_event: str = "",
    signed_at: datetime | None = None,
    signer_relationship: str = "",
    irrevocable_until: date | None = None,
    irrevocable_until_event: str = "",
) -> Consent:
    """Record a signed consent. Every missing or wrong element gets its own field error."""
    org = organization_acting_for(actor, participant)
    now = timezone.now()
    recipient_class = recipient_class.strip()
    purpose_detail = purpose_detail.strip()
    expiry_event = expiry_event.strip()
    irrevocable_until_event = irrevocable_until_event.strip()
    chosen = list(dict.fromkeys(categories))
    errors = _terms_errors(
        org=org,
        recipient_organization=recipient_organization,
        recipient_class=recipient_class,
        purpose=purpose,
        purpose_detail=purpose_detail,
        categories=chosen,
        expires_on=expires_on,
        expiry_event=expiry_event,
        irrevocable_until=irrevocable_until,
        irrevocable_until_event=irrevocable_until_event,
    )
    if not right_to_revoke_acknowledged:
        errors["right_to_revoke_acknowledged"] = (
            "The person needs to be told they may revoke this consent, and how."
        )
    if not signature_name.strip():
        errors["signature_name"] = "The person (or whoever signs for them) types their name."
    if not signature_confirmed:
        errors["signature_confirmed"] = "The signer needs to confirm that this is their signature."
    if signature_method not in SignatureMethod.values:
        errors["signature_method"] = "Say how the signature was captured."
    signed_at = signed_at or now
    if signed_at > now:
        errors["signed_at"] = "The date signed cannot be in the future."

    irrevocable = irrevocable_until is not None or bool(irrevocable_until_event)
    if errors:
        raise ValidationError(errors)

    statements = CONSENT_STATEMENTS + (f"\n\n{IRREVOCABILITY_STATEMENT}" if irrevocable else "")
    consent = Consent(
        participant=participant,
        disclosing_organization=org,
        recipient_organization=recipient_organization,
        recipient_class=recipient_class,
        purpose=purpose,
        purpose_detail=purpose_detail,
        categories=chosen,
        expires_on=expires_on,
        expiry_event=expiry_event,
        right_to_revoke_acknowledged=True,
        statements_text=statements,
        signature_name=signature_name.strip(),
        signature_confirmed=True,
        signer_relationship=signer_relationship.strip(),
        signed_at=signed_at,
        signature_method=signature_method,
        is_part2_source=organization_is_part2_program(org),
        irrevocable_until=irrevocable_until,
        irrevocable_until_event=irrevocable_until_event,
        recorded_by=actor.user,
    )
    consent.full_clean()
    consent.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=consent,
        record_organization_id=org.public_id,
        subject=participant,
        detail={
            "recipient": consent.recipient_label[:200],
            "purpose": purpose,
            "categories": chosen,
        },
    )
    return consent


SIGNING_LINK_HOURS = 24
# The consent elements staff prepare with the person; the signature is added on their device.
TERM_FIELDS = (
    "recipient_organization",
    "recipient_class",
    "purpose",
    "purpose_detail",
    "categories",
    "expires_on",
    "expiry_event",
    "irrevocable_until",
    "irrevocable_until_event",
)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def signing_request_create(
    *,
    actor: Actor,
    participant: Participant,
    purpose: str,
    categories: Iterable[str],
    recipient_organization: Organization | None = None,
    recipient_class: str = "",
    purpose_detail: str = "",
    expires_on: date | None = None,
    expiry_event: str = "",
    irrevocable_until: date | None = None,
    irrevocable_until_event: str = "",
) -> tuple[SigningRequest, str]:
    """Prepare a consent for the person to sign on their own device. Returns the request and
    its one-time token (only its hash is kept, so the link can be shown once)."""
    org = organization_acting_for(actor, participant)
    terms = {
        "recipient_organization": recipient_organization,
        "recipient_class": recipient_class.strip(),
        "purpose": purpose,
        "purpose_detail": purpose_detail.strip(),
        "categories": list(dict.fromkeys(categories)),
        "expires_on": expires_on,
        "expiry_event": expiry_event.strip(),
        "irrevocable_until": irrevocable_until,
        "irrevocable_until_event": irrevocable_until_event.strip(),
    }
    errors = _terms_errors(org=org, **terms)  # type: ignore[arg-type]
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(32)
    stored = {
        **terms,
        "recipient_organization": str(recipient_organization.public_id)
        if recipient_organization
        else None,
        "expires_on": expires_on.isoformat() if expires_on else None,
        "irrevocable_until": irrevocable_until.isoformat() if irrevocable_until else None,
    }
    request = SigningRequest.objects.create(
        participant=participant,
        organization=org,
        terms=stored,
        token_hash=_token_hash(token),
        expires_at=timezone.now() + timedelta(hours=SIGNING_LINK_HOURS),
        prepared_by=actor.user,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=request,
        record_organization_id=org.public_id,
        subject=participant,
        detail={"purpose": purpose, "categories": stored["categories"]},
    )
    return request, token


def signing_request_terms(request: SigningRequest) -> dict[str, Any]:
    """The prepared terms as consent_record() arguments."""
    terms = dict(request.terms)
    recipient = terms.get("recipient_organization")
    terms["recipient_organization"] = (
        Organization.objects.filter(public_id=recipient).first() if recipient else None
    )
    for field in ("expires_on", "irrevocable_until"):
        terms[field] = date.fromisoformat(terms[field]) if terms.get(field) else None
    return {field: terms.get(field) for field in TERM_FIELDS}


def signing_request_for_token(token: str) -> SigningRequest | None:
    """The open request this link names, or None (unknown, used, cancelled or expired)."""
    request = (
        SigningRequest.objects.select_related("participant", "organization", "prepared_by")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if request is None or not request.is_open(timezone.now()):
        return None
    return request


LINK_NO_LONGER_WORKS = (
    "This link no longer works. Please ask the staff member who sent it for a new one."
)


@transaction.atomic
def consent_sign_by_link(
    *,
    token: str,
    signature_name: str,
    signature_confirmed: bool,
    right_to_revoke_acknowledged: bool,
    signer_relationship: str = "",
) -> Consent:
    """The person signs the prepared consent on their own device; the link is then spent."""
    request = (
        SigningRequest.objects.select_for_update(of=("self",))
        .select_related("participant", "organization", "prepared_by")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if request is None or not request.is_open(timezone.now()):
        raise ValidationError(LINK_NO_LONGER_WORKS)
    # The consent is recorded on behalf of whoever prepared it, while they still work there.
    preparer = actor_for_user(request.prepared_by, request.organization)
    try:
        consent = consent_record(
            actor=preparer,
            participant=request.participant,
            signature_name=signature_name,
            signature_confirmed=signature_confirmed,
            right_to_revoke_acknowledged=right_to_revoke_acknowledged,
            signer_relationship=signer_relationship,
            signature_method=SignatureMethod.OWN_DEVICE,
            **signing_request_terms(request),
        )
    except PermissionDenied as exc:
        raise ValidationError(LINK_NO_LONGER_WORKS) from exc
    request.used_at = timezone.now()
    request.consent = consent
    request.save(update_fields=["used_at", "consent", "updated_at"])
    audit_record(
        actor=None,
        action=AuditEvent.Action.UPDATE,
        record=request,
        record_organization_id=request.organization.public_id,
        subject=request.participant,
        detail={"signed_on_own_device": True, "consent": str(consent.public_id)},
    )
    return consent


@transaction.atomic
def signing_request_cancel(*, actor: Actor, request: SigningRequest) -> SigningRequest:
    org = organization_acting_for(actor, request.participant)
    request = SigningRequest.objects.select_for_update().get(pk=request.pk)
    if request.used_at is not None:
        raise ValidationError("The person has already signed; revoke the consent instead.")
    if request.cancelled_at is None:
        request.cancelled_at = timezone.now()
        request.save(update_fields=["cancelled_at", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            record=request,
            record_organization_id=org.public_id,
            subject=request.participant,
            detail={"cancelled": True},
        )
    return request


def _locked(actor: Actor, consent: Consent) -> tuple[Consent, Organization]:
    org = organization_acting_for(actor, consent.participant)
    fresh = (
        Consent.objects.select_for_update(of=("self",))
        .select_related("participant", "disclosing_organization", "recipient_organization")
        .get(pk=consent.pk)
    )
    return fresh, org


@transaction.atomic
def consent_revoke(
    *,
    actor: Actor,
    consent: Consent,
    note: str,
    irrevocability_event_occurred: bool = False,
) -> Consent:
    """Revoke on the person's word, effective at once: nothing more is shared under it.

    Refused while a §2.35 irrevocability period runs. An event-based period ends when staff
    confirm the event has happened (irrevocability_event_occurred=True, said in the note).
    """
    consent, org = _locked(actor, consent)
    now = timezone.now()
    if consent.revoked_at is not None:
        raise ValidationError(f"This consent was already revoked on {consent.revoked_at:%Y-%m-%d}.")
    if consent.irrevocable_until is not None and consent.irrevocable_at(now):
        raise ValidationError(
            "This justice-system consent cannot be revoked until "
            f"{consent.irrevocable_until:%Y-%m-%d} (42 CFR §2.35). It can be revoked from that "
            "day on."
        )
    if consent.irrevocable_until_event and not irrevocability_event_occurred:
        raise ValidationError(
            "This justice-system consent cannot be revoked until this happens: "
            f"{consent.irrevocable_until_event} (42 CFR §2.35). If it has happened, confirm "
            "that and say so in the note."
        )
    if irrevocability_event_occurred and not note.strip():
        raise ValidationError(
            {"note": "Say when and how the event that ended the period happened."}
        )
    consent.revoked_at = now
    consent.revoked_by = actor.user
    consent.revocation_note = note.strip()
    consent.save(update_fields=["revoked_at", "revoked_by", "revocation_note", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=consent,
        record_organization_id=org.public_id,
        subject=consent.participant,
        detail={"revoked": True},
    )
    return consent


@transaction.atomic
def consent_record_expiry_event(
    *, actor: Actor, consent: Consent, occurred_at: datetime | None = None
) -> Consent:
    """The event that ends a consent has happened: nothing more is shared under it."""
    consent, org = _locked(actor, consent)
    if not consent.expiry_event:
        raise ValidationError("This consent ends on a date, not on an event.")
    if consent.expiry_event_recorded_at is not None:
        raise ValidationError("The end of this consent has already been recorded.")
    now = timezone.now()
    occurred_at = occurred_at or now
    if occurred_at > now:
        raise ValidationError({"occurred_at": "The event cannot be in the future."})
    consent.expiry_event_recorded_at = occurred_at
    consent.save(update_fields=["expiry_event_recorded_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=consent,
        record_organization_id=org.public_id,
        subject=consent.participant,
        detail={"expired_by_event": True},
    )
    return consent


def consent_covers(
    *,
    participant: Participant,
    recipient: Organization,
    purpose: str,
    category: str,
    at: datetime,
) -> Consent | None:
    """The consent that lets `participant`'s organization share `category` with `recipient`
    for `purpose` at `at`, or None.

    It must name the recipient organization (a described class of recipients never covers a
    named organization here), be signed with the right to revoke acknowledged, be signed by
    `at`, and be neither revoked nor expired at `at`. The most recently signed one is returned.
    """
    candidates = Consent.objects.filter(
        participant=participant,
        disclosing_organization_id=participant.organization_id,
        recipient_organization=recipient,
        purpose=purpose,
    ).select_related("disclosing_organization", "recipient_organization", "participant")
    for consent in candidates.order_by("-signed_at", "-id"):
        if consent.covers(
            participant=participant,
            recipient_id=recipient.pk,
            purpose=purpose,
            category=category,
            at=at,
        ):
            return consent
    return None


def _missing_message(
    participant: Participant,
    recipient: Organization,
    purpose: str,
    missing: list[str],
    *,
    any_: bool,
) -> str:
    purpose_label = Purpose(purpose).label if purpose in Purpose.values else purpose
    if not any_:
        return (
            f"There is no current, signed consent from {participant.display_name} to share "
            f"information with {recipient.name} for this purpose ({purpose_label})."
        )
    labels = ", ".join(Category(c).label for c in missing)
    return (
        f"{participant.display_name}'s consent to share with {recipient.name} for this purpose "
        f"({purpose_label}) does not cover: {labels}."
    )


@transaction.atomic
def disclosure_record(
    *,
    actor: Actor,
    participant: Participant,
    recipient: Organization,
    purpose: str,
    categories: Iterable[str],
    at: datetime | None = None,
) -> list[Disclosure]:
    """Share information under consent: refused unless every category is covered at `at`.

    Writes one Disclosure per consent relied on (usually one), each carrying the §2.32 notice,
    the consent's scope and the Part 2 tag, with its audit event, in this transaction.
    """
    org = organization_acting_for(actor, participant)
    now = timezone.now()
    at = at or now
    chosen = list(dict.fromkeys(categories))
    errors: dict[str, str] = {}
    if recipient.pk == org.pk:
        errors["recipient"] = "A disclosure goes to another organization."
    if purpose not in Purpose.values:
        errors["purpose"] = "Choose why the information is shared."
    if not chosen:
        errors["categories"] = "Choose what information is shared."
    elif any(c not in Category.values for c in chosen):
        errors["categories"] = "Choose the kinds of information from the list."
    if at > now:
        errors["at"] = "A disclosure cannot be recorded ahead of time."
    if errors:
        raise ValidationError(errors)

    by_consent: dict[int, tuple[Consent, list[str]]] = {}
    missing: list[str] = []
    for category in chosen:
        consent = consent_covers(
            participant=participant, recipient=recipient, purpose=purpose, category=category, at=at
        )
        if consent is None:
            missing.append(category)
        else:
            by_consent.setdefault(consent.pk, (consent, []))[1].append(category)
    if missing:
        raise ValidationError(
            {
                "categories": _missing_message(
                    participant, recipient, purpose, missing, any_=bool(by_consent)
                )
            }
        )

    # Hold the consents relied on, so a revocation at this moment waits for us or stops us.
    locked = {
        c.pk: c
        for c in Consent.objects.select_for_update(of=("self",))
        .select_related("disclosing_organization", "recipient_organization", "participant")
        .filter(pk__in=list(by_consent))
    }
    if any(not c.is_in_force(at) for c in locked.values()):
        raise ValidationError(
            {"categories": _missing_message(participant, recipient, purpose, chosen, any_=False)}
        )

    source_is_part2 = organization_is_part2_program(org)
    written = []
    for pk, (_, covered) in by_consent.items():
        consent = locked[pk]
        disclosure = Disclosure.objects.create(
            participant=participant,
            consent=consent,
            from_organization=org,
            to_organization=recipient,
            categories=covered,
            purpose=purpose,
            at=at,
            by_user=actor.user,
            notice_text=REDISCLOSURE_NOTICE,
            consent_scope=consent.scope_text(),
            is_part2_source=source_is_part2 or consent.is_part2_source,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            record=disclosure,
            record_organization_id=org.public_id,
            subject=participant,
            detail={
                "to": recipient.name,
                "purpose": purpose,
                "categories": covered,
                "consent": str(consent.public_id),
                "part2": disclosure.is_part2_source,
            },
        )
        written.append(disclosure)
    return written
