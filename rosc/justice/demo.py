"""Demo reentry and diversion: the Tri-County jail and recovery court refer people to Northside.

`build_demo_justice(seed)` runs after the demo network and participants exist. Through the real
services (so consents, disclosures and audit events are as real work makes them):
- the jail's reentry coordinator refers two people to Northside Peer Recovery Collective: one
  met at the gate the day after an in-reach visit (checklist mostly done), one released four
  days ago and not met yet (flagged);
- the recovery court's coordinator refers one person to a recovery-court pathway; Northside
  accepts, enrols them, records their consent to report to the court (irrevocable for six
  months, 42 CFR §2.35), logs a month of contacts and a plan, and has sent two progress reports.
Dates are relative to today; names come from small fixed lists, picked by the seed.
"""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from rosc.accounts.actor import Actor, actor_for_user
from rosc.accounts.models import Membership, Organization
from rosc.accounts.roles import Role
from rosc.consent.models import Category, Disclosure, Purpose
from rosc.consent.services import consent_record
from rosc.encounters.services import encounter_log
from rosc.justice.models import (
    ChecklistItem,
    ContactKind,
    DiversionAgreement,
    Pathway,
    ProgressReport,
    ReentryPlan,
    ReportEvery,
)
from rosc.justice.services import (
    diversion_referral_create,
    progress_report_create,
    reentry_checklist_tick,
    reentry_contact_record,
    reentry_referral_create,
    reentry_release_record,
)
from rosc.people.demo import demo_participant_pks
from rosc.people.models import Participant
from rosc.people.services import participant_enrol
from rosc.plans.services import GoalData, StepData, plan_save
from rosc.referrals.models import Referral, ReferralKind
from rosc.referrals.services import referral_enrol_person, referral_transition

FIRST = ("Marcus", "Tanya", "Luis", "Keisha", "Owen", "Rosa", "Darnell", "Mei")
LAST = ("Whitfield", "Moreno", "Brennan", "Okoye", "Lindqvist", "Castillo", "Hayes", "Tran")


