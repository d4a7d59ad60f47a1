"""Reads of self-assessments, through the gate (default deny, 404 after a denied event), and the
public badge question, answered for many organizations in one query."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import connection
from django.db.models import Avg, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization
from rosc.accounts.roles import Perm
from rosc.accounts.selectors import deny, organization_for, record_or_deny
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.councils.models import Council
from rosc.fidelity.models import (
    AssessmentStatus,
    CouncilAssessment,
    CouncilElementScore,
    RcoAssessment,
)
from rosc.fidelity.standards import RCO_STANDARDS, ROSC_ELEMENTS

RCO_RECORD = "fidelity.rcoassessment"
COUNCIL_RECORD = "fidelity.councilassessment"


# --- an organization's own RCO standards self-assessments ---------------------------------------


def rco_organization(
    *, actor: Actor, organization_id: UUID, perm: str, action: str
) -> Organization:
    return organization_for(
        actor=actor,
        organization_id=organization_id,
        perm=perm,
        action=action,
        record_type=RCO_RECORD,
    )


def rco_assessment_list(
    *, actor: Actor, organization_id: UUID
) -> tuple[Organization, list[RcoAssessment]]:
    """The organization's assessments, newest first: any of its staff may read them."""
    org = rco_organization(
        actor=actor,
        organization_id=organization_id,
        perm=Perm.STAFF_VIEW,
        action=AuditEvent.Action.LIST,
    )
    rows = list(
        RcoAssessment.objects.filter(organization=org)
        .select_related("started_by", "submitted_by")
        .prefetch_related("answers", "reviews__reviewed_by")
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.LIST,
        record_type=RCO_RECORD,
        record_label=f"RCO standards self-assessments of {org.name}",
        record_organization_id=org.public_id,
        detail={"count": len(rows)},
    )
    return org, rows


def rco_assessment_get(
    *, actor: Actor, organization_id: UUID, assessment_id: UUID | str, perm: str = Perm.STAFF_VIEW
) -> RcoAssessment:
    """One of the organization's assessments (audited); 404 for anything else."""
    org = rco_organization(
        actor=actor, organization_id=organization_id, perm=perm, action=AuditEvent.Action.VIEW
    )
    assessment = record_or_deny(
        actor,
        rows=RcoAssessment.objects.select_related(
            "organization", "started_by", "submitted_by"
        ).filter(organization=org),
        record_id=assessment_id,
        action=AuditEvent.Action.VIEW,
        record_type=RCO_RECORD,
        record_organization_id=org.public_id,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=assessment,
        record_organization_id=org.public_id,
    )
    return assessment


def rco_assessment_previous(assessment: RcoAssessment) -> RcoAssessment | None:
    """The organization's assessment submitted before this one (drafts never count). Call only
    with an assessment the actor was allowed to open: it reads the same organization."""
    return (
        RcoAssessment.objects.filter(
            organization_id=assessment.organization_id, submitted_at__isnull=False
        )
        .exclude(pk=assessment.pk)
        .filter(
            Q(created_at__lt=assessment.created_at)
            | Q(created_at=assessment.created_at, id__lt=assessment.pk)
        )
        .order_by("-created_at", "-id")
        .first()
    )


@dataclass
class CompareRow:
    number: int
    title: str
    rating: str
    rating_label: str
    previous: str | None
    previous_label: str
    evidence: str
    evidence_url: str
    notes: str

    @property
    def changed(self) -> bool:
        return self.previous is not None and self.previous != self.rating


def rco_compare(assessment: RcoAssessment, previous: RcoAssessment | None) -> list[CompareRow]:
    """Each standard with this answer and the previous assessment's, side by side."""
    now = {a.standard: a for a in assessment.answers.all()}
    before = {a.standard: a for a in previous.answers.all()} if previous else {}
    rows = []
    for number, title in RCO_STANDARDS:
        a = now.get(number)
        b = before.get(number)
        rows.append(
            CompareRow(
                number=number,
                title=title,
                rating=a.rating if a else "",
                rating_label=(a.get_rating_display() if a and a.rating else "Not answered"),
                previous=(b.rating if b else None) if previous else None,
                previous_label=(b.get_rating_display() if b and b.rating else "Not answered"),
                evidence=a.evidence if a else "",
                evidence_url=a.evidence_url if a else "",
                notes=a.notes if a else "",
            )
        )
    return rows


