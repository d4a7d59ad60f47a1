"""Every write about reentry and diversion. Built on rosc.referrals: a reentry or diversion
referral is made by `referral_create` (consent checked, disclosure written), and this app adds
its plan or agreement in the same transaction.

Who may do what:
- a jail or prison's staff who work with people send reentry referrals about their own
  participant; a court's or probation office's send diversion referrals;
- either side records the actual release;
- the recipient (the RCO) ticks the reentry checklist, records contacts, and sends progress
  reports, each under the person's consent to the RCO sharing with the court (a Disclosure).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rosc.accounts.actor import Actor, actor_for_user
from rosc.accounts.models import Organization
from rosc.accounts.roles import Perm
from rosc.accounts.services import PermissionDenied
from rosc.consent.models import Category, Purpose
from rosc.consent.services import disclosure_record
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.directory.models import Service
from rosc.justice.models import (
    ChecklistItem,
    ContactKind,
    DiversionAgreement,
    Pathway,
    ProgressReport,
    ReentryChecklistTick,
    ReentryContact,
    ReentryPlan,
    ReportEvery,
)
from rosc.justice.reports import report_content
from rosc.people.models import LifeDomain, Participant
from rosc.people.services import organization_acting_for
from rosc.referrals.models import Referral, ReferralKind, ReferralStatus, Urgency
from rosc.referrals.notifications import notify
from rosc.referrals.services import referral_create, referral_side
from rosc.referrals.transitions import RECIPIENT

REENTRY_SENDER_KINDS = frozenset({Organization.Kind.JAIL})
DIVERSION_SENDER_KINDS = frozenset({Organization.Kind.COURT, Organization.Kind.PROBATION})
# What a progress report discloses, and why (the consent must cover both, for this purpose).
REPORT_CATEGORIES = (Category.ENGAGEMENT, Category.RECOVERY_PLAN)
REPORT_PURPOSE = Purpose.JUSTICE
# Statuses in which the RCO reports to the court (it has taken the person on).
REPORTING_STATUSES = (
    ReferralStatus.ACCEPTED,
    ReferralStatus.IN_PROGRESS,
    ReferralStatus.ON_HOLD,
)
# Statuses in which the RCO no longer works the reentry plan.
ENDED_STATUSES = (
    ReferralStatus.DRAFT,
    ReferralStatus.REJECTED,
    ReferralStatus.CANCELLED,
    ReferralStatus.ENTERED_IN_ERROR,
)
REFERRAL_PURPOSES = (Purpose.REFERRAL, Purpose.JUSTICE)
MAX_RELEASE_AHEAD_DAYS = 2 * 366


def _zone(org: Organization) -> ZoneInfo:
    return ZoneInfo(org.time_zone or settings.TIME_ZONE)


def _today(org: Organization, now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now(), _zone(org))


def can_send_reentry(actor: Actor) -> bool:
    org = actor.organization
    return (
        org is not None and org.kind in REENTRY_SENDER_KINDS and actor.can(Perm.PARTICIPANTS_OPEN)
    )


def can_send_diversion(actor: Actor) -> bool:
    org = actor.organization
    return (
        org is not None and org.kind in DIVERSION_SENDER_KINDS and actor.can(Perm.PARTICIPANTS_OPEN)
    )


def _audit(
    actor: Actor | None, referral: Referral, record: Any, action: str, **detail: Any
) -> None:
    """An event about a justice record; its subject is the acting side's own record of the
    person (the sender's participant, or the RCO's once it enrolled them)."""
    own_person = referral.participant
    org = actor.organization if actor is not None else None
    if org is not None and referral.recipient_organization_id == org.pk:
        own_person = referral.recipient_participant
    owner = referral.sender_organization or referral.recipient_organization
    audit_record(
        actor=actor,
        action=action,
        record=record,
        record_organization_id=owner.public_id,
        subject=own_person,
        detail=detail or None,
    )


def _merge(errors: dict[str, str], exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, " ".join(messages))
    else:
        errors.setdefault("__all__", " ".join(exc.messages))


def _send(
    *,
    actor: Actor,
    participant: Participant,
    kind: str,
    own_errors: dict[str, str],
    recipient_organization: Organization | None,
    need: str,
    recipient_service: Service | None,
    urgency: str,
    note_for_recipient: str,
    categories: list[str] | None,
    purpose: str,
) -> Referral:
    """referral_create, with this app's field errors reported together with its own."""
    errors = dict(own_errors)
    if purpose not in REFERRAL_PURPOSES:
        errors["purpose"] = "Choose why the information is shared: a referral, or justice."
    referral: Referral | None = None
    if "purpose" not in errors:
        try:
            referral = referral_create(
                actor=actor,
                participant=participant,
                recipient_organization=recipient_organization,
                need=need,
                recipient_service=recipient_service,
                urgency=urgency,
                note_for_recipient=note_for_recipient,
                categories=categories,
                purpose=purpose,
                kind=kind,
            )
        except ValidationError as exc:
            _merge(errors, exc)
    if errors or referral is None:
        # Raising undoes the referral (and its disclosure) if it had been made.
        raise ValidationError(errors)
    return referral


