"""Demo self-assessments: RCOs with reviewed RCO standards self-assessments, and two ROSC
self-assessments a year apart for every demo council.

Riverbend's latest accepted self-assessment meets all ten standards (its listing shows the
badge); Prairie Path's accepted one does not, and a newer one waits in the review queue;
Northside's was returned with comments. Records are written directly with dates in the past
(invented history relative to today, not work done now), so no audit events are made; the
same seed gives the same scores.
"""

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from rosc.accounts.models import Membership, Organization, User
from rosc.accounts.roles import Role
from rosc.councils.models import Council
from rosc.demo.network import demo_slugs
from rosc.fidelity.models import (
    AssessmentStatus,
    CouncilAssessment,
    CouncilElementScore,
    RcoAnswer,
    RcoAssessment,
    RcoReview,
    ReviewDecision,
)
from rosc.fidelity.standards import RCO_STANDARDS, ROSC_ELEMENTS, Rating

EVIDENCE: dict[int, str] = {
    1: "Incorporated as a 501(c)(3); IRS determination letter on file.",
    2: "Most board members are people in recovery or family members; bylaws require it.",
    3: "Mission statement and program list: every program supports recovery from SUDs.",
    4: "Started by local people in recovery; volunteers run the weekly community meeting.",
    5: "Quarterly community listening sessions; participants sit on the program committee.",
    6: "Recovery coaching, telephone recovery support and all-recovery meetings, peer-delivered.",
    7: "We welcome every pathway: mutual aid, medication, faith-based, harm reduction.",
    8: "Equity policy adopted; materials in English and Spanish; wheelchair-accessible site.",
    9: "Staff trained in recovery-friendly, person-first language; style guide for materials.",
    10: "Code of ethics for peer staff; grievance policy posted and given at first contact.",
}


def _admin(org: Organization) -> User:
    membership = (
        Membership.objects.filter(organization=org, role=Role.ORG_ADMIN)
        .select_related("user")
        .order_by("id")
        .first()
    )
    assert membership is not None, f"the demo has no admin at {org.name}"
    return membership.user


def _reviewer() -> User:
    membership = (
        Membership.objects.filter(organization__slug__in=demo_slugs(), role=Role.NETWORK_ADMIN)
        .select_related("user", "organization")
        .order_by("id")
        .first()
    )
    assert membership is not None, "the demo has no network administrator"
    return membership.user


def _rco_assessment(
    org: Organization,
    *,
    days_ago: int,
    ratings: dict[int, str],
    status: str,
    reviewer: User | None = None,
    comments: str = "",
) -> RcoAssessment:
    author = _admin(org)
    started = timezone.now() - timedelta(days=days_ago)
    submitted = started + timedelta(days=6)
    reviewed = submitted + timedelta(days=9)
    done = status != AssessmentStatus.DRAFT
    assessment = RcoAssessment.objects.create(
        organization=org,
        status=status,
        started_by=author,
        created_at=started,
        submitted_at=submitted if done else None,
        submitted_by=author if done else None,
        all_met=all(ratings.get(n, Rating.MET) == Rating.MET for n, _t in RCO_STANDARDS),
        accepted_at=reviewed if status == AssessmentStatus.ACCEPTED else None,
    )
    RcoAnswer.objects.bulk_create(
        RcoAnswer(
            assessment=assessment,
            standard=n,
            rating=ratings.get(n, Rating.MET),
            evidence=EVIDENCE[n],
            evidence_url=f"{org.url}/policies" if org.url and n in (8, 10) else "",
            notes="Board to revisit this spring." if ratings.get(n) == Rating.PARTLY_MET else "",
        )
        for n, _title in RCO_STANDARDS
    )
    if reviewer is not None and status in (AssessmentStatus.ACCEPTED, AssessmentStatus.RETURNED):
        decision = (
            ReviewDecision.ACCEPT if status == AssessmentStatus.ACCEPTED else ReviewDecision.RETURN
        )
        RcoReview.objects.create(
            assessment=assessment,
            decision=decision,
            comments=comments,
            reviewed_by=reviewer,
            reviewer_organization_name="Illinois State Office of Recovery Support (demo)",
            created_at=reviewed,
        )
    return assessment


def _council_assessments(council: Council, rng: random.Random, recorder: User) -> None:
    today = timezone.localdate()
    base = [rng.randint(0, 2) for _ in ROSC_ELEMENTS]
    for days_ago, lift in ((400, 0), (35, 1)):
        element_scores = [min(4, b + lift + rng.choice((0, 0, 1))) for b in base]
        assessment = CouncilAssessment.objects.create(
            council=council,
            assessed_on=today - timedelta(days=days_ago),
            recorded_by=recorder,
            total=sum(element_scores),
            notes="Scored together at the council's annual planning meeting.",
        )
        CouncilElementScore.objects.bulk_create(
            CouncilElementScore(assessment=assessment, element=n, score=s)
            for (n, _title), s in zip(ROSC_ELEMENTS, element_scores, strict=True)
        )


def _coordinator(council: Council) -> User | None:
    membership = (
        Membership.objects.filter(organization=council.host, role=Role.COUNCIL_COORDINATOR)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return membership.user if membership else None


@transaction.atomic
def build_demo_fidelity(seed: int, organizations: dict[str, Any]) -> None:
    reviewer = _reviewer()
    riverbend = organizations["riverbend"]
    _rco_assessment(
        riverbend,
        days_ago=420,
        ratings={5: Rating.PARTLY_MET, 8: Rating.PARTLY_MET},
        status=AssessmentStatus.ACCEPTED,
        reviewer=reviewer,
        comments="Good evidence. Standards 5 and 8 are worth a plan for the year.",
    )
    _rco_assessment(
        riverbend,
        days_ago=70,
        ratings={},
        status=AssessmentStatus.ACCEPTED,
        reviewer=reviewer,
        comments="All ten standards met, with clear evidence. Thank you.",
    )
    prairie = organizations["prairie_path"]
    _rco_assessment(
        prairie,
        days_ago=300,
        ratings={4: Rating.PARTLY_MET, 10: Rating.NOT_MET},
        status=AssessmentStatus.ACCEPTED,
        reviewer=reviewer,
        comments="Accepted. A grievance policy is the next step for standard 10.",
    )
    _rco_assessment(
        prairie, days_ago=20, ratings={4: Rating.PARTLY_MET}, status=AssessmentStatus.SUBMITTED
    )
    _rco_assessment(
        organizations["northside"],
        days_ago=45,
        ratings={2: Rating.PARTLY_MET},
        status=AssessmentStatus.RETURNED,
        reviewer=reviewer,
        comments="Please add the board's make-up as evidence for standard 2.",
    )
    rng = random.Random(seed * 7919 + 17)
    for council in Council.objects.filter(host__slug__in=demo_slugs()).order_by("name"):
        recorder = _coordinator(council)
        if recorder is not None:
            _council_assessments(council, rng, recorder)


def clear_demo_fidelity() -> None:
    slugs = demo_slugs()
    CouncilAssessment.objects.filter(council__host__slug__in=slugs).delete()
    RcoAssessment.objects.filter(organization__slug__in=slugs).delete()