# --- the network's review --------------------------------------------------------------------


def _reviewer(actor: Actor, *, action: str, record_id: str = "") -> None:
    if not actor.can(Perm.FIDELITY_REVIEW):
        raise deny(actor, action=action, record_type=RCO_RECORD, record_id=record_id)


@dataclass
class ReviewQueue:
    waiting: list[RcoAssessment]
    reviewed: list[RcoAssessment]


def review_queue(*, actor: Actor, recent: int = 50) -> ReviewQueue:
    """Assessments waiting for review (oldest first), and the latest reviewed ones."""
    _reviewer(actor, action=AuditEvent.Action.LIST)
    base = RcoAssessment.objects.select_related("organization", "submitted_by")
    waiting = list(base.filter(status=AssessmentStatus.SUBMITTED).order_by("submitted_at", "id"))
    reviewed = list(
        base.filter(status__in=[AssessmentStatus.ACCEPTED, AssessmentStatus.RETURNED])
        .prefetch_related("reviews__reviewed_by")
        .order_by("-updated_at", "-id")[:recent]
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.LIST,
        record_type=RCO_RECORD,
        record_label="RCO standards review queue",
        detail={"waiting": len(waiting), "reviewed": len(reviewed)},
    )
    return ReviewQueue(waiting=waiting, reviewed=reviewed)


def rco_assessment_for_review(*, actor: Actor, assessment_id: UUID | str) -> RcoAssessment:
    """Any organization's submitted (or already reviewed) assessment, for a reviewer only."""
    _reviewer(actor, action=AuditEvent.Action.VIEW, record_id=str(assessment_id)[:64])
    assessment = record_or_deny(
        actor,
        rows=RcoAssessment.objects.select_related("organization", "submitted_by").filter(
            submitted_at__isnull=False
        ),
        record_id=assessment_id,
        action=AuditEvent.Action.VIEW,
        record_type=RCO_RECORD,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=assessment,
        record_organization_id=assessment.organization.public_id,
    )
    return assessment


# --- the public badge ------------------------------------------------------------------------


def rco_standards_badges(organization_ids: Iterable[UUID]) -> dict[UUID, date]:
    """{organization public id: the date (in its time zone) of the review} for each of the
    organizations whose latest accepted self-assessment rates all ten standards met. One
    query, whatever the number of organizations. Public: the badge is on directory listings."""
    ids = list({i for i in organization_ids if i is not None})
    if not ids:
        return {}
    # The accepted assessments of these organizations, newest first per organization; the
    # first of each decides. Read raw: it runs on every search page, and the ORM took fifty
    # times the statement's own time to build it (fixed columns, nothing to compile).
    org_field = Organization._meta.get_field("public_id")
    quote = connection.ops.quote_name
    sql = (
        "SELECT a.organization_id, o.public_id, o.time_zone, a.all_met, a.accepted_at "  # noqa: S608 - names from the models
        f"FROM {quote(RcoAssessment._meta.db_table)} a "
        f"JOIN {quote(Organization._meta.db_table)} o ON o.id = a.organization_id "
        f"WHERE a.status = %s AND o.public_id IN ({', '.join(['%s'] * len(ids))}) "
        "ORDER BY a.organization_id, a.accepted_at DESC, a.id DESC"
    )
    params = [AssessmentStatus.ACCEPTED.value] + [
        org_field.get_db_prep_value(i, connection) for i in ids
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    badges: dict[UUID, date] = {}
    seen: set[int] = set()
    for org_pk, public_id, zone, all_met, accepted_at in rows:
        if org_pk in seen:
            continue
        seen.add(org_pk)
        if all_met and accepted_at is not None:
            if isinstance(accepted_at, str):
                accepted_at = datetime.fromisoformat(accepted_at)
            if timezone.is_naive(accepted_at):  # SQLite keeps UTC without saying so
                accepted_at = accepted_at.replace(tzinfo=UTC)
            badges[public_id if isinstance(public_id, UUID) else UUID(public_id)] = (
                timezone.localdate(accepted_at, _zone(zone))
            )
    return badges


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


# --- council ROSC self-assessments ----------------------------------------------------------


def council_organization(*, actor: Actor, organization_id: UUID, action: str) -> Organization:
    return organization_for(
        actor=actor,
        organization_id=organization_id,
        perm=Perm.COUNCIL_MANAGE,
        action=action,
        record_type=COUNCIL_RECORD,
    )


def councils_hosted(organization: Organization) -> QuerySet[Council]:
    return Council.objects.filter(host=organization).order_by("name")


@dataclass
class CouncilHistory:
    council: Council
    assessments: list[CouncilAssessment]  # oldest first
    elements: list[tuple[int, str, list[int | None]]] = field(default_factory=list)

    @property
    def latest(self) -> CouncilAssessment | None:
        return self.assessments[-1] if self.assessments else None


def council_histories(
    *, actor: Actor, organization_id: UUID
) -> tuple[Organization, list[CouncilHistory]]:
    """Each council the organization hosts, with its self-assessments over time (audited)."""
    org = council_organization(
        actor=actor, organization_id=organization_id, action=AuditEvent.Action.LIST
    )
    councils = list(councils_hosted(org))
    assessments = (
        CouncilAssessment.objects.filter(council__in=councils)
        .prefetch_related("scores")
        .order_by("assessed_on", "created_at", "id")
    )
    by_council: dict[int, list[CouncilAssessment]] = {c.pk: [] for c in councils}
    for a in assessments:
        by_council[a.council_id].append(a)
    result = []
    for council in councils:
        history = CouncilHistory(council=council, assessments=by_council[council.pk])
        scores = [{s.element: s.score for s in a.scores.all()} for a in history.assessments]
        history.elements = [
            (number, title, [s.get(number) for s in scores]) for number, title in ROSC_ELEMENTS
        ]
        result.append(history)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.LIST,
        record_type=COUNCIL_RECORD,
        record_label=f"ROSC self-assessments of councils hosted by {org.name}",
        record_organization_id=org.public_id,
        detail={"councils": len(councils)},
    )
    return org, result


