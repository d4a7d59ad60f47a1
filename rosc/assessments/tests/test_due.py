"""checkins_due: who is due for a check-in, around the interval boundary, in a few queries."""

from datetime import date, timedelta

from rosc.assessments.models import Occasion
from rosc.assessments.selectors import checkins_due
from rosc.assessments.services import assessment_settings_set, instrument_create
from rosc.people.models import Participant

START = date(2025, 1, 6)


def test_someone_never_checked_in_with_is_due_since_their_enrolment(world, enrol):
    person = enrol("rco_a_peer", "Maria", "Garcia", enrolled_on=START)
    org = world.orgs["rco_a"]
    assert checkins_due(organization=org, on=START) == {person.pk: START}
    assert checkins_due(organization=org, on=START - timedelta(days=1)) == {}


def test_the_intake_check_in_counts_and_the_next_is_due_90_days_later(world, enrol, record):
    person = enrol("rco_a_peer", "Maria", "Garcia", enrolled_on=START)
    record("rco_a_peer", person, on=START, occasion=Occasion.INTAKE)
    org = world.orgs["rco_a"]
    due = START + timedelta(days=90)
    assert checkins_due(organization=org, on=due - timedelta(days=1)) == {}
    assert checkins_due(organization=org, on=due) == {person.pk: due}
    assert checkins_due(organization=org, on=due + timedelta(days=30)) == {person.pk: due}


def test_the_latest_check_in_decides(world, enrol, record):
    person = enrol("rco_a_peer", "Maria", "Garcia", enrolled_on=START)
    record("rco_a_peer", person, on=START, occasion=Occasion.INTAKE)
    later = START + timedelta(days=100)
    record("rco_a_peer", person, on=later)
    org = world.orgs["rco_a"]
    assert checkins_due(organization=org, on=later + timedelta(days=89)) == {}
    assert checkins_due(organization=org, on=later + timedelta(days=90)) == {
        person.pk: later + timedelta(days=90)
    }


def test_an_organizations_own_interval_is_used(world, enrol, record, actor_of):
    assessment_settings_set(actor=actor_of("rco_a_admin"), checkin_interval_days=30)
    person_a = enrol("rco_a_peer", "Maria", "Garcia", enrolled_on=START)
    person_b = enrol("rco_b_peer", "Sam", "Okafor", enrolled_on=START)
    record("rco_a_peer", person_a, on=START, occasion=Occasion.INTAKE)
    record("rco_b_peer", person_b, on=START, occasion=Occasion.INTAKE)
    day_30 = START + timedelta(days=30)
    assert checkins_due(organization=world.orgs["rco_a"], on=day_30 - timedelta(days=1)) == {}
    assert checkins_due(organization=world.orgs["rco_a"], on=day_30) == {person_a.pk: day_30}
    # The other organization keeps the default of 90 days.
    assert checkins_due(organization=world.orgs["rco_b"], on=day_30) == {}


def test_only_the_organizations_active_people_and_those_asked_for_are_answered(
    world, enrol, record
):
    mine = enrol("rco_a_peer", "Maria", "Garcia", enrolled_on=START)
    also_mine = enrol("rco_a_peer", "Ana", "Lopez", enrolled_on=START)
    discharged = enrol("rco_a_peer", "Lee", "Park", enrolled_on=START)
    Participant.objects.filter(pk=discharged.pk).update(status="discharged")
    enrol("rco_b_peer", "Sam", "Okafor", enrolled_on=START)
    org = world.orgs["rco_a"]
    assert checkins_due(organization=org, on=START) == {mine.pk: START, also_mine.pk: START}
    assert checkins_due(organization=org, on=START, participant_ids=[mine.pk]) == {mine.pk: START}
    assert checkins_due(organization=org, on=START, participant_ids=[]) == {}


def test_a_check_in_with_another_instrument_does_not_reset_the_routine_one(
    world, enrol, record, actor_of
):
    other = instrument_create(
        actor=actor_of("rco_a_admin"),
        name="Two Questions",
        citation="Invented for tests.",
        items=["One.", "Two."],
        scale=[(1, "No"), (2, "Yes")],
    )
    person = enrol("rco_a_peer", "Maria", "Garcia", enrolled_on=START)
    record("rco_a_peer", person, on=START, instrument=other, answers={"1": 1, "2": 2})
    org = world.orgs["rco_a"]
    assert checkins_due(organization=org, on=START) == {person.pk: START}
    # Once the organization checks in with that instrument, it is the one that counts.
    assessment_settings_set(
        actor=actor_of("rco_a_admin"), checkin_interval_days=90, checkin_instrument=other
    )
    assert checkins_due(organization=org, on=START) == {}


def test_the_answer_takes_the_same_few_queries_for_one_person_or_many(
    world, enrol, record, django_assert_max_num_queries
):
    for i in range(12):
        person = enrol(
            "rco_a_peer", f"Person{i}", "Example", enrolled_on=START, confirmed_not_duplicate=True
        )
        if i % 2:
            record("rco_a_peer", person, on=START, occasion=Occasion.INTAKE)
    org = world.orgs["rco_a"]
    with django_assert_max_num_queries(3):
        due = checkins_due(organization=org, on=START + timedelta(days=90))
    assert len(due) == 12
