"""The court's portal: its diversion referrals and their reports, and nothing of the RCO's."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from rosc.assessments.models import Occasion
from rosc.assessments.selectors import shipped_barc10
from rosc.assessments.services import assessment_record
from rosc.consent.services import disclosure_record
from rosc.core.models import AuditEvent
from rosc.encounters.services import encounter_log
from rosc.justice.models import ProgressReport
from rosc.justice.reports import report_content
from rosc.justice.services import progress_report_create
from rosc.justice.tests.factories import REPORT_CATEGORIES, diversion_referral, reentry_referral
from rosc.plans.services import GoalData, plan_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def diversion(actor_of):
    return diversion_referral(actor_of("court_partner"), actor_of("rco_a_peer"))


def _two_reports(agreement, rco):
    """An older report (as the scheduled job sent it two weeks ago) and today's."""
    referral = agreement.referral
    person = referral.recipient_participant
    disclosure = disclosure_record(
        actor=rco,
        participant=person,
        recipient=referral.sender_organization,
        purpose="justice",
        categories=REPORT_CATEGORIES,
    )[0]
    today = timezone.localdate()
    start, end = today - timedelta(days=14), today - timedelta(days=1)
    older = ProgressReport.objects.create(
        referral=referral,
        period_start=start,
        period_end=end,
        content=report_content(participant=person, start=start, end=end, zone=ZoneInfo("UTC")),
        disclosure=disclosure,
        trigger="scheduled",
        created_by=rco.user,
    )
    return older, progress_report_create(actor=rco, referral=referral)


def test_the_court_sees_its_diversion_referrals_with_status_and_reports_newest_first(
    diversion, actor_of, as_persona
):
    older, newer = _two_reports(diversion, actor_of("rco_a_peer"))
    client = as_persona("court_partner")
    portal = client.get("/court/").content.decode()
    assert "Robin Okafor" in portal
    assert "Accepted" in portal
    assert "Latest report" in portal
    page = client.get(f"/court/diversion/{diversion.referral.public_id}/").content.decode()
    assert page.index(f"/court/reports/{newer.public_id}/") < page.index(
        f"/court/reports/{older.public_id}/"
    )
    assert "Send a progress report now" not in page


def test_opening_a_report_is_audited_with_the_courts_own_record_as_subject(
    diversion, actor_of, as_persona
):
    report = progress_report_create(actor=actor_of("rco_a_peer"), referral=diversion.referral)
    response = as_persona("court_partner").get(f"/court/reports/{report.public_id}/")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(
        username="court_partner", record_type="justice.progressreport", action="view"
    ).get()
    assert event.outcome == AuditEvent.Outcome.OK
    assert event.subject_id == str(diversion.referral.participant.public_id)


def test_the_court_cannot_open_the_rcos_record_notes_plan_or_check_ins(
    diversion, actor_of, as_persona
):
    rco = actor_of("rco_a_peer")
    person = diversion.referral.recipient_participant
    encounter = encounter_log(
        actor=rco,
        participant=person,
        kind="one_to_one",
        duration_minutes=30,
        place="rco",
        note="A private note",
    )
    plan_save(
        actor=rco,
        participant=person,
        base_version=None,
        meaning="",
        strengths="",
        goals=[GoalData(domain="housing", text="A room of my own")],
    )
    checkin = assessment_record(
        actor=rco,
        participant=person,
        instrument=shipped_barc10(),
        taken_on=timezone.localdate(),
        occasion=Occasion.INTAKE,
        answers={str(i): 4 for i in range(1, 11)},
    )
    client = as_persona("court_partner")
    base = f"/participants/{person.public_id}"
    for path in (
        f"{base}/",
        f"{base}/contacts/",
        f"{base}/contacts/{encounter.public_id}/note/",
        f"{base}/plan/",
        f"{base}/check-ins/",
        f"{base}/check-ins/{checkin.public_id}/",
        f"{base}/consents/new/",
    ):
        since = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
        response = client.get(path)
        assert response.status_code == 404, path
        assert AuditEvent.objects.filter(
            id__gt=since, username="court_partner", outcome=AuditEvent.Outcome.DENIED
        ).exists(), path


def test_another_organization_gets_the_same_404_for_the_diversion_and_its_report(
    diversion, actor_of, as_persona
):
    report = progress_report_create(actor=actor_of("rco_a_peer"), referral=diversion.referral)
    client = as_persona("rco_b_peer")
    for path, record_id in (
        (f"/court/diversion/{diversion.referral.public_id}/", diversion.referral.public_id),
        (f"/court/reports/{report.public_id}/", report.public_id),
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert AuditEvent.objects.filter(
            username="rco_b_peer", outcome=AuditEvent.Outcome.DENIED, record_id=str(record_id)
        ).exists()
    assert (
        client.post(f"/court/diversion/{diversion.referral.public_id}/report/").status_code == 404
    )
    assert ProgressReport.objects.count() == 1


def test_a_reentry_page_is_not_a_diversion_page(world, actor_of, as_persona):
    from rosc.accounts.models import Organization
    from rosc.justice.tests.factories import justice_partner

    jail = justice_partner(world, "jail_partner", "Fictional County Jail", Organization.Kind.JAIL)
    plan = reentry_referral(jail, world.org_of("rco_a_peer"))
    client = as_persona("rco_a_peer")
    assert client.get(f"/reentry/{plan.referral.public_id}/").status_code == 200
    assert client.get(f"/court/diversion/{plan.referral.public_id}/").status_code == 404
    assert client.get(f"/reentry/{plan.referral.public_id}/").status_code == 200
    assert (
        as_persona("court_partner").get(f"/reentry/{plan.referral.public_id}/").status_code == 404
    )


def test_roles_that_do_not_work_with_people_get_404_on_the_lists(as_persona):
    for persona in ("council_coordinator", "network_admin", "data_steward"):
        client = as_persona(persona)
        assert client.get("/court/").status_code == 404
        assert client.get("/reentry/").status_code == 404
