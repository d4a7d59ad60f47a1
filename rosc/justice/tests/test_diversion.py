"""Diversion: progress reports to the court are counts only, and only under consent."""

import io
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from rosc.assessments.models import Occasion
from rosc.assessments.selectors import shipped_barc10
from rosc.assessments.services import assessment_record
from rosc.consent.models import Consent, Disclosure, Purpose
from rosc.consent.services import consent_revoke
from rosc.core.models import AuditEvent
from rosc.encounters.services import encounter_log
from rosc.justice.models import DiversionAgreement, ProgressReport
from rosc.justice.services import (
    diversion_referral_create,
    progress_report_create,
    progress_reports_due,
    progress_reports_generate,
)
from rosc.justice.tasks import progress_reports_run
from rosc.justice.tests.factories import REPORT_CATEGORIES, consent_to, diversion_referral
from rosc.people.services import participant_enrol
from rosc.plans.services import GoalData, StepData, plan_save

pytestmark = pytest.mark.django_db

NOTE = "Spoke about the custody hearing and a hard week at home"
GOAL_WORDS = "Move into my own apartment near my daughter"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def court(actor_of):
    return actor_of("court_partner")


@pytest.fixture
def rco(actor_of):
    return actor_of("rco_a_peer")


def _log(rco, person, kind, note=""):
    return encounter_log(
        actor=rco,
        participant=person,
        kind=kind,
        duration_minutes=60 if kind == "group" else 20,
        place="rco" if kind == "group" else "remote",
        note=note,
    )


def test_a_court_sends_a_diversion_referral_with_its_reporting_agreement(world, court, rco):
    agreement = diversion_referral(court, rco)
    referral = agreement.referral
    assert referral.kind == "diversion"
    assert referral.sender_organization == world.org_of("court_partner")
    assert referral.purpose == Purpose.JUSTICE
    assert agreement.next_report_due == timezone.localdate() + timedelta(days=14)


def test_a_diversion_referral_needs_a_pathway_and_a_report_frequency(world, court):
    person = participant_enrol(actor=court, legal_first_name="Robin", legal_last_name="Okafor")
    consent_to(court, person, world.org_of("rco_a_peer"))
    with pytest.raises(ValidationError) as refused:
        diversion_referral_create(
            actor=court,
            participant=person,
            recipient_organization=world.org_of("rco_a_peer"),
            pathway="",
            report_every_days=7,
        )
    assert {"pathway", "report_every_days"} <= set(refused.value.message_dict)
    assert not DiversionAgreement.objects.exists()


