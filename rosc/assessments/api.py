"""Check-ins API: instruments, and a person's check-ins (list and record). Same selectors and
services as the pages; another organization's ids answer 404, bad answers 422."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from rosc.accounts.actor import Actor, request_actor
from rosc.accounts.roles import Perm
from rosc.accounts.selectors import organization_for
from rosc.accounts.services import PermissionDenied
from rosc.assessments import selectors, services
from rosc.assessments.models import Assessment, Instrument, Occasion
from rosc.core.api import body_schema, parse_body
from rosc.core.models import AuditEvent
from rosc.people.selectors import participant_in_reach

router = Router(tags=["check-ins"])


class ItemOut(Schema):
    key: str
    text: str
    reverse: bool


class ScaleStepOut(Schema):
    value: int
    label: str


class BandOut(Schema):
    label: str
    min: int
    max: int
    validated: bool


class InstrumentOut(Schema):
    id: UUID
    code: str
    name: str
    citation: str
    source_url: str
    licence_note: str
    version: str
    shipped: bool
    items: list[ItemOut]
    scale: list[ScaleStepOut]
    scoring: str
    score_min: int
    score_max: int
    bands: list[BandOut]
    cutoff: int | None
    cutoff_label: str
    cutoff_source: str


class AssessmentOut(Schema):
    id: UUID
    participant_id: UUID
    instrument_id: UUID
    instrument_code: str
    taken_on: date
    occasion: str
    answers: dict[str, int]
    total: int
    taken_by: str | None
    created_at: datetime


class AssessmentIn(Schema):
    """A check-in to record. `answers` maps each item key ("1" … "10") to a value on the scale."""

    instrument: str | None = None  # code or id; default: the organization's check-in instrument
    taken_on: date | None = None
    occasion: str | None = None  # intake, routine, follow_up, discharge; default: intake first
    answers: dict[str, Any] = {}


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


def _actor(request: HttpRequest) -> Actor:
    return request_actor(request)


def _instrument_out(i: Instrument) -> InstrumentOut:
    return InstrumentOut(
        id=i.public_id,
        code=i.code,
        name=i.name,
        citation=i.citation,
        source_url=i.source_url,
        licence_note=i.licence_note,
        version=i.version,
        shipped=i.is_shipped,
        items=[
            ItemOut(key=str(x["key"]), text=x["text"], reverse=bool(x.get("reverse")))
            for x in i.items
        ],
        scale=[ScaleStepOut(value=s["value"], label=s["label"]) for s in i.scale],
        scoring=i.scoring,
        score_min=i.score_min,
        score_max=i.score_max,
        bands=[
            BandOut(label=b["label"], min=b["min"], max=b["max"], validated=bool(b["validated"]))
            for b in i.bands
        ],
        cutoff=i.cutoff,
        cutoff_label=i.cutoff_label,
        cutoff_source=i.cutoff_source,
    )


def _assessment_out(a: Assessment) -> AssessmentOut:
    return AssessmentOut(
        id=a.public_id,
        participant_id=a.participant.public_id,
        instrument_id=a.instrument.public_id,
        instrument_code=a.instrument.code,
        taken_on=a.taken_on,
        occasion=a.occasion,
        answers=a.answers,
        total=a.total,
        taken_by=a.taken_by.display_name if a.taken_by else None,
        created_at=a.created_at,
    )


def _own_organization(actor: Actor, org_id: UUID, action: str) -> None:
    organization_for(
        actor=actor,
        organization_id=org_id,
        perm=Perm.PARTICIPANTS_OPEN,
        action=action,
        record_type=selectors.ASSESSMENT,
    )


@router.get(
    "/orgs/{org_id}/instruments",
    response=list[InstrumentOut],
    summary="Instruments the organization may use for check-ins",
)
def instrument_list(request: HttpRequest, org_id: UUID) -> list[InstrumentOut]:
    rows = selectors.instrument_list(actor=_actor(request), organization_id=org_id)
    return [_instrument_out(i) for i in rows]


@router.get(
    "/orgs/{org_id}/participants/{participant_id}/assessments",
    response=list[AssessmentOut],
    summary="A person's check-ins, newest first",
)
def assessment_list(
    request: HttpRequest, org_id: UUID, participant_id: UUID, instrument: str = ""
) -> list[AssessmentOut]:
    actor = _actor(request)
    _own_organization(actor, org_id, AuditEvent.Action.LIST)
    chosen = selectors.instrument_get(actor=actor, instrument=instrument) if instrument else None
    rows = selectors.assessment_list_for_participant(
        actor=actor, participant_id=participant_id, instrument=chosen
    )
    return [_assessment_out(a) for a in rows]


@router.post(
    "/orgs/{org_id}/participants/{participant_id}/assessments",
    response={201: AssessmentOut, 422: ErrorOut},
    summary="Record a check-in",
    description="`answers` maps every item key to a value on the instrument's scale. A missing "
    "or off-scale answer, or a date in the future or before enrolment, answers 422 with field "
    "errors (`item_3`, `taken_on` …) and nothing is saved.",
    openapi_extra=body_schema(AssessmentIn),
)
def assessment_create(
    request: HttpRequest, org_id: UUID, participant_id: UUID
) -> Status[AssessmentOut]:
    actor = _actor(request)
    _own_organization(actor, org_id, AuditEvent.Action.CREATE)
    participant = participant_in_reach(
        actor=actor,
        participant_id=participant_id,
        action=AuditEvent.Action.CREATE,
        record_type=selectors.ASSESSMENT,
    )
    # The body is read only after the gate: another organization's ids answer 404 whatever it holds.
    payload = AssessmentIn(**parse_body(AssessmentIn, request))
    if payload.instrument:
        instrument = selectors.instrument_get(actor=actor, instrument=payload.instrument)
    else:
        instrument = selectors.checkin_plan_for(participant.organization).instrument
    occasion = payload.occasion
    if occasion is None:
        first = not selectors.has_checked_in(participant=participant, instrument=instrument)
        occasion = Occasion.INTAKE if first else Occasion.ROUTINE
    try:
        assessment = services.assessment_record(
            actor=actor,
            participant=participant,
            instrument=instrument,
            taken_on=payload.taken_on,
            occasion=occasion,
            answers=payload.answers,
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    return Status(201, _assessment_out(assessment))
