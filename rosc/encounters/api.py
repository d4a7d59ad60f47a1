"""Encounters API: a participant's contacts (never the notes), logging one, reading one note.

The same selectors and services as the pages. The participant is checked before the request
body is read, so another organization's ids answer 404 (and leave a denied event) whatever the
body holds; a bad body from someone allowed answers 422 with field errors.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from rosc.accounts.actor import request_actor
from rosc.accounts.services import PermissionDenied
from rosc.core.api import body_schema, parse_model
from rosc.core.models import AuditEvent
from rosc.encounters import selectors, services
from rosc.encounters.models import Encounter, EncounterKind, EncounterPlace
from rosc.people.models import LifeDomain

router = Router(tags=["encounters"])

BASE = "/orgs/{org_id}/participants/{participant_id}/encounters"


class EncounterOut(Schema):
    id: UUID
    participant_id: UUID
    occurred_at: datetime
    kind: str
    kind_label: str
    duration_minutes: int
    place: str
    place_label: str
    place_detail: str
    life_domains: list[str]
    needs: str
    has_note: bool
    logged_by: str
    logged_at: datetime
    entered_in_error: bool
    voided_at: datetime | None
    void_reason: str


class EncounterPageOut(Schema):
    items: list[EncounterOut]
    page: int
    pages: int
    count: int


def _enum(values: list[str]) -> dict[str, Any]:
    """The choices, for the OpenAPI document (the service checks them, with clearer errors)."""
    return {"enum": list(values)}


class EncounterIn(Schema):
    kind: str = Field(json_schema_extra=_enum(EncounterKind.values))
    duration_minutes: int = Field(description="1 to 600")
    place: str = Field(json_schema_extra=_enum(EncounterPlace.values))
    occurred_at: datetime | None = None
    place_detail: str = ""
    life_domains: list[str] = Field(
        default_factory=list, json_schema_extra={"items": _enum(LifeDomain.values)}
    )
    needs: str = ""
    note: str = ""


class NoteOut(Schema):
    encounter_id: UUID
    participant_id: UUID
    occurred_at: datetime
    note: str


def _out(e: Encounter, participant_id: UUID) -> EncounterOut:
    return EncounterOut(
        id=e.public_id,
        participant_id=participant_id,
        occurred_at=e.occurred_at,
        kind=e.kind,
        kind_label=e.get_kind_display(),
        duration_minutes=e.duration_minutes,
        place=e.place,
        place_label=e.get_place_display(),
        place_detail=e.place_detail,
        life_domains=list(e.life_domains),
        needs=e.needs,
        has_note=bool(getattr(e, "has_note", False)),
        logged_by=e.logged_by.display_name,
        logged_at=e.logged_at,
        entered_in_error=e.voided_at is not None,
        voided_at=e.voided_at,
        void_reason=e.void_reason,
    )


@router.get(BASE, response=EncounterPageOut, summary="A participant's contacts, without notes")
def encounter_list(
    request: HttpRequest, org_id: UUID, participant_id: UUID, page: int = 1
) -> EncounterPageOut:
    found = selectors.encounter_list(
        actor=request_actor(request),
        participant_id=participant_id,
        page=page,
        organization_id=org_id,
    )
    return EncounterPageOut(
        items=[_out(e, participant_id) for e in found.page.object_list],
        page=found.page.number,
        pages=found.page.paginator.num_pages,
        count=found.page.paginator.count,
    )


@router.post(
    BASE,
    response={201: EncounterOut},
    summary="Log a contact",
    description="`occurred_at` defaults to now. Field errors answer 422.",
    openapi_extra=body_schema(EncounterIn),
)
def encounter_log(request: HttpRequest, org_id: UUID, participant_id: UUID) -> Status[EncounterOut]:
    actor = request_actor(request)
    # Who may log for this person is decided before the body is read.
    participant = selectors.encounter_participant(
        actor=actor,
        participant_id=participant_id,
        action=AuditEvent.Action.CREATE,
        record_type=selectors.ENCOUNTER,
        organization_id=org_id,
    )
    data: dict[str, Any] = parse_model(EncounterIn, request).model_dump()
    try:
        encounter = services.encounter_log(actor=actor, participant=participant, **data)
    except PermissionDenied as exc:
        raise Http404 from exc
    encounter.has_note = bool(encounter.note)  # type: ignore[attr-defined]
    return Status(201, _out(encounter, participant_id))


@router.get(
    BASE + "/{encounter_id}/note",
    response=NoteOut,
    summary="One contact's note (each read is audited)",
)
def encounter_note(
    request: HttpRequest, org_id: UUID, participant_id: UUID, encounter_id: UUID
) -> NoteOut:
    encounter = selectors.encounter_note_get(
        actor=request_actor(request),
        participant_id=participant_id,
        encounter_id=encounter_id,
        organization_id=org_id,
    )
    return NoteOut(
        encounter_id=encounter.public_id,
        participant_id=participant_id,
        occurred_at=encounter.occurred_at,
        note=encounter.note,
    )
