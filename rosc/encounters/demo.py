"""Demo contacts: up to a year of logged contacts for each demo participant.

`build_demo_encounters(seed)` runs after the demo participants exist. Contacts are logged by
the peer specialists and supervisors of each person's organization, with gentle invented notes
in person-first language; a few were marked as entered in error. Written with bulk_create (this
is invented history, not work done now, so no audit events). The same seed gives the same
contacts, relative to today.
"""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from rosc.accounts.models import Membership, User
from rosc.accounts.roles import Role
from rosc.encounters.models import Encounter, EncounterKind, EncounterPlace
from rosc.people.demo import demo_participant_pks
from rosc.people.models import LifeDomain, Participant

LOGGING_ROLES = (Role.PEER_SPECIALIST, Role.SUPERVISOR)
HISTORY_DAYS = 365

# Where each kind of contact usually happens.
PLACES: dict[str, tuple[str, ...]] = {
    EncounterKind.ONE_TO_ONE: (EncounterPlace.RCO, EncounterPlace.COMMUNITY, EncounterPlace.HOME),
    EncounterKind.GROUP: (EncounterPlace.RCO, EncounterPlace.COMMUNITY),
    EncounterKind.PHONE: (EncounterPlace.REMOTE,),
    EncounterKind.TEXT: (EncounterPlace.REMOTE,),
    EncounterKind.VIDEO: (EncounterPlace.REMOTE,),
    EncounterKind.OUTREACH: (EncounterPlace.COMMUNITY, EncounterPlace.HOSPITAL),
    EncounterKind.ACCOMPANIMENT: (
        EncounterPlace.COURT,
        EncounterPlace.TREATMENT,
        EncounterPlace.HOSPITAL,
        EncounterPlace.OTHER,
    ),
    EncounterKind.IN_REACH: (EncounterPlace.JAIL, EncounterPlace.HOSPITAL),
}
# Kinds, weighted as a peer's week tends to go.
KIND_WEIGHTS: dict[str, int] = {
    EncounterKind.ONE_TO_ONE: 30,
    EncounterKind.PHONE: 20,
    EncounterKind.TEXT: 18,
    EncounterKind.GROUP: 10,
    EncounterKind.VIDEO: 6,
    EncounterKind.OUTREACH: 6,
    EncounterKind.ACCOMPANIMENT: 6,
    EncounterKind.IN_REACH: 4,
}
MINUTES: dict[str, tuple[int, ...]] = {
    EncounterKind.TEXT: (2, 5, 5, 10),
    EncounterKind.PHONE: (5, 10, 15, 20, 30),
    EncounterKind.GROUP: (60, 90, 90, 120),
    EncounterKind.ACCOMPANIMENT: (60, 90, 120, 180),
}
OTHER_PLACES = ("Food pantry", "Library", "Workforce center", "Pharmacy", "Park")
NEEDS: tuple[str, ...] = (
    "",
    "",
    "",
    "A ride to an appointment",
    "Bus pass",
    "Help filling in a housing application",
    "Phone minutes",
    "A quiet place to meet on weekends",
    "Information about a mutual aid meeting near work",
    "Childcare on group nights",
    "ID documents for a job application",
    "Warm clothes for winter",
)
NOTES: tuple[str, ...] = (
    "Met for coffee. They shared that the new job is going well and they feel proud of it.",
    "Talked through a hard week; they named two people they can call and made a plan for the "
    "weekend.",
    "Celebrated 90 days on their chosen pathway. They want to start giving back at the center.",
    "Went together to the housing office; the application is in. They felt heard.",
    "Short check-in by text. They are resting today and will come to group on Thursday.",
    "They asked about a SMART Recovery meeting closer to home; shared three options.",
    "Visited during in-reach. They are looking forward to release and want to meet the week after.",
    "They reconnected with their sister and want to plan a visit. Talked about what support "
    "would help.",
    "Practised what to say at the job interview. They chose the outfit and the bus route.",
    "Checked in after the hospital stay; they have follow-up care booked and a ride arranged.",
    "They said the morning routine is helping. We agreed to keep meeting every two weeks.",
    "Talked about budgeting for the first month in the new apartment.",
)


def _staff_by_organization() -> dict[int, list[User]]:
    staff: dict[int, list[User]] = {}
    memberships = (
        Membership.objects.active()
        .filter(user__is_demo=True, role__in=LOGGING_ROLES)
        .select_related("user")
        .order_by("organization_id", "user__username")
    )
    for m in memberships:
        staff.setdefault(m.organization_id, []).append(m.user)
    return staff


def _contact(
    rng: random.Random, person: Participant, by: User, at: datetime, now: datetime
) -> Encounter:
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    place = rng.choice(PLACES[kind])
    minutes = rng.choice(MINUTES.get(kind, (15, 30, 30, 45, 60)))
    voided = rng.random() < 0.01
    return Encounter(
        participant=person,
        organization_id=person.organization_id,
        occurred_at=at,
        kind=kind,
        duration_minutes=minutes,
        place=place,
        place_detail=rng.choice(OTHER_PLACES) if place == EncounterPlace.OTHER else "",
        life_domains=rng.sample(LifeDomain.values, rng.choice((0, 1, 1, 2, 3))),
        needs=rng.choice(NEEDS),
        note=rng.choice(NOTES) if rng.random() < 0.5 else "",
        logged_by=by,
        logged_at=min(at + timedelta(minutes=minutes + rng.randint(0, 240)), now),
        voided_at=min(at + timedelta(days=1), now) if voided else None,
        voided_by=by if voided else None,
        void_reason="Logged for the wrong person" if voided else "",
    )


@transaction.atomic
def build_demo_encounters(seed: int) -> int:
    """Give each demo participant up to a year of contacts since enrolment; returns the count."""
    staff = _staff_by_organization()
    rng = random.Random(f"encounters:{seed}")
    now = timezone.now()
    zone = timezone.get_current_timezone()
    rows: list[Encounter] = []
    people = Participant.objects.filter(enrolled_by__is_demo=True).order_by("id")
    for person in people:
        team = staff.get(person.organization_id)
        if not team:
            continue
        # Mostly the person who enrolled them (their peer at first), sometimes a colleague.
        own_peer = next((u for u in team if u.pk == person.enrolled_by_id), None) or rng.choice(
            team
        )
        start = max(person.enrolled_on, (now - timedelta(days=HISTORY_DAYS)).date())
        day = start
        while True:
            at = datetime(day.year, day.month, day.day, rng.randint(8, 18), 0, tzinfo=zone)
            at += timedelta(minutes=rng.choice((0, 10, 15, 20, 30, 40, 45, 50)))
            if at >= now:
                break
            by = own_peer if rng.random() < 0.85 else rng.choice(team)
            rows.append(_contact(rng, person, by, at, now))
            # Some people are met weekly, some every few weeks; gaps happen.
            day += timedelta(days=rng.choice((2, 4, 7, 7, 7, 10, 14, 21, 30)))
    Encounter.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


@transaction.atomic
def clear_demo_encounters() -> None:
    """Remove the contacts of demo participants (before the participants themselves go)."""
    Encounter.objects.filter(participant_id__in=demo_participant_pks()).delete()
