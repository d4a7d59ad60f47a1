"""Follow-ups API: list a person's follow-ups, record an attempt, complete, discharge, re-enrol.

Same selectors and services as the pages. A follow-up is named by its episode's intake sequence
number (GPRA IntakeSeqNum) and its interview type (GPRA InterviewType code).
"""

from datetime import date
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from rosc.accounts.actor import Actor
from rosc.accounts.selectors import deny
from rosc.accounts.services import PermissionDenied
from rosc.core.api import body_schema, parse_body
from rosc.core.models import AuditEvent
from rosc.followups import selectors, services
from rosc.followups.models import AttemptMethod
from rosc.followups.selectors import FollowUpItem
from rosc.people.models import Episode, Participant
from rosc.people.selectors import participant_in_reach

router = Router(tags=["follow-ups"])
BASE = "/orgs/{org_id}/participants/{participant_id}"


class AttemptOut(Schema):
    attempted_on: date
    method: str
    outcome: str
    note: str


class FollowUpOut(Schema):
    intake_seq: int = Field(description="GPRA IntakeSeqNum of the episode")
    interview_type: int = Field(description="GPRA InterviewType: 1, 2 (6-month), 4, 5")
    label: str
    due_on: date
    window_opens_on: date
    window_closes_on: date
    state: str = Field(description="due (window not open yet), open, overdue, completed")
    completed_on: date | None
    outcome: str
    attempts: list[AttemptOut]


class EpisodeOut(Schema):
    intake_seq: int
    started_on: date
    ended_on: date | None
    discharge_reason: str
    discharge_note: str
    reenrolment_reason: str
    participant_status: str


class AttemptIn(Schema):
    intake_seq: int
    interview_type: int
    attempted_on: date
    method: str
    outcome: str = Field(description="reached, not_reached or declined")
    note: str = ""


class CompleteIn(Schema):
    intake_seq: int
    interview_type: int
    completed_on: date
    outcome: str = Field(description="reached (interview done) or declined")
    method: str = AttemptMethod.IN_PERSON
    note: str = ""


class DischargeIn(Schema):
    on: date
    reason: str = Field(description="One of rosc.people DischargeReason values")
    note: str = ""


class ReenrolIn(Schema):
    on: date
    reason: str


def _payload[In: Schema](request: HttpRequest, schema: type[In]) -> In:
    """The JSON body, read after the access check (another organization's ids answer 404
    whatever is sent); bad input is a 422 with field errors."""
    return schema(**parse_body(schema, request))


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _participant(actor: Actor, org_id: UUID, participant_id: UUID, action: str) -> Participant:
    """The participant, when org_id is the actor's active organization and they may open them."""
    org = actor.organization
    if org is None or org.public_id != org_id:
        raise deny(
            actor,
            action=action,
            record_type=selectors.RECORD_TYPE,
            record_id=str(participant_id),
            record_organization_id=None,
        )
    return participant_in_reach(
        actor=actor, participant_id=participant_id, action=action, record_type=selectors.RECORD_TYPE
    )


def _out(item: FollowUpItem) -> FollowUpOut:
    return FollowUpOut(
        intake_seq=item.episode.intake_seq,
        interview_type=item.kind,
        label=item.kind_label,
        due_on=item.due_on,
        window_opens_on=item.window_opens_on,
        window_closes_on=item.window_closes_on,
        state=item.state,
        completed_on=item.completed_on,
        outcome=item.outcome,
        attempts=[
            AttemptOut(attempted_on=a.attempted_on, method=a.method, outcome=a.outcome, note=a.note)
            for a in item.attempts
        ],
    )


def _episode_out(episode: Episode, participant: Participant) -> EpisodeOut:
    return EpisodeOut(
        intake_seq=episode.intake_seq,
        started_on=episode.started_on,
        ended_on=episode.ended_on,
        discharge_reason=episode.discharge_reason,
        discharge_note=episode.discharge_note,
        reenrolment_reason=episode.reenrolment_reason,
        participant_status=participant.status,
    )


