"""Reads of reentry plans, diversion agreements and progress reports, through the referral gate.

Only the two sides of a referral see it (`rosc.referrals.selectors.referral_in_reach`); anyone
else, and anything of the wrong kind, gets the denied event and the 404. The sending side (jail,
court) sees only what it may know: for reentry, whether and when contact happened, never the
RCO's notes or checklist; for diversion, the progress reports disclosed to it.
"""

from dataclasses import dataclass
from uuid import UUID

from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.selectors import deny
from rosc.core.audit import audit_record
from rosc.core.ids import uuid_or_none
from rosc.core.models import AuditEvent
from rosc.justice.models import (
    DiversionAgreement,
    ProgressReport,
    ReentryChecklistTick,
    ReentryContact,
    ReentryPlan,
)
from rosc.justice.reentry import MetStatus, met_status, release_moment
from rosc.people.models import Participant
from rosc.people.selectors import participant_organization
from rosc.referrals.models import Referral, ReferralKind
from rosc.referrals.selectors import referral_in_reach
from rosc.referrals.services import referral_side
from rosc.referrals.transitions import RECIPIENT, SENDER

REENTRY_RECORD = "justice.reentryplan"
DIVERSION_RECORD = "justice.diversionagreement"
REPORT_RECORD = "justice.progressreport"


def _subject(referral: Referral, side: str) -> Participant | None:
    return referral.recipient_participant if side == RECIPIENT else referral.participant


def _audit_view(
    actor: Actor, referral: Referral, side: str, record: object, **detail: object
) -> None:
    owner = referral.sender_organization or referral.recipient_organization
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=record,  # type: ignore[arg-type]
        record_organization_id=owner.public_id,
        subject=_subject(referral, side),
        detail={"side": side, **detail},
    )


def _of_kind(
    actor: Actor, referral_id: UUID | str, kind: str, record_type: str
) -> tuple[Referral, str]:
    referral, side = referral_in_reach(actor=actor, referral_id=referral_id)
    if referral.kind != kind:
        raise deny(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type=record_type,
            record_id=str(referral_id)[:64],
        )
    return referral, side


# --- reentry ---------------------------------------------------------------------------------


@dataclass
class ReentryView:
    plan: ReentryPlan
    side: str
    status: MetStatus
    pre_release_contacts: int
    post_release_contacts: int
    # The recipient's working record; empty for the sender.
    contacts: list[ReentryContact]
    ticks: dict[str, ReentryChecklistTick]


def _reentry_view(plan: ReentryPlan, side: str, *, detailed: bool) -> ReentryView:
    now = timezone.now()
    status = met_status(plan, now=now)
    released_at = release_moment(plan)
    contacts = list(ReentryContact.objects.filter(plan=plan).select_related("recorded_by"))
    after = [c for c in contacts if released_at is not None and c.occurred_at >= released_at]
    return ReentryView(
        plan=plan,
        side=side,
        status=status,
        pre_release_contacts=len(contacts) - len(after),
        post_release_contacts=len(after),
        contacts=contacts if detailed and side == RECIPIENT else [],
        ticks=(
            {
                t.item: t
                for t in ReentryChecklistTick.objects.filter(plan=plan).select_related("done_by")
            }
            if detailed and side == RECIPIENT
            else {}
        ),
    )


def reentry_in_reach(*, actor: Actor, referral_id: UUID | str) -> tuple[ReentryPlan, str]:
    """The reentry plan of a referral the actor's organization is a side of (no event)."""
    referral, side = _of_kind(actor, referral_id, ReferralKind.REENTRY, REENTRY_RECORD)
    plan = ReentryPlan.objects.filter(referral=referral).first()
    if plan is None:
        raise deny(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type=REENTRY_RECORD,
            record_id=str(referral_id)[:64],
        )
    plan.referral = referral
    return plan, side


def reentry_get(*, actor: Actor, referral_id: UUID | str) -> ReentryView:
    """One reentry referral's plan (audited): the RCO's full working view, or the sender's
    view of the facts it may know."""
    plan, side = reentry_in_reach(actor=actor, referral_id=referral_id)
    _audit_view(actor, plan.referral, side, plan)
    return _reentry_view(plan, side, detailed=True)


