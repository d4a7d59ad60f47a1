"""Demo council work: rosters, monthly meetings and their records, for the demo councils.

`build_demo_councils(seed)` runs after the network exists (the network builder makes the
councils). Each council gets a roster across the sectors, a monthly schedule (a different week
and weekday each) that began half a year ago, one upcoming date cancelled and one moved, and a
past meeting with attendance, published minutes and action items (one still open, so it is
carried to the next meeting's page). Rows are written directly (invented history, not work
done now); the same seed gives the same rosters, relative to today.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from rosc.councils.models import (
    ActionItem,
    Council,
    CouncilMember,
    CouncilRole,
    MeetingSeries,
    MinutesStatus,
    Occurrence,
    Sector,
)
from rosc.councils.recurrence import monthly_rule, rule_dates
from rosc.demo.network import DEMO_DOMAIN, FIRST_NAMES, LAST_NAMES, demo_slugs

ROSTER_SECTORS = (
    Sector.PEOPLE_IN_RECOVERY,
    Sector.PEOPLE_IN_RECOVERY,
    Sector.FAMILY,
    Sector.RCO,
    Sector.TREATMENT,
    Sector.HEALTH_CARE,
    Sector.MENTAL_HEALTH,
    Sector.JUSTICE,
    Sector.FAITH,
    Sector.EDUCATION,
    Sector.EMPLOYERS,
    Sector.HOUSING,
    Sector.LOCAL_GOVERNMENT,
    Sector.PUBLIC_HEALTH,
)
# (week of the month, weekday, start hour) per council, in the order of the demo councils.
SCHEDULES = (
    (2, "TU", 10),
    (1, "WE", 13),
    (3, "TH", 9),
    (2, "MO", 14),
    (4, "TU", 17),
    (1, "FR", 10),
)
MINUTES = (
    "Welcome and introductions; two people in recovery joined the council this month.\n"
    "Recovery Month: the council will co-host a recovery walk with its RCOs.\n"
    "Housing: members reported long waits for recovery housing; a working group will map "
    "what exists in the region.\n"
    "Next meeting: updates from the working group and the peer workforce training."
)


def demo_councils() -> list[Council]:
    return list(Council.objects.filter(host__slug__in=demo_slugs()).order_by("name"))


@transaction.atomic
def build_demo_councils(seed: int) -> None:
    rng = random.Random(f"councils-{seed}")
    today = timezone.localdate()
    for index, council in enumerate(demo_councils()):
        members = _roster(council, rng, today)
        week, weekday, hour = SCHEDULES[index % len(SCHEDULES)]
        start = (today - timedelta(days=182)).replace(day=1)
        series = MeetingSeries.objects.create(
            council=council,
            title="Council meeting",
            rrule=monthly_rule(weekday=weekday, week=week),
            first_date=rule_dates(
                MeetingSeries(
                    council=council,
                    rrule=monthly_rule(weekday=weekday, week=week),
                    first_date=start,
                    start_time=time(hour),
                    end_time=time(hour + 1, 30),
                ),
                start,
                start + timedelta(days=40),
            )[0],
            start_time=time(hour),
            end_time=time(hour + 1, 30),
            address=f"{council.host.name}, community room",
            online_url=f"https://{DEMO_DOMAIN}/{council.slug}/meet",
            sequence=2,
        )
        past = rule_dates(series, series.first_date, today - timedelta(days=1))
        future = rule_dates(series, today, today + timedelta(days=200))
        if past:
            _past_meeting(series, past[-1], members, rng)
        if len(future) >= 3:
            Occurrence.objects.create(
                series=series, recurrence_date=future[1], cancelled=True, sequence=1
            )
            moved_to = future[2] + timedelta(days=2)
            tz = council.tz
            Occurrence.objects.create(
                series=series,
                recurrence_date=future[2],
                starts_at=datetime.combine(moved_to, time(hour), tzinfo=tz),
                ends_at=datetime.combine(moved_to, time(hour + 1, 30), tzinfo=tz),
                address="Public library, meeting room B",
                sequence=1,
                agenda="Moved two days later: the usual room is in use for a health fair.",
            )


def _roster(council: Council, rng: random.Random, today: date) -> list[CouncilMember]:
    firsts, lasts = list(FIRST_NAMES), list(LAST_NAMES)
    rng.shuffle(firsts)
    rng.shuffle(lasts)
    members = []
    for i, sector in enumerate(ROSTER_SECTORS):
        name = f"{firsts[i]} {lasts[i]}"
        role = (
            CouncilRole.CHAIR
            if i == 0
            else CouncilRole.CO_CHAIR
            if i == 2
            else CouncilRole.GUEST
            if i == len(ROSTER_SECTORS) - 1
            else CouncilRole.MEMBER
        )
        members.append(
            CouncilMember(
                council=council,
                name=name,
                email=f"{firsts[i].lower()}.{lasts[i].lower().replace(chr(39), '')}@{DEMO_DOMAIN}",
                sector=sector,
                council_role=role,
                active_from=today - timedelta(days=rng.randint(200, 900)),
                active_to=today - timedelta(days=30) if i == 5 else None,
            )
        )
    return CouncilMember.objects.bulk_create(members)


def _past_meeting(
    series: MeetingSeries, day: date, members: list[CouncilMember], rng: random.Random
) -> None:
    occurrence = Occurrence.objects.create(
        series=series,
        recurrence_date=day,
        agenda="1. Welcome\n2. Recovery Month planning\n3. Recovery housing\n4. Trainings",
        minutes=MINUTES,
        minutes_status=MinutesStatus.PUBLISHED,
        guests="A reporter from the local paper",
    )
    present = [m for m in members if m.is_active_on(day) and rng.random() < 0.8]
    occurrence.attendees.set(present)
    ActionItem.objects.create(
        occurrence=occurrence,
        text="Map the recovery housing in the region",
        owner=members[11],
        due_on=day + timedelta(days=60),
    )
    ActionItem.objects.create(
        occurrence=occurrence,
        text="Confirm the recovery walk route with the city",
        owner=members[12],
        due_on=day + timedelta(days=20),
        done_on=day + timedelta(days=10),
    )


@transaction.atomic
def clear_demo_councils() -> None:
    councils = Council.objects.filter(host__slug__in=demo_slugs())
    MeetingSeries.objects.filter(council__in=councils).delete()
    CouncilMember.objects.filter(council__in=councils).delete()
