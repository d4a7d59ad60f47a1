"""Participants in the JSON API: list and search, enrol, read and update one.

The same selectors and services as the pages. The organization in the path must be the actor's
active one (or the API key's); the body is read only after that, so another organization's ids
answer 404 whatever the body holds.
"""

from datetime import date
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from rosc.accounts.actor import Actor, request_actor
from rosc.accounts.services import PermissionDenied
from rosc.core.api import body_schema, parse_body
from rosc.core.models import AuditEvent
from rosc.people import selectors, services
from rosc.people.models import Participant

router = Router(tags=["participants"])

BASE = "/orgs/{org_id}/participants"


class ParticipantOut(Schema):
    id: UUID
    legal_first_name: str
    legal_last_name: str
    preferred_name: str
    display_name: str
    pronouns: str
    date_of_birth: date | None
    phone: str
    email: str
    preferred_contact: str
    may_leave_message: bool
    language: str
    recovery_pathways: list[str]
    living_situation: str
    intake_needs: dict[str, str]
    justice_involvement: str
    referral_source: str
    referral_source_detail: str
    enrolled_on: date


class ParticipantChange(Schema):
    """Every field a participant update may change; send only those that change."""

    legal_first_name: str = ""
    legal_last_name: str = ""
    preferred_name: str = ""
    pronouns: str = ""
    date_of_birth: date | None = None
    phone: str = ""
    email: str = ""
    preferred_contact: str = ""
    may_leave_message: bool = False
    language: str = ""
    recovery_pathways: list[str] = Field(default_factory=list)
    living_situation: str = ""
    intake_needs: dict[str, str] = Field(default_factory=dict)
    justice_involvement: str = ""
    referral_source: str = ""
    referral_source_detail: str = ""


class ParticipantIn(ParticipantChange):
    legal_first_name: str
    legal_last_name: str
    enrolled_on: date | None = None
    confirmed_not_duplicate: bool = Field(
        default=False,
        description="True after a 422 naming likely duplicates, when it is another person.",
    )


def _out(p: Participant) -> ParticipantOut:
    return ParticipantOut(
        id=p.public_id,
        display_name=p.display_name,
        **{
            name: getattr(p, name)
            for name in ParticipantOut.model_fields
            if name not in {"id", "display_name"}
        },
    )


def _gate(request: HttpRequest, org_id: UUID, action: str) -> Actor:
    actor = request_actor(request)
    selectors.participant_organization_for(actor=actor, organization_id=org_id, action=action)
    return actor


@router.get(BASE, response=list[ParticipantOut], summary="The organization's participants")
def participant_list(request: HttpRequest, org_id: UUID, search: str = "") -> list[ParticipantOut]:
    actor = _gate(request, org_id, AuditEvent.Action.LIST)
    return [_out(p) for p in selectors.participant_list(actor=actor, search=search[:100])]


@router.post(
    BASE,
    response={201: ParticipantOut},
    summary="Enrol a person",
    description="Likely duplicates inside the organization answer 422 on "
    "`confirmed_not_duplicate`; send it true when it is a different person.",
    openapi_extra=body_schema(ParticipantIn),
)
def participant_enrol(request: HttpRequest, org_id: UUID) -> Status[ParticipantOut]:
    actor = _gate(request, org_id, AuditEvent.Action.CREATE)
    data: dict[str, Any] = parse_body(ParticipantIn, request)
    try:
        participant = services.participant_enrol(actor=actor, **data)
    except PermissionDenied as exc:
        raise Http404 from exc
    return Status(201, _out(participant))


@router.get(BASE + "/{participant_id}", response=ParticipantOut, summary="One participant")
def participant_get(request: HttpRequest, org_id: UUID, participant_id: UUID) -> ParticipantOut:
    actor = _gate(request, org_id, AuditEvent.Action.VIEW)
    return _out(selectors.participant_get(actor=actor, participant_id=participant_id))


@router.patch(
    BASE + "/{participant_id}",
    response=ParticipantOut,
    summary="Change a participant's details",
    description="Send only the fields that change.",
    openapi_extra=body_schema(ParticipantChange),
)
def participant_update(request: HttpRequest, org_id: UUID, participant_id: UUID) -> ParticipantOut:
    actor = _gate(request, org_id, AuditEvent.Action.UPDATE)
    participant = selectors.participant_in_reach(
        actor=actor,
        participant_id=participant_id,
        action=AuditEvent.Action.UPDATE,
        record_type=selectors.RECORD_TYPE,
    )
    changes = parse_body(ParticipantChange, request)
    try:
        participant = services.participant_update(actor=actor, participant=participant, **changes)
    except PermissionDenied as exc:
        raise Http404 from exc
    return _out(participant)
