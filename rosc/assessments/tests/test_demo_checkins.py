"""The demo's check-ins: a BARC-10 history per person, scored exactly, mostly drifting upwards."""

import random
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.utils import timezone

from rosc.assessments.demo import build_demo_checkins, clear_demo_checkins, spread
from rosc.assessments.models import Assessment, Occasion
from rosc.assessments.selectors import checkins_due
from rosc.people.models import Participant


@pytest.mark.parametrize("total", [10, 11, 37, 59, 60])
def test_spread_answers_add_up_exactly_on_the_scale(total):
    answers = spread(random.Random(total), total)
    assert sum(answers) == total and all(1 <= a <= 6 for a in answers)


def test_the_demo_gives_people_a_check_in_history_that_mostly_rises(db):
    call_command("demo", verbosity=0)
    today = timezone.localdate()
    rows = list(Assessment.objects.select_related("participant", "instrument"))
    assert rows
    by_person: dict[int, list[Assessment]] = defaultdict(list)
    for a in rows:
        assert a.instrument.code == "BARC-10"
        assert a.total == sum(a.answers.values())
        assert 10 <= a.total <= 60
        assert a.participant.enrolled_on <= a.taken_on <= today
        assert a.organization_id == a.participant.organization_id
        by_person[a.participant_id].append(a)
    people = Participant.objects.filter(enrolled_by__is_demo=True).count()
    assert 0.8 * people <= len(by_person) < people  # a few still await their intake
    rising = 0
    for history in by_person.values():
        history.sort(key=lambda a: a.taken_on)
        assert history[0].occasion == Occasion.INTAKE
        assert all(a.occasion == Occasion.ROUTINE for a in history[1:])
        rising += history[-1].total >= history[0].total
    assert rising >= 0.7 * len(by_person)
    # Someone somewhere is due for a check-in.
    org = rows[0].organization
    assert checkins_due(organization=org, on=today)

    counted = Assessment.objects.count()
    clear_demo_checkins()
    assert not Assessment.objects.exists()
    assert build_demo_checkins(1) == Assessment.objects.count() > 0
    assert counted > 0
