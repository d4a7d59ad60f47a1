"""Every read of check-ins and instruments. Each takes the acting user; default deny.

A person's check-ins are behind the same gate as the person (`participant_in_reach`); every
read of them is audited. Instruments are not about anyone, but an organization's own are for
that organization only: asking for another's answers 404 after a "denied" event.
"""

import contextlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization
from rosc.accounts.roles import Perm
from rosc.accounts.selectors import deny, organization_for
from rosc.assessments import barc10
from rosc.assessments.charts import trend_chart
from rosc.assessments.models import (
    DEFAULT_CHECKIN_INTERVAL_DAYS,
    Assessment,
    Instrument,
    OrganizationAssessmentSettings,
)
from rosc.assessments.services import organization_today
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.people.models import Participant, ParticipantStatus
from rosc.people.selectors import participant_in_reach, participant_record_or_deny

ASSESSMENT = "assessments.assessment"
INSTRUMENT = "assessments.instrument"


# --- building blocks (callers hold the access decision) ----------------------------------------


def shipped_barc10() -> Instrument:
    """The shipped BARC-10 (installed by a migration; reinstalled if a test flushed it)."""
    row = Instrument.objects.filter(owner=None, code=barc10.CODE).first()
    return row if row is not None else barc10.install(Instrument)


def instruments_for(organization: Organization) -> QuerySet[Instrument]:
    """Active instruments an organization may use: shipped ones and its own."""
    return Instrument.objects.filter(
        Q(owner=None) | Q(owner=organization), is_active=True
    ).order_by("owner_id", "name")


@dataclass(frozen=True)
class CheckinPlan:
    interval_days: int
    instrument: Instrument


def checkin_plan_for(organization: Organization) -> CheckinPlan:
    """How often, and with which instrument, the organization checks in (defaults: BARC-10, 90)."""
    row = (
        OrganizationAssessmentSettings.objects.filter(organization=organization)
        .select_related("checkin_instrument")
        .first()
    )
    instrument = row.checkin_instrument if row and row.checkin_instrument else None
    if instrument is None or not instrument.is_active:
        instrument = shipped_barc10()
    return CheckinPlan(
        interval_days=row.checkin_interval_days if row else DEFAULT_CHECKIN_INTERVAL_DAYS,
        instrument=instrument,
    )


def checkins_due(
    *, organization: Organization, on: date, participant_ids: Collection[int] | None = None
) -> dict[int, date]:
    """Participant pk -> the day their next check-in was or is due, for those due on or before `on`.

    Due = the last check-in with the organization's check-in instrument (any occasion, intake
    included) + the organization's interval; never checked in with: due since enrolment.
    Active (not discharged) participants only.
    Unaudited building block for the caseload: callers hold the access decision. One query
    (plus the settings): the latest check-in per person is an index seek on
    (participant, instrument, taken_on).
    """
    plan = checkin_plan_for(organization)
    last = (
        Assessment.objects.filter(participant=OuterRef("pk"), instrument=plan.instrument)
        .order_by("-taken_on")
        .values("taken_on")[:1]
    )
    people = Participant.objects.filter(organization=organization, status=ParticipantStatus.ACTIVE)
    if participant_ids is not None:
        people = people.filter(pk__in=list(participant_ids))
    rows = (
        people.annotate(last_checkin=Subquery(last))
        .filter(
            Q(last_checkin__lte=on - timedelta(days=plan.interval_days))
            | Q(last_checkin__isnull=True, enrolled_on__lte=on)
        )
        .values_list("pk", "last_checkin", "enrolled_on")
    )
    interval = timedelta(days=plan.interval_days)
    return {
        pk: (last_day + interval) if last_day is not None else enrolled_on
        for pk, last_day, enrolled_on in rows
    }


def has_checked_in(*, participant: Participant, instrument: Instrument) -> bool:
    """Whether the person has any check-in with the instrument (to suggest intake or routine).

    Unaudited building block: callers hold the access decision.
    """
    return Assessment.objects.filter(participant=participant, instrument=instrument).exists()


# --- instruments -------------------------------------------------------------------------------


def instrument_list(
    *, actor: Actor, organization_id: UUID, perm: str = Perm.PARTICIPANTS_OPEN
) -> list[Instrument]:
    """The instruments the actor's organization may use (not about anyone: not audited)."""
    org = organization_for(
        actor=actor,
        organization_id=organization_id,
        perm=perm,
        action=AuditEvent.Action.LIST,
        record_type=INSTRUMENT,
    )
    return list(instruments_for(org))


