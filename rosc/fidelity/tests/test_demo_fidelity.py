"""The demo's self-assessments: Riverbend carries the badge, the queue is not empty, every
council has two ROSC self-assessments, and `rosc demo --reset` rebuilds the same."""

import io

import pytest
from django.core.management import call_command

from rosc.accounts.models import Organization
from rosc.councils.models import Council
from rosc.fidelity import selectors
from rosc.fidelity.models import AssessmentStatus, CouncilAssessment, RcoAssessment

pytestmark = pytest.mark.django_db


def _demo(*args: str) -> None:
    call_command("demo", *args, stdout=io.StringIO())


def _built() -> list[tuple[str, object, int]]:
    return sorted(CouncilAssessment.objects.values_list("council__slug", "assessed_on", "total"))


def test_the_demo_has_reviewed_rco_assessments_and_two_council_assessments_each():
    _demo("--seed", "41")
    orgs = {o.slug: o for o in Organization.objects.filter(kind="rco")}
    riverbend = next(o for slug, o in orgs.items() if slug.startswith("riverbend"))
    prairie = next(o for slug, o in orgs.items() if slug.startswith("prairie-path"))
    badges = selectors.rco_standards_badges([riverbend.public_id, prairie.public_id])
    assert list(badges) == [riverbend.public_id]
    assert RcoAssessment.objects.filter(status=AssessmentStatus.SUBMITTED).exists()
    assert RcoAssessment.objects.filter(status=AssessmentStatus.RETURNED).exists()
    for council in Council.objects.all():
        assert council.rosc_assessments.count() == 2
    first = _built()
    _demo("--reset", "--seed", "41")
    assert _built() == first