# --- reentry ---------------------------------------------------------------------------------


@transaction.atomic
def reentry_referral_create(
    *,
    actor: Actor,
    participant: Participant,
    recipient_organization: Organization | None,
    facility_name: str,
    expected_release_on: date | None,
    need: str = LifeDomain.RECOVERY_WELLNESS,
    recipient_service: Service | None = None,
    urgency: str = Urgency.SOON,
    note_for_recipient: str = "",
    categories: list[str] | None = None,
    purpose: str = Purpose.REFERRAL,
) -> ReentryPlan:
    """A jail or prison refers one of its participants before release: the referral (through
    referral_create, so under consent) and its reentry plan, in one transaction."""
    org = organization_acting_for(actor, participant)
    if org.kind not in REENTRY_SENDER_KINDS:
        raise PermissionDenied
    facility_name = (facility_name or "").strip()
    errors: dict[str, str] = {}
    if not facility_name:
        errors["facility_name"] = "Name the jail or prison the person is leaving."
    elif len(facility_name) > 200:
        errors["facility_name"] = "Please keep the name under 200 characters."
    today = _today(org)
    if expected_release_on is None:
        errors["expected_release_on"] = "Give the expected release date."
    elif expected_release_on < today:
        errors["expected_release_on"] = (
            "The expected release date has passed; give the date the person is now expected "
            "to be released."
        )
    elif expected_release_on > today + timedelta(days=MAX_RELEASE_AHEAD_DAYS):
        errors["expected_release_on"] = "Reentry referrals are sent within two years of release."
    referral = _send(
        actor=actor,
        participant=participant,
        kind=ReferralKind.REENTRY,
        own_errors=errors,
        recipient_organization=recipient_organization,
        need=need,
        recipient_service=recipient_service,
        urgency=urgency,
        note_for_recipient=note_for_recipient,
        categories=categories,
        purpose=purpose,
    )
    assert expected_release_on is not None
    plan = ReentryPlan.objects.create(
        referral=referral, facility_name=facility_name, expected_release_on=expected_release_on
    )
    _audit(
        actor,
        referral,
        plan,
        AuditEvent.Action.CREATE,
        expected_release_on=expected_release_on.isoformat(),
    )
    return plan


def _plan_for(actor: Actor, plan: ReentryPlan, *, recipient_only: bool) -> tuple[ReentryPlan, str]:
    referral = plan.referral
    side = referral_side(actor, referral)
    if side is None or (recipient_only and side != RECIPIENT):
        raise PermissionDenied
    locked = (
        ReentryPlan.objects.select_for_update(of=("self",))
        .select_related(
            "referral",
            "referral__sender_organization",
            "referral__recipient_organization",
            "referral__participant",
            "referral__recipient_participant",
        )
        .get(pk=plan.pk)
    )
    if locked.referral.status in ENDED_STATUSES:
        raise ValidationError(
            f"This referral is “{locked.referral.get_status_display()}”: nothing more is "
            "recorded on it."
        )
    return locked, side