def reentry_list(
    *, actor: Actor, flagged_only: bool = False
) -> tuple[list[ReentryView], list[ReentryView]]:
    """(received, sent): the active organization's reentry referrals on each side, newest
    first, each with its 72-hour status; `flagged_only` keeps those not met within 72 hours.
    One LIST event."""
    org = participant_organization(
        actor=actor, action=AuditEvent.Action.LIST, record_type=REENTRY_RECORD
    )
    plans = (
        ReentryPlan.objects.filter(referral__kind=ReferralKind.REENTRY)
        .exclude(referral__status="draft", referral__recipient_organization=org)
        .select_related(
            "referral",
            "referral__sender_organization",
            "referral__recipient_organization",
            "referral__participant",
            "referral__recipient_participant",
        )
        .order_by("-referral__sent_at", "-id")
    )
    received = [
        _reentry_view(p, RECIPIENT, detailed=False)
        for p in plans.filter(referral__recipient_organization=org)[:500]
    ]
    sent = [
        _reentry_view(p, SENDER, detailed=False)
        for p in plans.filter(referral__sender_organization=org)[:500]
    ]
    if flagged_only:
        received = [r for r in received if r.status.flagged]
        sent = [r for r in sent if r.status.flagged]
    audit_record(
        actor=actor,
        action=AuditEvent.Action.LIST,
        record_type=REENTRY_RECORD,
        record_organization_id=org.public_id,
        detail={"received": len(received), "sent": len(sent), "flagged_only": flagged_only},
    )
    return received, sent


# --- diversion -------------------------------------------------------------------------------


@dataclass
class DiversionView:
    agreement: DiversionAgreement
    side: str
    reports: list[ProgressReport]


def diversion_in_reach(*, actor: Actor, referral_id: UUID | str) -> tuple[DiversionAgreement, str]:
    referral, side = _of_kind(actor, referral_id, ReferralKind.DIVERSION, DIVERSION_RECORD)
    agreement = DiversionAgreement.objects.filter(referral=referral).first()
    if agreement is None:
        raise deny(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type=DIVERSION_RECORD,
            record_id=str(referral_id)[:64],
        )
    agreement.referral = referral
    return agreement, side


def _reports(referral: Referral) -> list[ProgressReport]:
    return list(
        ProgressReport.objects.filter(referral=referral)
        .select_related("created_by")
        .order_by("-period_end", "-id")
    )


def diversion_get(*, actor: Actor, referral_id: UUID | str) -> DiversionView:
    """A diversion referral's agreement and its progress reports, newest first (audited)."""
    agreement, side = diversion_in_reach(actor=actor, referral_id=referral_id)
    _audit_view(actor, agreement.referral, side, agreement)
    return DiversionView(agreement, side, _reports(agreement.referral))


def diversion_list(*, actor: Actor) -> tuple[list[DiversionView], list[DiversionView]]:
    """(sent, received): the active organization's diversion referrals on each side. One LIST
    event. The court sees its referrals' status and reports; the RCO the ones it reports on."""
    org = participant_organization(
        actor=actor, action=AuditEvent.Action.LIST, record_type=DIVERSION_RECORD
    )
    rows = (
        DiversionAgreement.objects.filter(referral__kind=ReferralKind.DIVERSION)
        .select_related(
            "referral",
            "referral__sender_organization",
            "referral__recipient_organization",
            "referral__participant",
            "referral__recipient_participant",
        )
        .order_by("-referral__sent_at", "-id")
    )
    sent = [
        DiversionView(a, SENDER, _reports(a.referral))
        for a in rows.filter(referral__sender_organization=org)[:500]
    ]
    received = [
        DiversionView(a, RECIPIENT, _reports(a.referral))
        for a in rows.filter(referral__recipient_organization=org).exclude(
            referral__status="draft"
        )[:500]
    ]
    audit_record(
        actor=actor,
        action=AuditEvent.Action.LIST,
        record_type=DIVERSION_RECORD,
        record_organization_id=org.public_id,
        detail={"sent": len(sent), "received": len(received)},
    )
    return sent, received


def progress_report_get(*, actor: Actor, report_id: UUID | str) -> tuple[ProgressReport, str]:
    """One progress report, for the court it went to or the RCO that sent it (audited)."""
    key = uuid_or_none(report_id)
    report = (
        ProgressReport.objects.select_related(
            "referral",
            "referral__sender_organization",
            "referral__recipient_organization",
            "referral__participant",
            "referral__recipient_participant",
            "disclosure",
            "created_by",
        )
        .filter(public_id=key)
        .first()
        if key
        else None
    )
    side = referral_side(actor, report.referral) if report is not None else None
    if report is None or side is None:
        raise deny(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type=REPORT_RECORD,
            record_id=str(report_id)[:64],
        )
    _audit_view(actor, report.referral, side, report)
    return report, side