def instrument_get(*, actor: Actor, instrument: str) -> Instrument:
    """An instrument the actor's organization may use, by public id or code; else 404."""
    org = actor.organization
    query = Q(code__iexact=instrument)
    with contextlib.suppress(ValueError):
        query |= Q(public_id=UUID(instrument))
    if org is None or not actor.can(Perm.PARTICIPANTS_OPEN):
        found = None
    else:
        if instrument.strip().upper() == barc10.CODE:
            shipped_barc10()
        found = instruments_for(org).filter(query).order_by("-owner_id").first()
    if found is None:
        owner = Instrument.objects.filter(query).select_related("owner").first()
        raise deny(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type=INSTRUMENT,
            record_id=instrument[:64],
            record_organization_id=owner.owner.public_id if owner and owner.owner else None,
        )
    return found


# --- a person's check-ins ----------------------------------------------------------------------


def assessment_list_for_participant(
    *, actor: Actor, participant_id: UUID | str, instrument: Instrument | None = None
) -> list[Assessment]:
    """A person's check-ins, newest first (optionally with one instrument). Audited."""
    participant = participant_in_reach(
        actor=actor,
        participant_id=participant_id,
        action=AuditEvent.Action.LIST,
        record_type=ASSESSMENT,
    )
    return _assessments_of(actor, participant, instrument)


def _assessments_of(
    actor: Actor,
    participant: Participant,
    instrument: Instrument | None,
    *,
    with_taken_by: bool = True,
) -> list[Assessment]:
    """The person's check-ins, newest first (the caller has passed the gate), audited.

    With an instrument, that instrument is the one in hand (not read again with each row);
    `with_taken_by=False` when nobody shows who took them (the person's page)."""
    rows = Assessment.objects.filter(participant=participant)
    if with_taken_by:
        rows = rows.select_related("taken_by")
    if instrument is not None:
        rows = rows.filter(instrument=instrument)
    else:
        rows = rows.select_related("instrument")
    with transaction.atomic():
        found = list(rows)
        for row in found:
            row.participant = participant
            if instrument is not None:
                row.instrument = instrument
        audit_record(
            actor=actor,
            action=AuditEvent.Action.LIST,
            record_type=ASSESSMENT,
            record_label=f"Check-ins of {participant}",
            record_organization_id=participant.organization.public_id,
            subject=participant,
            detail={"count": len(found), "instrument": instrument.code if instrument else ""},
        )
    return found


def assessment_get(
    *, actor: Actor, participant_id: UUID | str, assessment_id: UUID | str
) -> Assessment:
    """One check-in of this person, when the actor may open the person. Audited."""
    participant = participant_in_reach(
        actor=actor,
        participant_id=participant_id,
        action=AuditEvent.Action.VIEW,
        record_type=ASSESSMENT,
    )
    assessment = participant_record_or_deny(
        actor=actor,
        participant=participant,
        rows=Assessment.objects.select_related(
            "instrument", "taken_by", "participant__organization"
        ),
        record_id=assessment_id,
        action=AuditEvent.Action.VIEW,
        record_type=ASSESSMENT,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=assessment,
        record_label=f"{assessment.instrument.code} check-in on {assessment.taken_on:%Y-%m-%d}",
        record_organization_id=participant.organization.public_id,
        subject=participant,
    )
    return assessment


def participant_section(*, actor: Actor, participant: Participant) -> dict[str, Any]:
    """The check-ins section of a person's page: latest score, a small chart, next due date.

    The page has already read (and audited) the participant; this reads their check-ins with
    the organization's check-in instrument and audits that read.
    """
    plan = checkin_plan_for(participant.organization)
    history = _assessments_of(actor, participant, plan.instrument, with_taken_by=False)
    latest = history[0] if history else None
    if latest is not None:
        next_due = latest.taken_on + timedelta(days=plan.interval_days)
    else:
        next_due = participant.enrolled_on
    today = organization_today(participant.organization)
    return {
        "checkin_today": today,
        "checkin_is_due": next_due <= today,
        "checkin_instrument": plan.instrument,
        "checkin_latest": latest,
        "checkin_count": len(history),
        "checkin_next_due": next_due,
        "checkin_interval_days": plan.interval_days,
        "checkin_chart": trend_chart(plan.instrument, history, compact=True) if history else None,
    }