def council_assessment_get(
    *, actor: Actor, organization_id: UUID, assessment_id: UUID | str
) -> CouncilAssessment:
    org = council_organization(
        actor=actor, organization_id=organization_id, action=AuditEvent.Action.VIEW
    )
    assessment = record_or_deny(
        actor,
        rows=CouncilAssessment.objects.select_related("council", "recorded_by").filter(
            council__host=org
        ),
        record_id=assessment_id,
        action=AuditEvent.Action.VIEW,
        record_type=COUNCIL_RECORD,
        record_organization_id=org.public_id,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=assessment,
        record_organization_id=org.public_id,
    )
    return assessment


def council_assessment_previous(assessment: CouncilAssessment) -> CouncilAssessment | None:
    return (
        CouncilAssessment.objects.filter(council_id=assessment.council_id)
        .filter(
            Q(assessed_on__lt=assessment.assessed_on)
            | Q(assessed_on=assessment.assessed_on, created_at__lt=assessment.created_at)
        )
        .order_by("-assessed_on", "-created_at", "-id")
        .first()
    )


@dataclass
class NetworkOverview:
    latest: list[tuple[Council, CouncilAssessment | None]]
    averages: list[tuple[int, str, float | None]]
    assessed: int  # councils with at least one assessment


def network_council_overview(*, actor: Actor) -> NetworkOverview:
    """Every council's latest self-assessment and, over those, each element's average."""
    if not actor.can(Perm.NETWORK_VIEW):
        raise deny(actor, action=AuditEvent.Action.LIST, record_type=COUNCIL_RECORD, record_id="")
    latest_id = Subquery(
        CouncilAssessment.objects.filter(council=OuterRef("pk"))
        .order_by("-assessed_on", "-created_at", "-id")
        .values("id")[:1]
    )
    councils = list(
        Council.objects.select_related("host").annotate(latest_id=latest_id).order_by("name")
    )
    ids = [c.latest_id for c in councils if c.latest_id is not None]
    latest = {a.pk: a for a in CouncilAssessment.objects.filter(pk__in=ids)}
    averages = dict(
        CouncilElementScore.objects.filter(assessment_id__in=ids)
        .values("element")
        .annotate(avg=Avg("score"))
        .values_list("element", "avg")
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.LIST,
        record_type=COUNCIL_RECORD,
        record_label="ROSC self-assessments across the network",
        detail={"councils": len(councils), "assessed": len(ids)},
    )
    return NetworkOverview(
        latest=[(c, latest.get(c.latest_id)) for c in councils],
        averages=[
            (number, title, float(averages[number]) if number in averages else None)
            for number, title in ROSC_ELEMENTS
        ],
        assessed=len(ids),
    )
