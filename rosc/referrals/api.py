"""Referrals in the JSON API: the inbox and outbox, one referral, making one, moving it along
the lifecycle, and progress notes. The same selectors and services as the pages.

The organization (and the participant or referral) is checked before any body is read, so
another organization's ids answer 404 (with a denied event) whatever the body holds; a bad body
from someone allowed answers 422 with field errors. The recipient sees only what was shared.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from rosc.accounts.actor import Actor, request_actor
from rosc.accounts.models import Organization
from rosc.accounts.roles import Perm
from rosc.accounts.selectors import organization_for
from rosc.accounts.services import PermissionDenied
from rosc.consent.models import Category, Purpose
from rosc.core.api import body_schema, parse_body
from rosc.core.models import AuditEvent
from rosc.directory.models import Service
from rosc.people.models import LifeDomain
from rosc.people.selectors import participant_in_reach
from rosc.referrals import selectors, services
from rosc.referrals.models import Referral, ReferralEvent, ReferralStatus, StatusReason, Urgency
from rosc.referrals.overdue import overdue_flags, thresholds_of_recipient
from rosc.referrals.snapshot import SHAREABLE
from rosc.referrals.transitions import SENDER, moves_for

router = Router(tags=["referrals"])

BASE = "/orgs/{org_id}/referrals"


def _gate(request: HttpRequest, org_id: UUID, action: str) -> Actor:
    actor = request_actor(request)
    organization_for(
        actor=actor,
        organization_id=org_id,
        perm=Perm.PARTICIPANTS_OPEN,
        action=action,
        record_type=selectors.RECORD_TYPE,
    )
    return actor


def _enum(values: list[str]) -> dict[str, Any]:
    return {"enum": list(values)}


class ReferralSummaryOut(Schema):
    id: UUID
    kind: str
    source: str
    status: str
    status_label: str
    need: str
    need_label: str
    urgency: str
    person_label: str
    participant_id: UUID | None = Field(
        description="The sender's own record of the person: given to the sender only."
    )
    sender_organization_id: UUID | None
    sender_organization: str
    recipient_organization_id: UUID
    recipient_organization: str
    recipient_service_id: UUID | None
    recipient_service: str
    sent_at: datetime | None
    opened_at: datetime | None
    responded_at: datetime | None
    closed_at: datetime | None
    overdue: list[str]


class ReferralPageOut(Schema):
    items: list[ReferralSummaryOut]
    page: int
    has_next: bool


class EventOut(Schema):
    id: UUID
    at: datetime
    kind: str
    side: str
    by_name: str
    by_organization: str
    from_status: str
    to_status: str
    reason: str
    text: str


class MoveOut(Schema):
    to_status: str
    label: str
    reasons: list[str]
    needs_text: bool


class ReferralOut(ReferralSummaryOut):
    purpose: str
    categories: list[str]
    shared: dict[str, Any] = Field(
        description="What the recipient may see: the consented categories as sent."
    )
    status_reason: str
    status_reason_text: str
    consent_in_force: bool | None = Field(
        description="Whether a consent still covers sharing anything new (None: no consent)."
    )
    notice: str
    consent_scope: str
    events: list[EventOut]
    moves: list[MoveOut]


class ReferralIn(Schema):
    recipient_organization_id: UUID | None = None
    recipient_service_id: UUID | None = None
    need: str = Field(default="", json_schema_extra=_enum(LifeDomain.values))
    urgency: str = Field(default=Urgency.ROUTINE, json_schema_extra=_enum(Urgency.values))
    note_for_recipient: str = ""
    categories: list[str] | None = Field(
        default=None,
        description="Referral details are always shared; identity and contact by default.",
        json_schema_extra={"items": _enum([str(c) for c in SHAREABLE])},
    )
    purpose: str = Field(default=Purpose.REFERRAL, json_schema_extra=_enum(Purpose.values))
    send: bool = Field(default=True, description="False saves a draft.")


class TransitionIn(Schema):
    to_status: str = Field(json_schema_extra=_enum(ReferralStatus.values))
    reason: str = Field(default="", json_schema_extra=_enum(["", *StatusReason.values]))
    text: str = ""


class NoteIn(Schema):
    text: str


def _summary_fields(r: Referral, side: str, overdue: list[str] | None = None) -> dict[str, Any]:
    """A referral's summary; `overdue` as a list already worked it out (else computed here)."""
    if overdue is None:
        overdue = overdue_flags(r, thresholds_of_recipient(r), timezone.now())
    return {
        "id": r.public_id,
        "kind": r.kind,
        "source": r.source,
        "status": r.status,
        "status_label": r.get_status_display(),
        "need": r.need,
        "need_label": r.get_need_display(),
        "urgency": r.urgency,
        "person_label": (
            r.participant.display_name if side == SENDER and r.participant else r.person_label
        ),
        "participant_id": r.participant.public_id if side == SENDER and r.participant else None,
        "sender_organization_id": r.sender_organization.public_id
        if r.sender_organization
        else None,
        "sender_organization": r.sender_organization.name if r.sender_organization else "",
        "recipient_organization_id": r.recipient_organization.public_id,
        "recipient_organization": r.recipient_organization.name,
        "recipient_service_id": r.recipient_service.public_id if r.recipient_service else None,
        "recipient_service": r.recipient_service.name if r.recipient_service else "",
        "sent_at": r.sent_at,
        "opened_at": r.opened_at,
        "responded_at": r.responded_at,
        "closed_at": r.closed_at,
        "overdue": overdue,
    }


