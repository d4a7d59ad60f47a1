"""Records for tests: made directly (not through the services, which refuse non-RCOs), so that
the authorization matrix can give every organization one of each."""

from datetime import date

from django.utils import timezone

from rosc.accounts.models import Organization, User
from rosc.councils.services import council_create
from rosc.fidelity.models import (
    AssessmentStatus,
    CouncilAssessment,
    CouncilElementScore,
    RcoAnswer,
    RcoAssessment,
)
from rosc.fidelity.standards import RCO_STANDARDS, ROSC_ELEMENTS, Rating


def submitted_rco_assessment(organization: Organization, by: User) -> RcoAssessment:
    assessment = RcoAssessment.objects.create(
        organization=organization,
        status=AssessmentStatus.SUBMITTED,
        started_by=by,
        submitted_by=by,
        submitted_at=timezone.now(),
        all_met=True,
    )
    RcoAnswer.objects.bulk_create(
        RcoAnswer(assessment=assessment, standard=n, rating=Rating.MET, evidence="Our bylaws.")
        for n, _title in RCO_STANDARDS
    )
    return assessment


def hosted_council_assessment(organization: Organization, by: User, key: str) -> CouncilAssessment:
    council = council_create(
        name=f"Matrix ROSC Council {key}",
        host=organization,
        counties=[],
        time_zone="America/Chicago",
    )
    assessment = CouncilAssessment.objects.create(
        council=council, assessed_on=date(2026, 1, 15), recorded_by=by, total=2 * len(ROSC_ELEMENTS)
    )
    CouncilElementScore.objects.bulk_create(
        CouncilElementScore(assessment=assessment, element=n, score=2)
        for n, _title in ROSC_ELEMENTS
    )
    return assessment


def matrix_fidelity_records(
    organization: Organization, by: User, key: str
) -> tuple[RcoAssessment, CouncilAssessment]:
    """A submitted RCO standards self-assessment of the organization (whatever its kind) and a
    ROSC self-assessment of a council it hosts."""
    return (
        submitted_rco_assessment(organization, by),
        hosted_council_assessment(organization, by, key),
    )
