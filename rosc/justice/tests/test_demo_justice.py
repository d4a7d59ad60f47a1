"""The demo's reentry and diversion slice: built by `rosc demo`, removed by `--reset`."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from rosc.justice.models import DiversionAgreement, ProgressReport, ReentryPlan
from rosc.justice.reentry import MET, MISSED, met_status

pytestmark = pytest.mark.django_db(transaction=True)


def _slice() -> tuple[list[str], list[str]]:
    plans = ReentryPlan.objects.select_related(
        "referral__recipient_organization", "referral__participant"
    ).order_by("referral__participant__legal_last_name")
    states = sorted(met_status(p, now=timezone.now()).state for p in plans)
    names = sorted(str(p.referral.participant) for p in plans)
    return states, names


def test_the_demo_has_a_met_and_a_flagged_reentry_and_a_diversion_with_two_reports_and_resets():
    call_command("demo", "--seed", "7", stdout=io.StringIO())
    states, names = _slice()
    assert states == [MET, MISSED]
    met = ReentryPlan.objects.get(released_time__isnull=False)
    assert met.ticks.count() == 3
    assert met.contacts.count() == 3
    agreement = DiversionAgreement.objects.get()
    reports = ProgressReport.objects.filter(referral=agreement.referral)
    assert reports.count() == 2
    assert all(r.content["engagement"]["contacts_total"] > 0 for r in reports)

    call_command("demo", "--reset", "--seed", "7", stdout=io.StringIO())
    assert _slice() == (states, names)
    assert ProgressReport.objects.count() == 2