@transaction.atomic
def reentry_release_record(
    *, actor: Actor, plan: ReentryPlan, released_on: date | None, released_time: time | None = None
) -> ReentryPlan:
    """Either side records (or corrects) the actual release: a day, and a time if known."""
    plan, side = _plan_for(actor, plan, recipient_only=False)
    zone = _zone(plan.referral.recipient_organization)
    now = timezone.now()
    if released_on is None:
        raise ValidationError({"released_on": "Give the day the person was released."})
    moment = datetime.combine(released_on, released_time or time.min, tzinfo=zone)
    if moment > now:
        field = "released_time" if released_on == timezone.localdate(now, zone) else "released_on"
        raise ValidationError({field: "The release cannot be recorded ahead of time."})
    sent = plan.referral.sent_at
    if sent is not None and released_on < timezone.localdate(sent, zone) - timedelta(days=366):
        raise ValidationError({"released_on": "That is over a year before the referral was sent."})
    before = [plan.released_on, plan.released_time]
    plan.released_on = released_on
    plan.released_time = released_time
    plan.release_recorded_at = now
    plan.release_recorded_by = actor.user
    plan.release_recorded_by_organization = actor.organization
    plan.save()
    _audit(
        actor,
        plan.referral,
        plan,
        AuditEvent.Action.UPDATE,
        released=[
            " ".join(str(v) for v in before if v is not None),
            f"{released_on}" + (f" {released_time}" if released_time else ""),
        ],
        side=side,
    )
    other = (
        plan.referral.sender_organization
        if side == RECIPIENT
        else plan.referral.recipient_organization
    )
    named = plan.referral.sender_user if side == RECIPIENT else plan.referral.assigned_to
    notify(
        referral=plan.referral,
        organization=other,
        named=named,
        message=f"Reentry referral from {plan.facility_name}: release recorded ({released_on}).",
    )
    return plan


@transaction.atomic
def reentry_checklist_tick(
    *,
    actor: Actor,
    plan: ReentryPlan,
    item: str,
    done: bool = True,
    done_on: date | None = None,
    note: str = "",
) -> ReentryChecklistTick | None:
    """The RCO ticks (or unticks) one item of the reentry checklist, with date, who and note."""
    plan, _side = _plan_for(actor, plan, recipient_only=True)
    if item not in ChecklistItem.values:
        raise ValidationError({"item": "Choose an item of the checklist."})
    note = (note or "").strip()
    existing = ReentryChecklistTick.objects.filter(plan=plan, item=item).first()
    if not done:
        if existing is not None:
            existing.delete()
            _audit(actor, plan.referral, plan, AuditEvent.Action.UPDATE, unticked=item)
        return None
    today = _today(plan.referral.recipient_organization)
    done_on = done_on or today
    errors: dict[str, str] = {}
    if done_on > today:
        errors["done_on"] = "The date cannot be in the future."
    if len(note) > 500:
        errors["note"] = "Please keep the note under 500 characters."
    if errors:
        raise ValidationError(errors)
    tick = existing or ReentryChecklistTick(plan=plan, item=item)
    tick.done_on = done_on
    tick.done_by = actor.user
    tick.note = note
    tick.save()
    _audit(actor, plan.referral, tick, AuditEvent.Action.UPDATE, ticked=item)
    return tick


@transaction.atomic
def reentry_contact_record(
    *,
    actor: Actor,
    plan: ReentryPlan,
    occurred_at: datetime | None,
    kind: str,
    note: str = "",
) -> ReentryContact:
    """The RCO records a contact with the person, before or after release."""
    plan, _side = _plan_for(actor, plan, recipient_only=True)
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if occurred_at is None:
        errors["occurred_at"] = "Say when the contact happened."
    elif occurred_at > timezone.now():
        errors["occurred_at"] = "A contact cannot be recorded ahead of time."
    if kind not in ContactKind.values:
        errors["kind"] = "Choose what kind of contact it was."
    if len(note) > 1000:
        errors["note"] = "Please keep the note under 1000 characters."
    if errors:
        raise ValidationError(errors)
    assert occurred_at is not None
    contact = ReentryContact.objects.create(
        plan=plan, occurred_at=occurred_at, kind=kind, note=note, recorded_by=actor.user
    )
    _audit(actor, plan.referral, contact, AuditEvent.Action.CREATE, kind=kind)
    return contact


