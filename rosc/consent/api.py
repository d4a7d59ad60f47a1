"""Consents and disclosures in the JSON API: list, record and revoke consents; list disclosures.

The participant is checked (and another organization's ids refused with 404) before any body is
read; a bad body from someone allowed answers 422 with a message per field.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from rosc.accounts.actor import Actor, request_actor
from rosc.accounts.models import Organization
from rosc.accounts.services import PermissionDenied
from rosc.consent import selectors, services
from rosc.consent.models import Category, Consent, Disclosure, Purpose, SignatureMethod
from rosc.core.api import body_schema, parse_body
from rosc.core.models import AuditEvent
from rosc.people.selectors import participant_in_reach, participant_organization_for

router = Router(tags=["consent"])


def _gate(request: HttpRequest, org_id: UUID, action: str) -> Actor:
    actor = request_actor(request)
    participant_organization_for(
        actor=actor, organization_id=org_id, action=action, record_type=selectors.CONSENT
    )
    return actor


BASE = "/orgs/{org_id}/participants/{participant_id}"


class ConsentOut(Schema):
    id: UUID
    participant_id: UUID
    recipient_organization_id: UUID | None
    recipient_label: str
    purpose: str
    purpose_detail: str
    categories: list[str]
    expires_on: date | None
    expiry_event: str
    irrevocable_until: date | None
    irrevocable_until_event: str
    signature_name: str
    signer_relationship: str
    signature_method: str
    signed_at: datetime
    is_part2_source: bool
    in_force: bool
    revoked_at: datetime | None
    scope: str


class ConsentIn(Schema):
    recipient_organization_id: UUID | None = None
    recipient_class: str = ""
    purpose: str = Field(json_schema_extra={"enum": list(Purpose.values)})
    purpose_detail: str = ""
    categories: list[str] = Field(json_schema_extra={"items": {"enum": list(Category.values)}})
    expires_on: date | None = None
    expiry_event: str = ""
    irrevocable_until: date | None = None
    irrevocable_until_event: str = ""
    right_to_revoke_acknowledged: bool = False
    signature_name: str = ""
    signature_confirmed: bool = False
    signer_relationship: str = ""
    signature_method: str = Field(
        default=SignatureMethod.IN_PERSON, json_schema_extra={"enum": list(SignatureMethod.values)}
    )
    signed_at: datetime | None = None


class RevokeIn(Schema):
    note: str = ""
    irrevocability_event_occurred: bool = False


class DisclosureOut(Schema):
    id: UUID
    consent_id: UUID
    at: datetime
    from_organization: str
    to_organization: str
    purpose: str
    categories: list[str]
    notice: str
    consent_scope: str
    is_part2_source: bool


def _consent_out(c: Consent) -> ConsentOut:
    return ConsentOut(
        id=c.public_id,
        participant_id=c.participant.public_id,
        recipient_organization_id=c.recipient_organization.public_id
        if c.recipient_organization
        else None,
        recipient_label=c.recipient_label,
        purpose=c.purpose,
        purpose_detail=c.purpose_detail,
        categories=list(c.categories),
        expires_on=c.expires_on,
        expiry_event=c.expiry_event,
        irrevocable_until=c.irrevocable_until,
        irrevocable_until_event=c.irrevocable_until_event,
        signature_name=c.signature_name,
        signer_relationship=c.signer_relationship,
        signature_method=c.signature_method,
        signed_at=c.signed_at,
        is_part2_source=c.is_part2_source,
        in_force=c.is_in_force(timezone.now()),
        revoked_at=c.revoked_at,
        scope=c.scope_text(),
    )


@router.get(BASE + "/consents", response=list[ConsentOut], summary="A participant's consents")
def consent_list(request: HttpRequest, org_id: UUID, participant_id: UUID) -> list[ConsentOut]:
    actor = _gate(request, org_id, AuditEvent.Action.LIST)
    rows = selectors.consent_list_for_participant(actor=actor, participant_id=participant_id)
    return [_consent_out(c) for c in rows]


@router.post(
    BASE + "/consents",
    response={201: ConsentOut},
    summary="Record a signed consent",
    description="Every missing or wrong §2.31 element answers 422 on its own field.",
    openapi_extra=body_schema(ConsentIn),
)
def consent_record(request: HttpRequest, org_id: UUID, participant_id: UUID) -> Status[ConsentOut]:
    actor = _gate(request, org_id, AuditEvent.Action.CREATE)
    participant = participant_in_reach(
        actor=actor,
        participant_id=participant_id,
        action=AuditEvent.Action.CREATE,
        record_type=selectors.CONSENT,
    )
    data: dict[str, Any] = parse_body(ConsentIn, request)
    recipient_id = data.pop("recipient_organization_id", None)
    recipient = None
    if recipient_id is not None:
        recipient = Organization.objects.filter(public_id=recipient_id, is_active=True).first()
        if recipient is None:
            raise ValidationError({"recipient_organization_id": "No such organization."})
    data.setdefault("purpose", "")
    data.setdefault("categories", [])
    data.setdefault("signature_name", "")
    data.setdefault("signature_confirmed", False)
    data.setdefault("right_to_revoke_acknowledged", False)
    data.setdefault("signature_method", SignatureMethod.IN_PERSON)
    try:
        consent = services.consent_record(
            actor=actor, participant=participant, recipient_organization=recipient, **data
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    return Status(201, _consent_out(consent))


@router.post(
    BASE + "/consents/{consent_id}/revoke",
    response=ConsentOut,
    summary="Revoke a consent on the person's word, effective at once",
    openapi_extra=body_schema(RevokeIn),
)
def consent_revoke(
    request: HttpRequest, org_id: UUID, participant_id: UUID, consent_id: UUID
) -> ConsentOut:
    actor = _gate(request, org_id, AuditEvent.Action.UPDATE)
    consent = selectors.consent_of_participant(
        actor=actor, participant_id=participant_id, consent_id=consent_id
    )
    data = parse_body(RevokeIn, request)
    try:
        consent = services.consent_revoke(
            actor=actor,
            consent=consent,
            note=data.get("note", ""),
            irrevocability_event_occurred=data.get("irrevocability_event_occurred", False),
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    return _consent_out(consent)


@router.get(
    BASE + "/disclosures",
    response=list[DisclosureOut],
    summary="What has been shared about the person, with whom, under which consent",
)
def disclosure_list(
    request: HttpRequest, org_id: UUID, participant_id: UUID
) -> list[DisclosureOut]:
    actor = _gate(request, org_id, AuditEvent.Action.LIST)
    rows: list[Disclosure] = selectors.disclosure_list_for_participant(
        actor=actor, participant_id=participant_id
    )
    return [
        DisclosureOut(
            id=d.public_id,
            consent_id=d.consent.public_id,
            at=d.at,
            from_organization=d.from_organization.name,
            to_organization=d.to_organization.name,
            purpose=d.purpose,
            categories=list(d.categories),
            notice=d.notice_text,
            consent_scope=d.consent_scope,
            is_part2_source=d.is_part2_source,
        )
        for d in rows
    ]
