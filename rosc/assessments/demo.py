"""Demo check-ins: a BARC-10 at intake and then about every 90 days for each demo participant.

`build_demo_checkins(seed)` runs after the demo participants exist. Each person's recovery
capital starts somewhere between low and middling and mostly drifts upwards, with the odd step
back, as it tends to. Written with bulk_create (invented history, not work done now, so no audit
events). The same seed gives the same check-ins, relative to each person's enrolment.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from rosc.assessments.models import DEFAULT_CHECKIN_INTERVAL_DAYS, Assessment, Occasion
from rosc.assessments.selectors import shipped_barc10
from rosc.people.demo import demo_participant_pks
from rosc.people.models import Participant


def spread(
    rng: random.Random, total: int, items: int = 10, low: int = 1, high: int = 6
) -> list[int]:
    """Item answers on the low..high scale that add up to `total` exactly."""
    total = max(items * low, min(items * high, total))
    answers = [low] * items
    left = total - items * low
    while left:
        i = rng.randrange(items)
        if answers[i] < high:
            answers[i] += 1
            left -= 1
    return answers


def _visits(rng: random.Random, enrolled_on: date, today: date) -> list[date]:
    """Intake within a week of enrolment, then roughly every 90 days, up to today."""
    day = min(enrolled_on + timedelta(days=rng.randint(0, 7)), today)
    days = [day]
    while True:
        day = day + timedelta(days=DEFAULT_CHECKIN_INTERVAL_DAYS + rng.randint(-10, 20))
        if day > today:
            return days
        days.append(day)


@transaction.atomic
def build_demo_checkins(seed: int) -> int:
    """Give every demo participant their BARC-10 history; returns how many check-ins were made."""
    barc10 = shipped_barc10()
    rng = random.Random(f"checkins:{seed}")
    today = timezone.localdate()
    people = Participant.objects.filter(enrolled_by__is_demo=True).order_by("pk")
    rows: list[Assessment] = []
    for person in people.only("pk", "organization_id", "enrolled_on", "enrolled_by_id"):
        # About one in ten people has not had their intake check-in yet: they show as due.
        if rng.random() < 0.1:
            continue
        score = rng.randint(18, 40)
        for n, day in enumerate(_visits(rng, person.enrolled_on, today)):
            if n:
                score += rng.choice((-3, -1, 0, 2, 3, 4, 5, 6))
            answers = spread(rng, score)
            score = sum(answers)
            rows.append(
                Assessment(
                    participant_id=person.pk,
                    organization_id=person.organization_id,
                    instrument=barc10,
                    taken_on=day,
                    occasion=Occasion.INTAKE if n == 0 else Occasion.ROUTINE,
                    answers={str(i): v for i, v in enumerate(answers, 1)},
                    total=score,
                    taken_by_id=person.enrolled_by_id,
                )
            )
    Assessment.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@transaction.atomic
def clear_demo_checkins() -> None:
    """Remove what build_demo_checkins made (check-ins of people enrolled by demo staff)."""
    Assessment.objects.filter(participant_id__in=demo_participant_pks()).delete()
