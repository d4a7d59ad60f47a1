"""Demo events: a Recovery Month rally, a naloxone training, a recovery celebration, a full
community training with a waitlist, and last week's family night with its attendance.

Written directly (invented history, not work done now), relative to today; the same seed gives
the same people. Registrants are invented and use example.org addresses.
"""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from rosc.accounts.models import Organization
from rosc.councils.models import Council
from rosc.demo.network import TIME_ZONE, demo_slugs
from rosc.events.models import Event, EventKind, EventStatus, Registration, RegistrationStatus

FIRST = [
    "Maria",
    "James",
    "Aisha",
    "Luis",
    "Grace",
    "Tom",
    "Keisha",
    "Dev",
    "Rosa",
    "Sam",
    "Nora",
    "Eli",
    "Tanya",
    "Omar",
    "Lena",
    "Marcus",
    "Ivy",
    "Paul",
    "Hana",
    "Reggie",
]
LAST = [
    "Garcia",
    "Okafor",
    "Nguyen",
    "Brooks",
    "Patel",
    "Kowalski",
    "Rivera",
    "Lee",
    "Haddad",
    "Johnson",
    "Moreno",
    "Fischer",
    "Adams",
    "Yazzie",
    "Carter",
]


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    zone = ZoneInfo(TIME_ZONE)
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def _event(
    hosts: list[Organization], *, days: int, hour: int, hours: int, **fields: object
) -> Event:
    starts = _at(days, hour)
    event = Event.objects.create(
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        time_zone=TIME_ZONE,
        published=True,
        registration_open=True,
        status=EventStatus.SCHEDULED,
        **fields,
    )
    event.hosts.set(hosts)
    return event


def _register(
    rng: random.Random, event: Event, count: int, status: str, *, start: int = 0
) -> list[Registration]:
    rows = []
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        rows.append(
            Registration(
                event=event,
                name=f"{first} {last}",
                email=f"{first}.{last}.{event.pk}.{start + i}@example.org".lower(),
                phone=rng.choice(["", f"(217) 555-01{rng.randint(10, 99)}"]),
                status=status,
                queued_at=event.created_at - timedelta(days=10) + timedelta(hours=start + i),
            )
        )
    return Registration.objects.bulk_create(rows)


def build_demo_events(
    organizations: dict[str, Organization], councils: dict[str, Council], seed: int
) -> list[Event]:
    rng = random.Random(f"events-{seed}")
    o, c = organizations, councils
    rally = _event(
        [o["riverbend"], o["host_metro"]],
        days=12,
        hour=11,
        hours=3,
        kind=EventKind.RALLY,
        title="Recovery Month Rally (demo)",
        slug="recovery-month-rally-demo",
        description=(
            "Walk with us to celebrate every pathway to recovery: speakers with lived "
            "experience, music, and free lunch. Families and friends welcome."
        ),
        council=c["metro"],
        venue="Daley Plaza",
        address="50 W Washington St, Chicago, IL",
        postal_code="60602",
        latitude="41.883900",
        longitude="-87.630000",
    )
    naloxone = _event(
        [o["open_door"]],
        days=5,
        hour=18,
        hours=2,
        kind=EventKind.TRAINING,
        title="Naloxone training: save a life (demo)",
        slug="naloxone-training-demo",
        description=(
            "Learn to recognize an opioid overdose and give naloxone. Everyone leaves with a "
            "free naloxone kit. No experience needed."
        ),
        venue="Open Door community room",
        address="812 Main St, Peoria, IL",
        postal_code="61602",
        capacity=25,
    )
    celebration = _event(
        [o["second_wind"]],
        days=20,
        hour=17,
        hours=3,
        kind=EventKind.CELEBRATION,
        title="Recovery celebration and potluck (demo)",
        slug="recovery-celebration-demo",
        description=(
            "An evening to celebrate recovery milestones together, with a potluck supper and "
            "open-mic stories. Bring a dish if you can; come either way."
        ),
        council=c["capital"],
        venue="Second Wind Recovery Community Center",
        address="400 E Adams St, Springfield, IL",
        postal_code="62701",
        online_url="https://meet.example.org/second-wind-celebration",
    )
    coaching = _event(
        [o["northside"]],
        days=8,
        hour=10,
        hours=4,
        kind=EventKind.EDUCATION,
        title="Family recovery support workshop (demo)",
        slug="family-recovery-workshop-demo",
        description=(
            "For families and friends of people in recovery: how recovery works, how to "
            "support without burning out, and where to find help."
        ),
        venue="Northside Peer Recovery Collective",
        address="2100 N Milwaukee Ave, Chicago, IL",
        postal_code="60647",
        capacity=8,
    )
    family_night = _event(
        [o["prairie_path"]],
        days=-7,
        hour=18,
        hours=2,
        kind=EventKind.EDUCATION,
        title="Family night: understanding recovery (demo)",
        slug="family-night-demo",
        description="Last week's family education night.",
        venue="Prairie Path Recovery Alliance",
        address="15 W Main St, Decatur, IL",
        postal_code="62523",
        capacity=30,
        walk_ins=4,
    )
    _register(rng, rally, 14, RegistrationStatus.REGISTERED)
    _register(rng, naloxone, 11, RegistrationStatus.REGISTERED)
    _register(rng, celebration, 6, RegistrationStatus.REGISTERED)
    _register(rng, coaching, 8, RegistrationStatus.REGISTERED)
    _register(rng, coaching, 3, RegistrationStatus.WAITLISTED, start=8)
    came = _register(rng, family_night, 12, RegistrationStatus.REGISTERED)
    for registration in came[:9]:
        registration.checked_in_at = family_night.starts_at + timedelta(minutes=rng.randint(0, 20))
    Registration.objects.bulk_update(came, ["checked_in_at"])
    return [rally, naloxone, celebration, coaching, family_night]


def clear_demo_events() -> None:
    """Remove every event a demo organization hosts or a demo council runs (registrations go
    with them), before the councils and organizations are removed."""
    slugs = demo_slugs()
    pks = set(
        Event.objects.filter(
            Q(hosts__slug__in=slugs) | Q(council__host__slug__in=slugs)
        ).values_list("pk", flat=True)
    )
    Event.objects.filter(pk__in=pks).delete()