def _item(participant: Participant, intake_seq: int, kind: int) -> FollowUpOut:
    items = selectors.participant_followups(participant, with_attempts=True)
    found = next(i for i in items if i.episode.intake_seq == intake_seq and i.kind == kind)
    return _out(found)


@router.get(
    f"{BASE}/follow-ups", response=list[FollowUpOut], summary="A person's follow-ups, all episodes"
)
def followup_list(request: HttpRequest, org_id: UUID, participant_id: UUID) -> list[FollowUpOut]:
    actor = _actor(request)
    _participant(actor, org_id, participant_id, AuditEvent.Action.LIST)
    _person, items = selectors.followup_list(actor=actor, participant_id=participant_id)
    return [_out(i) for i in items]


@router.post(
    f"{BASE}/follow-ups/attempts",
    response={201: FollowUpOut},
    summary="Record an attempt at a follow-up",
    openapi_extra=body_schema(AttemptIn),
)
def followup_attempt(
    request: HttpRequest, org_id: UUID, participant_id: UUID
) -> Status[FollowUpOut]:
    actor = _actor(request)
    participant = _participant(actor, org_id, participant_id, AuditEvent.Action.CREATE)
    payload = _payload(request, AttemptIn)
    try:
        services.followup_attempt_record(
            actor=actor,
            participant=participant,
            intake_seq=payload.intake_seq,
            kind=payload.interview_type,
            attempted_on=payload.attempted_on,
            method=payload.method,
            outcome=payload.outcome,
            note=payload.note,
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    return Status(201, _item(participant, payload.intake_seq, payload.interview_type))


@router.post(
    f"{BASE}/follow-ups/complete",
    response=FollowUpOut,
    summary="Complete a follow-up on a day inside its window",
    openapi_extra=body_schema(CompleteIn),
)
def followup_complete(request: HttpRequest, org_id: UUID, participant_id: UUID) -> FollowUpOut:
    actor = _actor(request)
    participant = _participant(actor, org_id, participant_id, AuditEvent.Action.UPDATE)
    payload = _payload(request, CompleteIn)
    try:
        services.followup_complete(
            actor=actor,
            participant=participant,
            intake_seq=payload.intake_seq,
            kind=payload.interview_type,
            completed_on=payload.completed_on,
            outcome=payload.outcome,
            method=payload.method,
            note=payload.note,
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    return _item(participant, payload.intake_seq, payload.interview_type)


@router.post(
    f"{BASE}/discharge",
    response=EpisodeOut,
    summary="Discharge the person",
    openapi_extra=body_schema(DischargeIn),
)
def participant_discharge(request: HttpRequest, org_id: UUID, participant_id: UUID) -> EpisodeOut:
    actor = _actor(request)
    participant = _participant(actor, org_id, participant_id, AuditEvent.Action.UPDATE)
    payload = _payload(request, DischargeIn)
    try:
        episode = services.participant_discharge(
            actor=actor,
            participant=participant,
            on=payload.on,
            reason=payload.reason,
            note=payload.note,
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    return _episode_out(episode, participant)


@router.post(
    f"{BASE}/re-enrolment",
    response={201: EpisodeOut},
    summary="Re-enrol a discharged person (a new episode)",
    openapi_extra=body_schema(ReenrolIn),
)
def participant_reenrol(
    request: HttpRequest, org_id: UUID, participant_id: UUID
) -> Status[EpisodeOut]:
    actor = _actor(request)
    participant = _participant(actor, org_id, participant_id, AuditEvent.Action.CREATE)
    payload = _payload(request, ReenrolIn)
    try:
        episode = services.participant_reenrol(
            actor=actor, participant=participant, on=payload.on, reason=payload.reason
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    return Status(201, _episode_out(episode, participant))