def _event_out(e: ReferralEvent) -> EventOut:
    return EventOut(
        id=e.public_id,
        at=e.at,
        kind=e.kind,
        side=e.side,
        by_name=e.by_name,
        by_organization=e.by_organization.name if e.by_organization else "",
        from_status=e.from_status,
        to_status=e.to_status,
        reason=e.reason,
        text=e.text,
    )


def _referral_out(r: Referral, side: str) -> ReferralOut:
    terms = selectors.referral_sharing_terms(r, side)
    return ReferralOut(
        **_summary_fields(r, side),
        purpose=r.purpose,
        categories=list(r.categories),
        shared=r.shared,
        status_reason=r.status_reason,
        status_reason_text=r.status_reason_text,
        consent_in_force=terms.in_force if terms else None,
        notice=terms.notice if terms else "",
        consent_scope=terms.scope if terms else "",
        events=[_event_out(e) for e in selectors.referral_events(r)],
        moves=[
            MoveOut(to_status=m.to, label=m.label, reasons=list(m.reasons), needs_text=m.needs_text)
            for m in moves_for(r.status, side)
        ],
    )


def _page_out(found: selectors.ReferralPage, side: str) -> ReferralPageOut:
    return ReferralPageOut(
        items=[
            ReferralSummaryOut(**_summary_fields(row.referral, side, row.flags))
            for row in found.rows
        ],
        page=found.page,
        has_next=found.has_next,
    )


STATUS_HELP = "open, closed, all, or one status; overdue_only=true lists overdue referrals."


@router.get(
    BASE + "/inbox",
    response=ReferralPageOut,
    summary="Referrals sent to the organization, newest first (50 a page)",
    description=STATUS_HELP,
)
def referral_inbox(
    request: HttpRequest,
    org_id: UUID,
    status: str = "open",
    overdue_only: bool = False,
    page: int = 1,
) -> ReferralPageOut:
    actor = _gate(request, org_id, AuditEvent.Action.LIST)
    found = selectors.referral_inbox(
        actor=actor, status=status, overdue_only=overdue_only, page=page
    )
    return _page_out(found, "recipient")


@router.get(
    BASE + "/sent",
    response=ReferralPageOut,
    summary="Referrals the organization sent, newest first (50 a page)",
    description=STATUS_HELP + " Drafts are listed with status=draft.",
)
def referral_sent(
    request: HttpRequest,
    org_id: UUID,
    status: str = "open",
    overdue_only: bool = False,
    page: int = 1,
) -> ReferralPageOut:
    actor = _gate(request, org_id, AuditEvent.Action.LIST)
    if status == ReferralStatus.DRAFT:
        found = selectors.referral_outbox(actor=actor, status="open", page=page)
        return ReferralPageOut(
            items=[ReferralSummaryOut(**_summary_fields(r, SENDER)) for r in found.drafts],
            page=1,
            has_next=False,
        )
    found = selectors.referral_outbox(
        actor=actor, status=status, overdue_only=overdue_only, page=page
    )
    return _page_out(found, SENDER)


