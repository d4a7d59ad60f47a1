"""Recovery plans API: the plan in force, saving a new version, the versions, a review.

The same selectors and services as the pages. Who may act on the participant is decided before
the request body is read, so another organization's ids answer 404 (with a denied event)
whatever the body holds. Saving says which version it starts from (`base_version`, null for a
first plan); when someone saved a newer one meanwhile the answer is 409 and nothing is saved.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from rosc.accounts.actor import Actor, request_actor
from rosc.accounts.selectors import deny
from rosc.accounts.services import PermissionDenied
from rosc.core.api import body_schema, parse_model
from rosc.core.models import AuditEvent
from rosc.people.models import LifeDomain, Participant
from rosc.people.selectors import participant_in_reach
from rosc.plans import selectors, services
from rosc.plans.models import PlanReview, PlanVersion, Progress

router = Router(tags=["plans"])

BASE = "/orgs/{org_id}/participants/{participant_id}/plan"


def _enum(values: list[str]) -> dict[str, Any]:
    return {"enum": list(values)}


class StepIn(Schema):
    text: str
    who_helps: str = ""
    target_date: date | None = None
    status: str = Field(Progress.NOT_STARTED, json_schema_extra=_enum(Progress.values))


class GoalIn(Schema):
    domain: str = Field(json_schema_extra=_enum(LifeDomain.values))
    text: str
    status: str = Field(Progress.NOT_STARTED, json_schema_extra=_enum(Progress.values))
    steps: list[StepIn] = Field(default_factory=list)
    key: UUID | None = Field(None, description="Keep a goal's key to say it is the same goal")


class PlanIn(Schema):
    base_version: int | None = Field(
        None, description="The version this edit starts from; null when there is no plan yet"
    )
    meaning: str = Field("", description="What recovery means to the person, in their words")
    strengths: str = ""
    goals: list[GoalIn] = Field(default_factory=list)
    change_note: str = ""


class StepOut(Schema):
    text: str
    who_helps: str
    target_date: date | None
    status: str
    status_label: str


class GoalOut(Schema):
    key: UUID
    domain: str
    domain_label: str
    text: str
    status: str
    status_label: str
    steps: list[StepOut]


class ReviewOut(Schema):
    id: UUID
    version_id: UUID
    version_number: int
    reviewer: str
    comment: str
    reviewed_at: datetime


class VersionOut(Schema):
    id: UUID
    number: int
    meaning: str
    strengths: str
    change_note: str
    saved_by: str
    saved_at: datetime
    goals: list[GoalOut]
    reviews: list[ReviewOut]


class VersionSummaryOut(Schema):
    id: UUID
    number: int
    change_note: str
    saved_by: str
    saved_at: datetime
    reviewed: bool


class PlanOut(Schema):
    participant_id: UUID
    current_version: int = Field(description="0 when there is no plan yet")
    awaiting_review: bool
    version: VersionOut | None


class ConflictOut(Schema):
    detail: str
    code: str
    current_version: int


class ReviewIn(Schema):
    comment: str = ""


def _review_out(r: PlanReview, version: PlanVersion) -> ReviewOut:
    return ReviewOut(
        id=r.public_id,
        version_id=version.public_id,
        version_number=version.number,
        reviewer=r.reviewer.display_name,
        comment=r.comment,
        reviewed_at=r.reviewed_at,
    )


def _version_out(v: PlanVersion) -> VersionOut:
    return VersionOut(
        id=v.public_id,
        number=v.number,
        meaning=v.meaning,
        strengths=v.strengths,
        change_note=v.change_note,
        saved_by=v.saved_by.display_name if v.saved_by else "",
        saved_at=v.saved_at,
        goals=[
            GoalOut(
                key=g.key,
                domain=g.domain,
                domain_label=g.get_domain_display(),
                text=g.text,
                status=g.status,
                status_label=g.get_status_display(),
                steps=[
                    StepOut(
                        text=s.text,
                        who_helps=s.who_helps,
                        target_date=s.target_date,
                        status=s.status,
                        status_label=s.get_status_display(),
                    )
                    for s in g.steps.all()
                ],
            )
            for g in v.goals.all()
        ],
        reviews=[_review_out(r, v) for r in v.reviews.all()],
    )


def _in_org(actor: Actor, org_id: UUID, participant_id: UUID, action: str) -> None:
    """The path's organization must be the actor's active one; otherwise 404 (audited)."""
    org = actor.organization
    if org is None or org.public_id != org_id:
        raise deny(
            actor,
            action=action,
            record_type=selectors.PLAN,
            record_id=str(participant_id),
            record_organization_id=org_id,
        )


@router.get(BASE, response=PlanOut, summary="A participant's recovery plan (the version in use)")
def plan_get(request: HttpRequest, org_id: UUID, participant_id: UUID) -> PlanOut:
    actor = request_actor(request)
    _in_org(actor, org_id, participant_id, AuditEvent.Action.VIEW)
    read = selectors.plan_current(actor=actor, participant_id=participant_id, purpose="api")
    return PlanOut(
        participant_id=read.participant.public_id,
        current_version=read.plan.current_version if read.plan else 0,
        awaiting_review=bool(read.plan and read.plan.awaiting_review_since),
        version=_version_out(read.version) if read.version else None,
    )


@router.post(
    BASE,
    response={201: VersionOut, 409: ConflictOut},
    summary="Save the plan as a new version",
    description="Send the version you started from as `base_version` (null for a first plan). "
    "If someone saved a newer version meanwhile the answer is 409 and nothing is saved: read "
    "the plan again, merge, and save on top of the newer version. Field errors answer 422 "
    '(keys like "goals.0.steps.1.target_date").',
    openapi_extra=body_schema(PlanIn),
)
def plan_save(
    request: HttpRequest, org_id: UUID, participant_id: UUID
) -> Status[VersionOut | ConflictOut]:
    actor = request_actor(request)
    _in_org(actor, org_id, participant_id, AuditEvent.Action.UPDATE)
    participant: Participant = participant_in_reach(
        actor=actor,
        participant_id=participant_id,
        action=AuditEvent.Action.UPDATE,
        record_type=selectors.PLAN,
    )
    data = parse_model(PlanIn, request, dotted=True)
    goals = [
        services.GoalData(
            domain=g.domain,
            text=g.text,
            status=g.status,
            key=g.key,
            steps=tuple(
                services.StepData(s.text, s.who_helps, s.target_date, s.status) for s in g.steps
            ),
        )
        for g in data.goals
    ]
    try:
        version = services.plan_save(
            actor=actor,
            participant=participant,
            base_version=data.base_version,
            meaning=data.meaning,
            strengths=data.strengths,
            goals=goals,
            change_note=data.change_note,
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except services.PlanConflict as exc:
        return Status(
            409,
            ConflictOut(
                detail=" ".join(exc.messages),
                code=services.CONFLICT_CODE,
                current_version=exc.current_version,
            ),
        )
    # What was just written, with its goals and steps (the save itself is audited).
    saved = selectors.plan_version_by_number(plan=version.plan, number=version.number)
    assert saved is not None
    return Status(201, _version_out(saved))


@router.get(
    BASE + "/versions",
    response=list[VersionSummaryOut],
    summary="Every version of the plan, newest first",
)
def plan_versions(
    request: HttpRequest, org_id: UUID, participant_id: UUID
) -> list[VersionSummaryOut]:
    actor = request_actor(request)
    _in_org(actor, org_id, participant_id, AuditEvent.Action.LIST)
    _participant, _plan, versions = selectors.plan_version_list(
        actor=actor, participant_id=participant_id
    )
    return [
        VersionSummaryOut(
            id=v.public_id,
            number=v.number,
            change_note=v.change_note,
            saved_by=v.saved_by.display_name if v.saved_by else "",
            saved_at=v.saved_at,
            reviewed=bool(v.reviews.all()),
        )
        for v in versions
    ]


@router.post(
    BASE + "/versions/{plan_version_id}/review",
    response={201: ReviewOut},
    summary="A supervisor reviews a version (an optional comment)",
    openapi_extra=body_schema(ReviewIn, required=False),
)
def plan_review(
    request: HttpRequest, org_id: UUID, participant_id: UUID, plan_version_id: UUID
) -> Status[ReviewOut]:
    actor = request_actor(request)
    _in_org(actor, org_id, participant_id, AuditEvent.Action.CREATE)
    read = selectors.plan_version_for_review(
        actor=actor, participant_id=participant_id, version_id=plan_version_id
    )
    assert read.version is not None
    data = parse_model(ReviewIn, request, dotted=True)
    try:
        review = services.plan_review(actor=actor, version=read.version, comment=data.comment)
    except PermissionDenied as exc:
        raise Http404 from exc
    return Status(201, _review_out(review, read.version))