# --- diversion -------------------------------------------------------------------------------


@transaction.atomic
def diversion_referral_create(
    *,
    actor: Actor,
    participant: Participant,
    recipient_organization: Organization | None,
    pathway: str,
    report_every_days: int | None,
    need: str = LifeDomain.RECOVERY_WELLNESS,
    recipient_service: Service | None = None,
    urgency: str = Urgency.ROUTINE,
    note_for_recipient: str = "",
    categories: list[str] | None = None,
    purpose: str = Purpose.JUSTICE,
) -> DiversionAgreement:
    """A court or probation office refers one of its participants to a diversion or
    recovery-court pathway: the referral (under consent) and the reporting agreement."""
    org = organization_acting_for(actor, participant)
    if org.kind not in DIVERSION_SENDER_KINDS:
        raise PermissionDenied
    errors: dict[str, str] = {}
    if pathway not in Pathway.values:
        errors["pathway"] = "Choose the pathway the person is referred to."
    if report_every_days not in ReportEvery.values:
        errors["report_every_days"] = "Choose how often progress reports are sent."
    referral = _send(
        actor=actor,
        participant=participant,
        kind=ReferralKind.DIVERSION,
        own_errors=errors,
        recipient_organization=recipient_organization,
        need=need,
        recipient_service=recipient_service,
        urgency=urgency,
        note_for_recipient=note_for_recipient,
        categories=categories,
        purpose=purpose,
    )
    assert report_every_days is not None and referral.sent_at is not None
    sent_on = timezone.localdate(referral.sent_at, _zone(referral.recipient_organization))
    agreement = DiversionAgreement.objects.create(
        referral=referral,
        pathway=pathway,
        report_every_days=report_every_days,
        next_report_due=sent_on + timedelta(days=report_every_days),
    )
    _audit(actor, referral, agreement, AuditEvent.Action.CREATE, pathway=pathway)
    return agreement


def _period_start(referral: Referral, zone: ZoneInfo) -> date:
    last = (
        ProgressReport.objects.filter(referral=referral)
        .order_by("-period_end")
        .values_list("period_end", flat=True)
        .first()
    )
    if last is not None:
        return last + timedelta(days=1)
    assert referral.sent_at is not None
    return timezone.localdate(referral.sent_at, zone)


@transaction.atomic
def progress_report_create(
    *,
    actor: Actor,
    referral: Referral,
    period_end: date | None = None,
    trigger: str = ProgressReport.Trigger.STAFF,
) -> ProgressReport:
    """The RCO reports to the court on a diversion referral: counts since the last report.

    Refused unless the person's consent to the RCO sharing engagement and recovery-plan
    information with the court, for justice, is in force (the consent service's message).
    """
    if referral_side(actor, referral) != RECIPIENT:
        raise PermissionDenied
    agreement = (
        DiversionAgreement.objects.select_for_update(of=("self",))
        .select_related(
            "referral",
            "referral__sender_organization",
            "referral__recipient_organization",
            "referral__recipient_participant",
        )
        .filter(referral=referral)
        .first()
    )
    if agreement is None:
        raise ValidationError("Progress reports are sent on diversion referrals only.")
    referral = agreement.referral
    court = referral.sender_organization
    person = referral.recipient_participant
    if court is None:
        raise ValidationError("This referral has no court to report to.")
    if referral.status not in REPORTING_STATUSES:
        raise ValidationError(
            f"This referral is “{referral.get_status_display()}”: reports are sent while the "
            "person is taken on (accepted, in progress or on hold)."
        )
    if person is None:
        raise ValidationError(
            "Enrol the person from the referral first: reports count the contacts your "
            "organization records with them."
        )
    zone = _zone(referral.recipient_organization)
    now = timezone.now()
    today = timezone.localdate(now, zone)
    end = period_end or today
    start = _period_start(referral, zone)
    if end > today:
        raise ValidationError({"period_end": "A report cannot cover days still to come."})
    if end < start:
        raise ValidationError(
            f"The court already has a report up to {end:%Y-%m-%d}; the next one can cover "
            f"{start:%Y-%m-%d} onwards."
        )
    disclosures = disclosure_record(
        actor=actor,
        participant=person,
        recipient=court,
        purpose=REPORT_PURPOSE,
        categories=list(REPORT_CATEGORIES),
        at=now,
    )
    content = report_content(participant=person, start=start, end=end, zone=zone)
    content["referral_status"] = referral.get_status_display()
    content["pathway"] = agreement.get_pathway_display()
    report = ProgressReport.objects.create(
        referral=referral,
        period_start=start,
        period_end=end,
        content=content,
        disclosure=disclosures[0],
        trigger=trigger,
        created_at=now,
        created_by=actor.user,
    )
    agreement.next_report_due = end + timedelta(days=agreement.report_every_days)
    agreement.save(update_fields=["next_report_due"])
    _audit(
        actor,
        referral,
        report,
        AuditEvent.Action.CREATE,
        period=[start.isoformat(), end.isoformat()],
        trigger=trigger,
    )
    notify(
        referral=referral,
        organization=court,
        named=referral.sender_user,
        message=(
            f"A progress report from {referral.recipient_organization.name} "
            f"({start:%Y-%m-%d} to {end:%Y-%m-%d})."
        ),
    )
    return report