def test_a_report_contains_counts_only_and_no_note_text_even_when_notes_exist(
    world, court, rco, as_persona
):
    agreement = diversion_referral(court, rco)
    person = agreement.referral.recipient_participant
    assert person is not None
    _log(rco, person, "one_to_one", NOTE)
    _log(rco, person, "phone", NOTE)
    _log(rco, person, "group")
    _log(rco, person, "group")
    assessment_record(
        actor=rco,
        participant=person,
        instrument=shipped_barc10(),
        taken_on=timezone.localdate(),
        occasion=Occasion.INTAKE,
        answers={str(i): 5 for i in range(1, 11)},
    )
    plan_save(
        actor=rco,
        participant=person,
        base_version=None,
        meaning="Being there for my daughter",
        strengths="Stubborn in a good way",
        goals=[
            GoalData(
                domain="housing",
                text=GOAL_WORDS,
                status="done",
                steps=[StepData(text="Visit the housing office on Tuesday", status="done")],
            ),
            GoalData(domain="employment_education", text="Finish my GED"),
        ],
    )

    report = progress_report_create(actor=rco, referral=agreement.referral)

    engagement = report.content["engagement"]
    assert engagement["contacts_total"] == 4
    assert {k["kind"]: k["count"] for k in engagement["contacts_by_kind"]} == {
        "one_to_one": 1,
        "phone": 1,
        "group": 2,
    }
    assert engagement["group_sessions_attended"] == 2
    milestones = report.content["milestones"]
    assert (milestones["goals_achieved"], milestones["goals_total"]) == (1, 2)
    assert milestones["domains_achieved_in_period"] == ["Housing"]
    assert (milestones["steps_done"], milestones["steps_total"]) == (1, 1)
    as_json = json.dumps(report.content)
    for private in (NOTE, GOAL_WORDS, "Finish my GED", "housing office", "daughter", "Stubborn"):
        assert private not in as_json
    assert "score" not in as_json and "assessment" not in as_json

    page = sign_in(Client(), world, "court_partner").get(f"/court/reports/{report.public_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert NOTE not in html and GOAL_WORDS not in html
    assert "1 of 2" in html and "housing" in html


def test_each_report_is_a_disclosure_to_the_court_under_the_persons_consent(world, court, rco):
    agreement = diversion_referral(court, rco)
    report = progress_report_create(actor=rco, referral=agreement.referral)
    disclosure = report.disclosure
    assert disclosure.to_organization == world.org_of("court_partner")
    assert disclosure.from_organization == world.org_of("rco_a_peer")
    assert disclosure.purpose == Purpose.JUSTICE
    assert sorted(disclosure.categories) == sorted(REPORT_CATEGORIES)
    assert disclosure.notice_text.startswith("42 CFR part 2")
    agreement.refresh_from_db()
    assert agreement.next_report_due == timezone.localdate() + timedelta(days=14)
    assert world.users["court_partner"].notifications.filter(message__contains="progress report")


def test_a_report_is_refused_without_the_persons_consent_to_report_to_the_court(court, rco):
    agreement = diversion_referral(court, rco, report_consent=False)
    with pytest.raises(ValidationError) as refused:
        progress_report_create(actor=rco, referral=agreement.referral)
    assert "no current, signed consent" in str(refused.value)
    assert "Reporting to a justice-system diversion or reentry program" in str(refused.value)
    assert not ProgressReport.objects.exists()
    assert not Disclosure.objects.filter(to_organization=agreement.referral.sender_organization)


def test_after_the_consent_is_revoked_no_new_report_goes_out(world, court, rco):
    agreement = diversion_referral(court, rco)
    consent = Consent.objects.get(
        participant=agreement.referral.recipient_participant, purpose=Purpose.JUSTICE
    )
    consent_revoke(actor=rco, consent=consent, note="Told me at group she wants to stop")
    with pytest.raises(ValidationError) as refused:
        progress_report_create(actor=rco, referral=agreement.referral)
    assert "no current, signed consent" in str(refused.value)
    DiversionAgreement.objects.filter(pk=agreement.pk).update(next_report_due=timezone.localdate())
    run = progress_reports_generate()
    assert run.sent == []
    assert "no current, signed consent" in run.not_sent[0][1]
    assert not ProgressReport.objects.exists()
    assert not Disclosure.objects.filter(to_organization=world.org_of("court_partner"))


def test_an_irrevocable_justice_consent_cannot_be_revoked_before_its_date_and_reports_go_on(
    court, rco
):
    until = timezone.localdate() + timedelta(days=90)
    agreement = diversion_referral(court, rco, irrevocable_until=until)
    consent = Consent.objects.get(
        participant=agreement.referral.recipient_participant, purpose=Purpose.JUSTICE
    )
    with pytest.raises(ValidationError) as refused:
        consent_revoke(actor=rco, consent=consent, note="Asked to stop")
    assert "cannot be revoked until" in str(refused.value)
    assert "§2.35" in str(refused.value)
    consent.refresh_from_db()
    assert consent.revoked_at is None
    assert progress_report_create(actor=rco, referral=agreement.referral).pk


def test_the_court_cannot_send_a_report_only_the_rco_can(court, rco):
    from rosc.accounts.services import PermissionDenied

    agreement = diversion_referral(court, rco)
    with pytest.raises(PermissionDenied):
        progress_report_create(actor=court, referral=agreement.referral)


def test_a_second_report_the_same_day_is_refused_with_a_reason(court, rco):
    agreement = diversion_referral(court, rco)
    progress_report_create(actor=rco, referral=agreement.referral)
    with pytest.raises(ValidationError) as refused:
        progress_report_create(actor=rco, referral=agreement.referral)
    assert "already has a report up to" in str(refused.value)


def test_reports_due_are_found_and_generated_on_behalf_of_the_assigned_staff_member(court, rco):
    agreement = diversion_referral(court, rco)
    assert progress_reports_due(timezone.now()) == []
    agreement.next_report_due = timezone.localdate()
    agreement.save()
    assert progress_reports_due(timezone.now()) == [agreement]
    run = progress_reports_generate()
    assert [r.trigger for r in run.sent] == ["scheduled"]
    assert run.sent[0].created_by.username == "rco_a_peer"
    assert progress_reports_due(timezone.now()) == []


def test_the_daily_command_sends_due_reports_and_says_which_could_not_go(court, rco):
    ready = diversion_referral(court, rco)
    blocked = diversion_referral(court, rco, first="Lee", last="Park", report_consent=False)
    DiversionAgreement.objects.filter(pk__in=[ready.pk, blocked.pk]).update(
        next_report_due=timezone.localdate()
    )
    out = io.StringIO()
    call_command("rosc_progress_reports", stdout=out)
    text = out.getvalue()
    assert "Sent 1 progress report; 1 due but not sent." in text
    assert str(blocked.referral.public_id) in text
    assert "no current, signed consent" in text


def test_the_rco_triggers_the_background_task_from_its_page(
    world, court, rco, as_persona, settings, django_capture_on_commit_callbacks
):
    agreement = diversion_referral(court, rco)
    DiversionAgreement.objects.filter(pk=agreement.pk).update(next_report_due=timezone.localdate())
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        response = as_persona("rco_a_peer").post("/court/reports/run/")
    assert response.status_code == 302
    assert ProgressReport.objects.filter(referral=agreement.referral).count() == 1


def test_the_task_reports_for_one_organization_only(world, court, rco, actor_of):
    ours = diversion_referral(court, rco)
    theirs = diversion_referral(court, actor_of("rco_b_peer"), first="Kim", last="Lo")
    DiversionAgreement.objects.update(next_report_due=timezone.localdate())
    sent = progress_reports_run.call(organization_id=str(world.org_of("rco_b_peer").public_id))
    assert sent == 1
    assert ProgressReport.objects.get().referral == theirs.referral
    assert not ProgressReport.objects.filter(referral=ours.referral).exists()


def test_send_a_progress_report_now_from_the_rcos_page(world, court, rco, as_persona):
    agreement = diversion_referral(court, rco)
    client = as_persona("rco_a_peer")
    url = f"/court/diversion/{agreement.referral.public_id}/"
    assert "Send a progress report now" in client.get(url).content.decode()
    response = client.post(url + "report/", follow=True)
    assert "Progress report sent to Fictional County Recovery Court" in response.content.decode()
    again = client.post(url + "report/", follow=True)
    assert "The report was not sent." in again.content.decode()
    assert ProgressReport.objects.count() == 1
    assert AuditEvent.objects.filter(
        record_type="justice.progressreport", action=AuditEvent.Action.CREATE
    ).exists()