def _staff(org: Organization, role: str) -> Actor:
    member = (
        Membership.objects.filter(organization=org, role=role, is_active=True, user__is_demo=True)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    assert member is not None, f"the demo has no {role} at {org.name}"
    return actor_for_user(member.user, org)


def _org(kind: str, name_start: str) -> Organization | None:
    return (
        Organization.objects.filter(kind=kind, name__startswith=name_start).order_by("name").first()
    )


def _consent(actor: Actor, person: Participant, recipient: Organization, **terms: object) -> None:
    consent_record(
        actor=actor,
        participant=person,
        recipient_organization=recipient,
        signature_name=person.legal_name,
        signature_confirmed=True,
        signature_method="in_person",
        right_to_revoke_acknowledged=True,
        expires_on=timezone.localdate() + timedelta(days=365),
        **terms,  # type: ignore[arg-type]
    )


def _backdate(referral: Referral, days: int) -> None:
    """Invented history: the referral was sent `days` ago."""
    then = timezone.now() - timedelta(days=days)
    Referral.objects.filter(pk=referral.pk).update(sent_at=then, status_changed_at=then)
    referral.refresh_from_db()


def build_demo_justice(seed: int) -> None:
    jail_org = _org(Organization.Kind.JAIL, "Tri-County Jail")
    court_org = _org(Organization.Kind.COURT, "Tri-County Recovery Court")
    rco_org = _org(Organization.Kind.RCO, "Northside")
    if jail_org is None or court_org is None or rco_org is None:
        return
    rng = random.Random(seed * 7919 + 5)
    names = [(rng.choice(FIRST), rng.choice(LAST)) for _ in range(3)]
    jail = _staff(jail_org, Role.LEGAL_PARTNER)
    court = _staff(court_org, Role.LEGAL_PARTNER)
    peer = _staff(rco_org, Role.PEER_SPECIALIST)
    zone = ZoneInfo(rco_org.time_zone)
    today = timezone.localdate(timezone.now(), zone)

    def at(days_ago: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(today - timedelta(days=days_ago), time(hour, minute), tzinfo=zone)

    # Reentry 1: in-reach visit before release, met at the gate, checklist mostly done.
    first, last = names[0]
    person = participant_enrol(actor=jail, legal_first_name=first, legal_last_name=last)
    _consent(
        jail,
        person,
        rco_org,
        purpose=Purpose.REFERRAL,
        categories=[Category.IDENTITY_CONTACT, Category.REFERRAL_DETAILS],
    )
    plan = reentry_referral_create(
        actor=jail,
        participant=person,
        recipient_organization=rco_org,
        facility_name="Tri-County Jail",
        expected_release_on=today,
        note_for_recipient="Wants help with housing and getting his ID back.",
    )
    _backdate(plan.referral, 9)
    referral_transition(actor=peer, referral=plan.referral, to_status="accepted")
    plan.refresh_from_db()
    reentry_contact_record(
        actor=peer,
        plan=plan,
        occurred_at=at(6, 14),
        kind=ContactKind.IN_REACH,
        note="Met in the visiting room; talked about the first week out.",
    )
    reentry_release_record(
        actor=jail, plan=plan, released_on=today - timedelta(days=2), released_time=time(9, 30)
    )
    reentry_contact_record(
        actor=peer,
        plan=plan,
        occurred_at=at(2, 9, 45),
        kind=ContactKind.AT_THE_GATE,
        note="Drove him to the shelter intake and the pharmacy.",
    )
    reentry_contact_record(actor=peer, plan=plan, occurred_at=at(1, 16), kind=ContactKind.PHONE)
    for item in (ChecklistItem.ID, ChecklistItem.TRANSPORT, ChecklistItem.NALOXONE):
        reentry_checklist_tick(actor=peer, plan=plan, item=item, done_on=today - timedelta(days=2))

    # Reentry 2: released four days ago, nobody has met them yet (flagged).
    first, last = names[1]
    person = participant_enrol(actor=jail, legal_first_name=first, legal_last_name=last)
    _consent(
        jail,
        person,
        rco_org,
        purpose=Purpose.JUSTICE,
        categories=[Category.IDENTITY_CONTACT, Category.REFERRAL_DETAILS],
    )
    missed = reentry_referral_create(
        actor=jail,
        participant=person,
        recipient_organization=rco_org,
        facility_name="Tri-County Jail",
        expected_release_on=today,
        purpose=Purpose.JUSTICE,
    )
    _backdate(missed.referral, 12)
    reentry_release_record(actor=jail, plan=missed, released_on=today - timedelta(days=4))

    # Diversion: recovery court, reports every 14 days, two reports sent.
    first, last = names[2]
    person = participant_enrol(actor=court, legal_first_name=first, legal_last_name=last)
    _consent(
        court,
        person,
        rco_org,
        purpose=Purpose.JUSTICE,
        categories=[Category.IDENTITY_CONTACT, Category.REFERRAL_DETAILS],
    )
    agreement = diversion_referral_create(
        actor=court,
        participant=person,
        recipient_organization=rco_org,
        pathway=Pathway.RECOVERY_COURT,
        report_every_days=ReportEvery.TWO_WEEKS,
    )
    _backdate(agreement.referral, 30)
    referral = referral_transition(actor=peer, referral=agreement.referral, to_status="accepted")
    referral = referral_transition(actor=peer, referral=referral, to_status="in-progress")
    theirs = referral_enrol_person(actor=peer, referral=referral, confirmed_not_duplicate=True)
    _consent(
        peer,
        theirs,
        court_org,
        purpose=Purpose.JUSTICE,
        categories=[Category.ENGAGEMENT, Category.RECOVERY_PLAN],
        irrevocable_until=today + timedelta(days=180),
    )
    for days_ago in range(28, 1, -3):
        kind = ("one_to_one", "group", "phone")[days_ago % 3]
        encounter_log(
            actor=peer,
            participant=theirs,
            kind=kind,
            duration_minutes=90 if kind == "group" else 30,
            place="rco" if kind != "phone" else "remote",
            occurred_at=at(days_ago, 11),
            note="Talked through the week and the next court date." if kind != "group" else "",
        )
    plan_save(
        actor=peer,
        participant=theirs,
        base_version=None,
        meaning="Showing up for my kids and for myself.",
        strengths="I keep my word. My aunt checks on me.",
        goals=[
            GoalData(
                domain="recovery_wellness",
                text="Go to the Tuesday group every week",
                status="done",
                steps=[StepData(text="Ask Tony for a ride on Tuesdays", status="done")],
            ),
            GoalData(domain="employment_education", text="Finish my GED", status="in_progress"),
        ],
    )
    DiversionAgreement.objects.filter(pk=agreement.pk).update(
        next_report_due=today - timedelta(days=16)
    )
    progress_report_create(
        actor=peer,
        referral=referral,
        period_end=today - timedelta(days=16),
        trigger=ProgressReport.Trigger.SCHEDULED,
    )
    progress_report_create(
        actor=peer,
        referral=referral,
        period_end=today - timedelta(days=2),
        trigger=ProgressReport.Trigger.SCHEDULED,
    )


def _delete_disclosures(participant_pks: list[int]) -> None:
    """Disclosures are append-only (the database refuses DELETE on PostgreSQL); demo data is
    invented, so its clear-out lifts the trigger for this one statement, in its transaction."""
    rows = Disclosure.objects.filter(participant_id__in=participant_pks)
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            # Foreign keys are checked at commit (deferred); ALTER TABLE refuses while such
            # checks are pending, so run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE consent_disclosure DISABLE TRIGGER consent_disclosure_no_change"
            )
        rows._raw_delete(rows.db)
        if postgres:
            cursor.execute(
                "ALTER TABLE consent_disclosure ENABLE TRIGGER consent_disclosure_no_change"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@transaction.atomic
def clear_demo_justice() -> None:
    """Remove the demo's reentry and diversion referrals (their plans, contacts, checklists,
    agreements and reports go with them) and the disclosures made about demo participants."""
    pks = demo_participant_pks()
    referrals = Referral.objects.filter(
        kind__in=[ReferralKind.REENTRY, ReferralKind.DIVERSION], participant_id__in=pks
    )
    reports = ProgressReport.objects.filter(referral__in=referrals)
    reports._raw_delete(reports.db)
    ReentryPlan.objects.filter(referral__in=referrals).delete()
    DiversionAgreement.objects.filter(referral__in=referrals).delete()
    referrals.delete()
    _delete_disclosures(pks)