def progress_reports_due(
    at: datetime, organization: Organization | None = None
) -> list[DiversionAgreement]:
    """Diversion agreements whose next report is due on or before `at`'s day (in the RCO's
    time zone), on referrals the RCO has taken on; optionally for one RCO only."""
    rows = DiversionAgreement.objects.filter(
        referral__status__in=REPORTING_STATUSES,
        # Every time zone's day is within a day of UTC's; checked exactly below.
        next_report_due__lte=at.date() + timedelta(days=1),
    ).select_related("referral", "referral__recipient_organization", "referral__assigned_to")
    if organization is not None:
        rows = rows.filter(referral__recipient_organization=organization)
    return [
        a
        for a in rows.order_by("next_report_due", "id")
        if a.next_report_due <= timezone.localdate(at, _zone(a.referral.recipient_organization))
    ]


@dataclass
class ReportRun:
    sent: list[ProgressReport] = field(default_factory=list)
    not_sent: list[tuple[DiversionAgreement, str]] = field(default_factory=list)


MAX_CATCH_UP = 26


def progress_reports_generate(
    *, at: datetime | None = None, organization: Organization | None = None
) -> ReportRun:
    """Send every due report (each in its own transaction), on behalf of the RCO staff member
    the referral is assigned to. A report that cannot go (no consent, nobody assigned) stays
    due and is said why; the next run tries again. A referral several periods behind gets one
    report per period, each ending on its due date."""
    at = at or timezone.now()
    run = ReportRun()
    for agreement in progress_reports_due(at, organization):
        referral = agreement.referral
        user = referral.assigned_to
        actor = actor_for_user(user, referral.recipient_organization) if user is not None else None
        if actor is None or actor.membership is None or not actor.can(Perm.PARTICIPANTS_OPEN):
            run.not_sent.append(
                (agreement, "Nobody at the organization has taken this referral on.")
            )
            continue
        today = timezone.localdate(at, _zone(referral.recipient_organization))
        for _ in range(MAX_CATCH_UP):
            due = agreement.next_report_due
            if due > today:
                break
            try:
                report = progress_report_create(
                    actor=actor,
                    referral=referral,
                    period_end=due,
                    trigger=ProgressReport.Trigger.SCHEDULED,
                )
            except (ValidationError, PermissionDenied) as exc:
                reason = (
                    " ".join(exc.messages)
                    if isinstance(exc, ValidationError)
                    else "The assigned staff member can no longer act for the organization."
                )
                run.not_sent.append((agreement, reason))
                break
            run.sent.append(report)
            agreement.refresh_from_db()
    return run
