"""The demo's council work: rosters, schedules with a cancellation and a moved date, published
minutes with action items; the same from the same seed, and gone with its clear-out."""

import pytest

from rosc.councils.demo import build_demo_councils, clear_demo_councils
from rosc.councils.models import ActionItem, Council, CouncilMember, MeetingSeries, Occurrence
from rosc.councils.selectors import upcoming_meetings
from rosc.demo.management.commands.demo import DemoContext, build_network
from rosc.demo.network import plan_network

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple]:
    return sorted(
        CouncilMember.objects.values_list("council__slug", "name", "sector", "council_role")
    ) + sorted(MeetingSeries.objects.values_list("council__slug", "rrule", "first_date"))


def test_every_demo_council_gets_a_roster_a_schedule_and_published_minutes():
    build_network(DemoContext(plan=plan_network(7)))
    build_demo_councils(7)
    councils = list(Council.objects.all())
    assert len(councils) >= 4
    for council in councils:
        assert council.members.count() >= 10
        assert {m.sector for m in council.members.all()} >= {"people_in_recovery", "family"}
        upcoming = upcoming_meetings(council)
        assert len(upcoming) == 12
        assert any(m.cancelled for m in upcoming) and any(m.moved for m in upcoming)
        published = Occurrence.objects.filter(series__council=council, minutes_status="published")
        assert published.count() == 1
        assert ActionItem.objects.filter(occurrence__in=published, done_on__isnull=True).exists()
    first = _snapshot()

    clear_demo_councils()
    assert not CouncilMember.objects.exists() and not MeetingSeries.objects.exists()
    build_demo_councils(7)
    assert _snapshot() == first