@router.get(
    BASE + "/{referral_id}",
    response=ReferralOut,
    summary="One referral: what was shared, its history and the moves open to you",
)
def referral_get(request: HttpRequest, org_id: UUID, referral_id: UUID) -> ReferralOut:
    actor = _gate(request, org_id, AuditEvent.Action.VIEW)
    referral, side = selectors.referral_get(actor=actor, referral_id=referral_id)
    return _referral_out(referral, side)


@router.post(
    "/orgs/{org_id}/participants/{participant_id}/referrals",
    response={201: ReferralOut},
    summary="Refer a participant to another organization (sent unless send=false)",
    description="Refused with 422 on `categories` without a consent that covers the "
    "recipient, the purpose and every category shared; the message says what is missing.",
    openapi_extra=body_schema(ReferralIn),
)
def referral_create(
    request: HttpRequest, org_id: UUID, participant_id: UUID
) -> Status[ReferralOut]:
    actor = _gate(request, org_id, AuditEvent.Action.CREATE)
    participant = participant_in_reach(
        actor=actor,
        participant_id=participant_id,
        action=AuditEvent.Action.CREATE,
        record_type=selectors.RECORD_TYPE,
    )
    data: dict[str, Any] = parse_body(ReferralIn, request)
    recipient_id = data.pop("recipient_organization_id", None)
    service_id = data.pop("recipient_service_id", None)
    recipient = (
        Organization.objects.filter(public_id=recipient_id, is_active=True).first()
        if recipient_id
        else None
    )
    if recipient_id and recipient is None:
        raise ValidationError({"recipient_organization_id": "No such organization."})
    service = Service.objects.filter(public_id=service_id).first() if service_id else None
    if service_id and service is None:
        raise ValidationError({"recipient_service_id": "No such service."})
    data.setdefault("need", "")
    if data.get("categories") is not None:
        data["categories"] = [c for c in data["categories"] if c != Category.REFERRAL_DETAILS]
    try:
        referral = services.referral_create(
            actor=actor,
            participant=participant,
            recipient_organization=recipient,
            recipient_service=service,
            **data,
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        raise _renamed(exc) from exc
    return Status(201, _referral_out(referral, SENDER))


def _renamed(exc: ValidationError) -> ValidationError:
    """The service names form fields; the API's fields end in _id where they are ids."""
    if not hasattr(exc, "error_dict"):
        return exc
    names = {
        "recipient_organization": "recipient_organization_id",
        "recipient_service": "recipient_service_id",
    }
    return ValidationError({names.get(k, k): v for k, v in exc.error_dict.items()})


@router.post(
    BASE + "/{referral_id}/transitions",
    response=ReferralOut,
    summary="Move a referral along its lifecycle (only the moves listed for your side)",
    description="An illegal move answers 422 on `to_status`; a missing reason or text on "
    "`reason` or `text`.",
    openapi_extra=body_schema(TransitionIn),
)
def referral_transition(request: HttpRequest, org_id: UUID, referral_id: UUID) -> ReferralOut:
    actor = _gate(request, org_id, AuditEvent.Action.UPDATE)
    referral, side = selectors.referral_in_reach(
        actor=actor, referral_id=referral_id, action=AuditEvent.Action.UPDATE
    )
    data = parse_body(TransitionIn, request)
    try:
        referral = services.referral_transition(
            actor=actor,
            referral=referral,
            to_status=data["to_status"],
            reason=data.get("reason", ""),
            text=data.get("text", ""),
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    referral, side = selectors.referral_get(actor=actor, referral_id=referral_id)
    return _referral_out(referral, side)


@router.post(
    BASE + "/{referral_id}/notes",
    response={201: EventOut},
    summary="Add a progress note (both sides see it)",
    description="A sender's note needs the person's consent still in force (422 on `text`).",
    openapi_extra=body_schema(NoteIn),
)
def referral_note_add(request: HttpRequest, org_id: UUID, referral_id: UUID) -> Status[EventOut]:
    actor = _gate(request, org_id, AuditEvent.Action.UPDATE)
    referral, _side = selectors.referral_in_reach(
        actor=actor, referral_id=referral_id, action=AuditEvent.Action.UPDATE
    )
    data = parse_body(NoteIn, request)
    try:
        event = services.referral_note_add(actor=actor, referral=referral, text=data["text"])
    except PermissionDenied as exc:
        raise Http404 from exc
    return Status(201, _event_out(event))
