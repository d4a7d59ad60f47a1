"""Demo follow-ups: a plausible year of GPRA interviews for the demo's participants.

Runs after the demo participants exist. A few people are discharged (and one of them comes back)
through the services, as their peer would; then intakes, 6-month follow-ups and discharge
interviews are completed or tried, in bulk, so that some follow-ups are open, some overdue and
many completed. Deterministic from the seed.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from rosc.accounts.actor import actor_for_user
from rosc.followups.models import (
    AttemptMethod,
    AttemptOutcome,
    FollowUp,
    FollowUpAttempt,
    FollowUpState,
    InterviewType,
    Program,
)
from rosc.followups.selectors import FollowUpItem, episode_items, program_for
from rosc.followups.services import participant_discharge, participant_reenrol
from rosc.people.demo import demo_participant_pks
from rosc.people.models import DischargeReason, Episode, Participant

DISCHARGE_SHARE = 0.08
# Reasons a demo discharge draws from, most often the hopeful ones.
DEMO_REASONS = (
    DischargeReason.COMPLETED_GOALS,
    DischargeReason.COMPLETED_GOALS,
    DischargeReason.COMPLETED_GOALS,
    DischargeReason.MOVED,
    DischargeReason.CHOSE_TO_STOP,
    DischargeReason.NOT_REACHED,
    DischargeReason.TRANSFERRED,
)
METHODS = (AttemptMethod.PHONE_CALL, AttemptMethod.TEXT, AttemptMethod.IN_PERSON)


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _discharge_some(rng: random.Random, people: list[Participant], today: date) -> None:
    """Discharge a few people enrolled at least two months ago; re-enrol the first of them."""
    eligible = [p for p in people if (today - p.enrolled_on).days >= 60 and p.enrolled_by]
    chosen = rng.sample(eligible, max(3, int(len(eligible) * DISCHARGE_SHARE))) if eligible else []
    for i, person in enumerate(sorted(chosen, key=lambda p: p.pk)):
        assert person.enrolled_by is not None
        actor = actor_for_user(person.enrolled_by, person.organization)
        ended = _day_between(
            rng, person.enrolled_on + timedelta(days=30), today - timedelta(days=20)
        )
        participant_discharge(
            actor=actor, participant=person, on=ended, reason=rng.choice(DEMO_REASONS)
        )
        if i == 0:
            participant_reenrol(
                actor=actor,
                participant=person,
                on=_day_between(rng, ended + timedelta(days=7), today),
                reason="Came back after a hard stretch and asked for a peer again.",
            )


def _history(
    rng: random.Random, item: FollowUpItem, today: date
) -> tuple[date | None, list[tuple[date, str]]]:
    """(completed on, [(attempt day, outcome)]) for one follow-up, as a peer might have had it."""
    last_day = min(item.window_closes_on, today)
    if item.state == FollowUpState.DUE or last_day < item.window_opens_on:
        return None, []
    chance = {
        InterviewType.INTAKE: 0.9,
        InterviewType.SIX_MONTH: 0.7 if item.state == FollowUpState.OVERDUE else 0.35,
        InterviewType.DISCHARGE: 0.5,
    }.get(InterviewType(item.kind), 0.5)
    misses = [
        (_day_between(rng, item.window_opens_on, last_day), AttemptOutcome.NOT_REACHED)
        for _ in range(rng.randint(0, 2 if item.kind != InterviewType.INTAKE else 0))
    ]
    if rng.random() < chance:
        done = _day_between(rng, max([item.window_opens_on, *(d for d, _ in misses)]), last_day)
        return done, sorted(misses)
    if item.kind == InterviewType.SIX_MONTH and rng.random() < 0.15:
        misses.append((last_day, AttemptOutcome.DECLINED))
    return None, sorted(misses)


def _all_followups(people: list[Participant], today: date) -> list[FollowUpItem]:
    """Every follow-up of these people, in a handful of queries (none recorded yet)."""
    by_pk = {p.pk: p for p in people}
    episodes = list(Episode.objects.filter(participant_id__in=by_pk).order_by("pk"))
    starts = {(e.participant_id, e.intake_seq): e.started_on for e in episodes}
    programs: dict[int, Program] = {}
    items: list[FollowUpItem] = []
    for episode in episodes:
        episode.participant = by_pk[episode.participant_id]
        org = episode.participant.organization
        if org.pk not in programs:
            programs[org.pk] = program_for(organization=org)
        items += episode_items(
            [episode], program=programs[org.pk], on=today, rows={}, next_starts=starts
        )
    return items


@transaction.atomic
def build_demo_followups(seed: int) -> None:
    rng = random.Random(f"followups:{seed}")
    today = timezone.localdate()
    people = list(
        Participant.objects.filter(enrolled_by__is_demo=True)
        .select_related("organization", "enrolled_by", "primary_peer")
        .order_by("pk")
    )
    _discharge_some(rng, people, today)
    rows: list[FollowUp] = []
    plans: list[tuple[FollowUp, list[tuple[date, str]]]] = []
    for item in _all_followups(people, today):
        person = item.participant
        done, attempts = _history(rng, item, today)
        if done is None and not attempts:
            continue
        row = FollowUp(
            episode=item.episode,
            participant=person,
            organization=person.organization,
            kind=item.kind,
            due_on=item.due_on,
            window_opens_on=item.window_opens_on,
            window_closes_on=item.window_closes_on,
            completed_on=done,
            outcome=AttemptOutcome.REACHED if done else "",
            completed_by=person.primary_peer if done else None,
        )
        rows.append(row)
        plans.append((row, attempts + ([(done, AttemptOutcome.REACHED)] if done else [])))
    FollowUp.objects.bulk_create(rows)
    FollowUpAttempt.objects.bulk_create(
        FollowUpAttempt(
            followup=row,
            attempted_on=day,
            method=rng.choice(METHODS),
            outcome=outcome,
            recorded_by=row.completed_by or row.participant.primary_peer,
        )
        for row, attempts in plans
        for day, outcome in attempts
    )


@transaction.atomic
def clear_demo_followups() -> None:
    """Remove what build_demo_followups recorded (episodes go with the demo participants)."""
    FollowUp.objects.filter(participant_id__in=demo_participant_pks()).delete()
