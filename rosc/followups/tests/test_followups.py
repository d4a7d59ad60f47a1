"""Follow-ups, attempts, completion, discharge and re-enrolment through the services and selectors."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rosc.core.models import AuditEvent
from rosc.followups.models import FollowUp, FollowUpAttempt, FollowUpState, InterviewType, Program
from rosc.followups.schedule import add_months
from rosc.followups.selectors import (
    FollowUpItem,
    followup_rate,
    followups_in_window,
    participant_followups,
    participant_section,
)
from rosc.followups.services import (
    followup_attempt_record,
    followup_complete,
    participant_discharge,
    participant_reenrol,
    program_update,
)
from rosc.people.models import Episode, ParticipantStatus

SIX = InterviewType.SIX_MONTH


def today():
    return timezone.localdate()


def by_kind(participant, on=None):
    return {(i.episode.intake_seq, i.kind): i for i in participant_followups(participant, on=on)}


@pytest.fixture
def six_months_ago(enrol):
    """A person whose 6-month follow-up is due today: its window is open."""
    return enrol("rco_a_peer", "Maria", "Garcia", enrolled_on=add_months(today(), -6))


def test_enrolment_opens_episode_1_with_the_enrolling_peer_as_primary_peer(world, enrol):
    person = enrol("rco_a_peer", "Maria", "Garcia", enrolled_on=date(2026, 1, 31))
    episode = Episode.objects.get(participant=person)
    assert (episode.intake_seq, episode.started_on, episode.ended_on) == (
        1,
        date(2026, 1, 31),
        None,
    )
    assert person.primary_peer == world.users["rco_a_peer"]
    assert person.status == ParticipantStatus.ACTIVE
    found = by_kind(person, on=date(2026, 2, 10))
    assert found[(1, InterviewType.INTAKE)].state == FollowUpState.OPEN
    assert found[(1, SIX)].state == FollowUpState.DUE
    assert found[(1, SIX)].due_on == date(2026, 7, 31)
    assert by_kind(person, on=date(2026, 7, 1))[(1, SIX)].state == FollowUpState.OPEN
    assert by_kind(person, on=date(2026, 9, 30))[(1, SIX)].state == FollowUpState.OVERDUE
    assert not FollowUp.objects.exists()  # nothing is written until something is recorded


def test_each_attempt_keeps_its_outcome_reached_not_reached_or_declined(actor_of, six_months_ago):
    peer = actor_of("rco_a_peer")
    for outcome in ("not_reached", "declined", "reached"):
        followup_attempt_record(
            actor=peer,
            participant=six_months_ago,
            intake_seq=1,
            kind=SIX,
            attempted_on=today(),
            method="phone_call",
            outcome=outcome,
        )
    item = by_kind(six_months_ago)[(1, SIX)]
    assert [a.outcome for a in item.record.attempts.all()] == ["not_reached", "declined", "reached"]
    assert item.state == FollowUpState.OPEN  # an attempt alone does not complete it
    assert AuditEvent.objects.filter(record_type="followups.followupattempt").count() == 3


def test_an_attempt_before_the_window_opens_or_in_the_future_is_refused(actor_of, enrol):
    person = enrol("rco_a_peer", "Sam", "Okafor")
    peer = actor_of("rco_a_peer")
    with pytest.raises(ValidationError) as early:
        followup_attempt_record(
            actor=peer,
            participant=person,
            intake_seq=1,
            kind=SIX,
            attempted_on=today(),
            method="text",
            outcome="not_reached",
        )
    assert "attempts count from then" in early.value.message_dict["attempted_on"][0]
    with pytest.raises(ValidationError) as future:
        followup_attempt_record(
            actor=peer,
            participant=person,
            intake_seq=1,
            kind=InterviewType.INTAKE,
            attempted_on=today() + timedelta(days=1),
            method="carrier pigeon",
            outcome="maybe",
        )
    assert set(future.value.message_dict) == {"attempted_on", "method", "outcome"}
    assert not FollowUpAttempt.objects.exists()
    assert not FollowUp.objects.exists()


def test_completing_outside_the_window_is_refused_with_the_window_named_and_nothing_saved(
    actor_of, six_months_ago
):
    six = by_kind(six_months_ago)[(1, SIX)]
    events_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        followup_complete(
            actor=actor_of("rco_a_peer"),
            participant=six_months_ago,
            intake_seq=1,
            kind=SIX,
            completed_on=six.window_opens_on - timedelta(days=1),
            outcome="reached",
        )
    message = refused.value.message_dict["completed_on"][0]
    opens = six.window_opens_on
    assert f"{opens:%b} {opens.day}, {opens.year}" in message
    assert "only be completed inside its window" in message
    assert not FollowUp.objects.exists()
    assert not FollowUpAttempt.objects.exists()
    assert AuditEvent.objects.count() == events_before


def test_could_not_reach_is_an_attempt_not_a_completion(actor_of, six_months_ago):
    with pytest.raises(ValidationError) as refused:
        followup_complete(
            actor=actor_of("rco_a_peer"),
            participant=six_months_ago,
            intake_seq=1,
            kind=SIX,
            completed_on=today(),
            outcome="not_reached",
        )
    assert "record an attempt instead" in refused.value.message_dict["outcome"][0]


def test_completing_inside_the_window_records_the_interview_once(actor_of, six_months_ago):
    peer = actor_of("rco_a_peer")
    row = followup_complete(
        actor=peer,
        participant=six_months_ago,
        intake_seq=1,
        kind=SIX,
        completed_on=today(),
        outcome="reached",
        method="video",
    )
    assert (row.completed_on, row.outcome) == (today(), "reached")
    item = by_kind(six_months_ago)[(1, SIX)]
    assert item.state == FollowUpState.COMPLETED
    assert item.counts_toward_rate
    assert row.attempts.get().method == "video"
    with pytest.raises(ValidationError) as again:
        followup_complete(
            actor=peer,
            participant=six_months_ago,
            intake_seq=1,
            kind=SIX,
            completed_on=today(),
            outcome="reached",
        )
    assert "already completed" in again.value.message_dict["followup"][0]


def test_discharge_ends_the_episode_and_makes_the_discharge_interview_due(actor_of, six_months_ago):
    peer = actor_of("rco_a_peer")
    episode = participant_discharge(
        actor=peer, participant=six_months_ago, on=today(), reason="completed_goals"
    )
    six_months_ago.refresh_from_db()
    assert six_months_ago.status == ParticipantStatus.DISCHARGED
    assert (episode.ended_on, episode.discharge_reason) == (today(), "completed_goals")
    found = by_kind(six_months_ago)
    discharge = found[(1, InterviewType.DISCHARGE)]
    assert discharge.state == FollowUpState.OPEN
    assert discharge.window_closes_on == today() + timedelta(days=30)
    assert found[(1, SIX)].state == FollowUpState.OPEN  # the 6-month still stands
    with pytest.raises(ValidationError) as twice:
        participant_discharge(actor=peer, participant=six_months_ago, on=today(), reason="moved")
    assert "already discharged" in twice.value.messages[0]


def test_discharge_needs_a_real_date_a_listed_reason_and_a_note_for_other(actor_of, enrol):
    person = enrol("rco_a_peer", "Sam", "Okafor", enrolled_on=today() - timedelta(days=10))
    peer = actor_of("rco_a_peer")
    with pytest.raises(ValidationError) as bad:
        participant_discharge(
            actor=peer, participant=person, on=today() - timedelta(days=11), reason="vanished"
        )
    assert set(bad.value.message_dict) == {"on", "reason"}
    with pytest.raises(ValidationError) as other:
        participant_discharge(actor=peer, participant=person, on=today(), reason="other")
    assert set(other.value.message_dict) == {"note"}
    person.refresh_from_db()
    assert person.status == ParticipantStatus.ACTIVE
    assert Episode.objects.get(participant=person).ended_on is None


def test_re_enrolment_starts_the_next_intake_with_its_own_schedule(actor_of, enrol):
    person = enrol("rco_a_peer", "Sam", "Okafor", enrolled_on=today() - timedelta(days=60))
    peer = actor_of("rco_a_peer")
    with pytest.raises(ValidationError) as active:
        participant_reenrol(actor=peer, participant=person, on=today(), reason="Wants support")
    assert "enrolled now" in active.value.messages[0]
    participant_discharge(
        actor=peer, participant=person, on=today() - timedelta(days=40), reason="not_reached"
    )
    with pytest.raises(ValidationError) as no_reason:
        participant_reenrol(actor=peer, participant=person, on=today(), reason=" ")
    assert set(no_reason.value.message_dict) == {"reason"}

    episode = participant_reenrol(
        actor=peer, participant=person, on=today(), reason="Back in town and wants a peer"
    )

    person.refresh_from_db()
    assert person.status == ParticipantStatus.ACTIVE
    assert episode.intake_seq == 2
    found = by_kind(person)
    assert found[(2, InterviewType.INTAKE)].state == FollowUpState.OPEN
    assert found[(2, SIX)].due_on == add_months(today(), 6)
    # Episode 1's 6-month window had not opened: the new intake replaces it.
    assert (1, SIX) not in found
    assert (1, InterviewType.DISCHARGE) in found


def test_the_follow_up_rate_is_completed_in_window_over_due(actor_of, enrol):
    peer = actor_of("rco_a_peer")
    start = add_months(today(), -6)
    people = [
        enrol("rco_a_peer", first, "Rivera", enrolled_on=start, confirmed_not_duplicate=True)
        for first in ("Ana", "Ben", "Cy", "Dee")
    ]
    enrol("rco_a_peer", "Eve", "Stone", enrolled_on=today())  # due in six months: not counted
    followup_complete(
        actor=peer,
        participant=people[0],
        intake_seq=1,
        kind=SIX,
        completed_on=today(),
        outcome="reached",
    )
    followup_complete(
        actor=peer,
        participant=people[1],
        intake_seq=1,
        kind=SIX,
        completed_on=today(),
        outcome="declined",
    )
    rate = followup_rate(
        organization=people[0].organization,
        first=today() - timedelta(days=3),
        last=today() + timedelta(days=3),
    )
    assert (rate.due, rate.completed_in_window, rate.window_still_open) == (4, 1, 2)
    assert rate.rate == 0.25


def test_followups_in_window_lists_open_and_recently_overdue_ones_by_window_close(
    world, actor_of, enrol
):
    now = today()
    overdue = enrol("rco_a_peer", "Ola", "Due", enrolled_on=add_months(now, -6) - timedelta(65))
    long_gone = enrol("rco_a_peer", "Old", "Gone", enrolled_on=add_months(now, -12))
    open_six = enrol("rco_a_peer", "Ida", "Open", enrolled_on=add_months(now, -6))
    fresh = enrol("rco_a_peer", "New", "Comer", enrolled_on=now - timedelta(days=2))
    done = enrol("rco_a_peer", "Don", "Done", enrolled_on=now - timedelta(days=5))
    enrol("rco_b_peer", "Else", "Where", enrolled_on=add_months(now, -6))
    followup_complete(
        actor=actor_of("rco_a_peer"),
        participant=done,
        intake_seq=1,
        kind=InterviewType.INTAKE,
        completed_on=now,
        outcome="reached",
    )
    org = world.orgs["rco_a"]

    with CaptureQueriesContext(connection) as queries:
        found = followups_in_window(organization=org, on=now)

    assert len(queries) <= 4
    listed = [(i.participant.legal_first_name, i.kind, i.state) for i in found]
    assert listed == [
        ("Ola", SIX, FollowUpState.OVERDUE),
        ("New", InterviewType.INTAKE, FollowUpState.OPEN),
        ("Ida", SIX, FollowUpState.OPEN),
    ]
    assert long_gone.pk not in {i.participant.pk for i in found}
    closes = [i.window_closes_on for i in found]
    assert closes == sorted(closes)
    mine = followups_in_window(organization=org, on=now, participant_ids=[open_six.pk, fresh.pk])
    assert {i.participant.pk for i in mine} == {open_six.pk, fresh.pk}
    everything = followups_in_window(organization=org, on=now, overdue_within_days=None)
    assert long_gone.pk in {i.participant.pk for i in everything}
    assert overdue.pk in {i.participant.pk for i in everything}


def test_the_section_shows_status_episode_and_next_follow_up_only_to_the_persons_org(
    actor_of, six_months_ago
):
    section = participant_section(actor=actor_of("rco_a_supervisor"), participant=six_months_ago)
    assert section["followups_status_label"] == "Active"
    episode = section["followups_episode"]
    assert isinstance(episode, Episode) and episode.intake_seq == 1
    next_one = section["followups_next"]
    assert isinstance(next_one, FollowUpItem)
    assert (next_one.kind, next_one.state) == (SIX, FollowUpState.OPEN)
    with pytest.raises(Http404):
        participant_section(actor=actor_of("rco_b_peer"), participant=six_months_ago)
    assert AuditEvent.objects.filter(
        username="rco_b_peer", outcome=AuditEvent.Outcome.DENIED
    ).exists()


def test_another_organizations_staff_cannot_record_discharge_or_re_enrol(actor_of, six_months_ago):
    from rosc.accounts.services import PermissionDenied

    outsider = actor_of("rco_b_peer")
    with pytest.raises(PermissionDenied):
        followup_attempt_record(
            actor=outsider,
            participant=six_months_ago,
            intake_seq=1,
            kind=SIX,
            attempted_on=today(),
            method="text",
            outcome="reached",
        )
    with pytest.raises(PermissionDenied):
        participant_discharge(
            actor=outsider, participant=six_months_ago, on=today(), reason="moved"
        )
    assert not FollowUpAttempt.objects.exists()


def test_an_organization_admin_sets_the_schedule_but_not_below_the_federal_minimum(
    world, actor_of, six_months_ago
):
    admin = actor_of("rco_a_admin")
    program_update(actor=admin, three_month=True, window_after_days=30)
    assert Program.objects.get(organization=world.orgs["rco_a"]).three_month
    found = by_kind(six_months_ago)
    assert found[(1, InterviewType.THREE_MONTH)].state == FollowUpState.OVERDUE
    six = found[(1, SIX)]
    assert six.window_closes_on == six.due_on + timedelta(days=30)
    with pytest.raises(ValidationError):
        program_update(actor=admin, six_month=False)
