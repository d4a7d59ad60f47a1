"""The demo's recovery plans: most people have one, in their own words, some waiting for review."""

import pytest
from django.core.management import call_command

from rosc.demo.network import DEFAULT_SEED
from rosc.people.models import Participant
from rosc.plans.demo import build_demo_plans, clear_demo_plans
from rosc.plans.models import PlanGoal, PlanReview, PlanVersion, RecoveryPlan
from rosc.plans.selectors import plans_awaiting_review


@pytest.fixture
def demo_network(db: None) -> None:
    call_command("demo", verbosity=0)


def test_most_demo_participants_have_a_plan_some_reviewed_some_waiting_the_same_for_a_seed(
    demo_network,
):
    people = Participant.objects.count()
    plans = list(RecoveryPlan.objects.select_related("organization"))
    assert 0.5 * people <= len(plans) <= 0.8 * people
    assert all(p.current_version >= 1 for p in plans)
    assert all(PlanVersion.objects.filter(plan=p).count() == p.current_version for p in plans[:20])
    assert PlanVersion.objects.filter(number__gt=1).exists()
    assert PlanGoal.objects.filter(steps__isnull=False).exists()
    assert PlanReview.objects.exists()
    waiting = [p for p in plans if p.awaiting_review_since is not None]
    assert 0 < len(waiting) < len(plans)
    org = waiting[0].organization
    listed = plans_awaiting_review(organization=org)
    assert {v.plan_id for v in listed} == {p.pk for p in waiting if p.organization_id == org.pk}

    def content() -> list[tuple[str, int, str]]:
        return list(
            PlanGoal.objects.order_by(
                "version__participant_id", "version__number", "position"
            ).values_list("version__participant__legal_last_name", "version__number", "text")
        )

    # Rebuilt twice over the same people (the justice demo, built after the plans, enrolled a
    # few more), the plans come out the same.
    clear_demo_plans()
    assert not RecoveryPlan.objects.exists() and not PlanVersion.objects.exists()
    build_demo_plans(DEFAULT_SEED)
    first = content()
    assert first
    clear_demo_plans()
    build_demo_plans(DEFAULT_SEED)
    assert content() == first
