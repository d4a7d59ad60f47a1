"""BARC-10 as shipped, scoring, and every way a check-in can be refused (nothing saved)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rosc.accounts.services import PermissionDenied
from rosc.assessments import barc10 as barc10_data
from rosc.assessments.models import Assessment, Instrument, Occasion
from rosc.assessments.selectors import shipped_barc10
from rosc.assessments.services import assessment_record, instrument_problems
from rosc.assessments.tests.conftest import answers_all
from rosc.core.models import AuditEvent

# Standards §3, word for word.
BARC10_ITEMS = [
    "There are more important things to me in life than using substances.",
    "In general I am happy with my life.",
    "I have enough energy to complete the tasks I set myself.",
    "I am proud of the community I live in and feel part of it.",
    "I get lots of support from friends.",
    "I regard my life as challenging and fulfilling without the need for using drugs or alcohol.",
    "My living space has helped to drive my recovery journey.",
    "I take full responsibility for my actions.",
    "I am happy dealing with a range of professional people.",
    "I am making good progress on my recovery journey.",
]
TODAY = timezone.localdate()
A_YEAR_AGO = TODAY - timedelta(days=365)


def test_barc10_is_shipped_with_the_published_items_scale_and_cutoff(barc10):
    assert barc10.owner is None and barc10.is_active
    assert [item["text"] for item in barc10.items] == BARC10_ITEMS
    assert not any(item["reverse"] for item in barc10.items)
    assert [(s["value"], s["label"]) for s in barc10.scale] == [
        (1, "Strongly disagree"),
        (2, "Disagree"),
        (3, "Somewhat disagree"),
        (4, "Somewhat agree"),
        (5, "Agree"),
        (6, "Strongly agree"),
    ]
    assert (barc10.score_min, barc10.score_max) == (10, 60)
    assert barc10.cutoff == 47
    assert "Vilsaint" in barc10.citation and "Drug and Alcohol Dependence" in barc10.citation
    assert "Vilsaint" in barc10.cutoff_source
    # The paper validates one total: no bands, nothing presented as validated that is not.
    assert barc10.bands == []
    assert instrument_problems(barc10_data.fields()) == {}


def test_barc10_is_there_once_however_often_it_is_asked_for(db):
    assert shipped_barc10().pk == shipped_barc10().pk
    assert Instrument.objects.filter(code="BARC-10", owner=None).count() == 1


@pytest.mark.parametrize(("value", "total"), [(1, 10), (6, 60), (4, 40)])
def test_the_total_is_the_sum_of_the_answers(world, enrol, record, value, total):
    person = enrol("rco_a_peer", "Maria", "Garcia", enrolled_on=A_YEAR_AGO)
    assert record("rco_a_peer", person, on=TODAY, value=value).total == total


def test_a_mixed_set_of_answers_adds_up_exactly(world, enrol, record):
    person = enrol("rco_a_peer", "Maria", "Garcia", enrolled_on=A_YEAR_AGO)
    answers = {str(i): v for i, v in enumerate([1, 2, 3, 4, 5, 6, 6, 5, 4, 3], 1)}
    check_in = record("rco_a_peer", person, on=TODAY, answers=answers)
    assert check_in.total == 39
    assert check_in.answers == answers
    assert check_in.organization == world.orgs["rco_a"]
    assert check_in.taken_by == world.users["rco_a_peer"]


def test_recording_is_audited_without_the_score_in_the_trail(world, enrol, record):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    check_in = record("rco_a_peer", person, on=TODAY, value=5)
    event = AuditEvent.objects.get(record_id=str(check_in.public_id))
    assert event.action == AuditEvent.Action.CREATE
    assert event.subject_id == str(person.public_id)
    assert event.record_organization_id == world.orgs["rco_a"].public_id
    assert "total" not in event.detail and "50" not in str(event.detail)


@pytest.mark.parametrize("bad", [0, 7, -1, 60, "5", 4.5, True, None, ""])
def test_an_answer_off_the_scale_is_refused_next_to_its_item_and_nothing_is_saved(
    world, enrol, barc10, actor_of, bad
):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    answers = answers_all(4)
    answers["3"] = bad
    with pytest.raises(ValidationError) as caught:
        assessment_record(
            actor=actor_of("rco_a_peer"),
            participant=person,
            instrument=barc10,
            taken_on=TODAY,
            occasion=Occasion.INTAKE,
            answers=answers,
        )
    assert set(caught.value.message_dict) == {"item_3"}
    assert "3" in caught.value.message_dict["item_3"][0]
    assert not Assessment.objects.exists()


def test_every_missing_answer_gets_its_own_error(world, enrol, barc10, actor_of):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    with pytest.raises(ValidationError) as caught:
        assessment_record(
            actor=actor_of("rco_a_peer"),
            participant=person,
            instrument=barc10,
            taken_on=TODAY,
            occasion=Occasion.INTAKE,
            answers={"1": 5, "2": 5},
        )
    assert set(caught.value.message_dict) == {f"item_{i}" for i in range(3, 11)}
    assert not Assessment.objects.exists()


def test_answers_to_items_the_instrument_does_not_have_are_refused(world, enrol, barc10, actor_of):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    with pytest.raises(ValidationError) as caught:
        assessment_record(
            actor=actor_of("rco_a_peer"),
            participant=person,
            instrument=barc10,
            taken_on=TODAY,
            occasion=Occasion.INTAKE,
            answers={**answers_all(4), "11": 4},
        )
    assert set(caught.value.message_dict) == {"answers"}
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("taken_on", "message"),
    [
        (TODAY + timedelta(days=2), "cannot be in the future"),
        (A_YEAR_AGO - timedelta(days=1), "before the person was enrolled"),
        (None, "Give the date"),
    ],
)
def test_a_date_in_the_future_before_enrolment_or_missing_is_refused(
    world, enrol, barc10, actor_of, taken_on, message
):
    person = enrol("rco_a_peer", "Maria", "Garcia", enrolled_on=A_YEAR_AGO)
    with pytest.raises(ValidationError) as caught:
        assessment_record(
            actor=actor_of("rco_a_peer"),
            participant=person,
            instrument=barc10,
            taken_on=taken_on,
            occasion=Occasion.ROUTINE,
            answers=answers_all(4),
        )
    assert message in caught.value.message_dict["taken_on"][0]
    assert not Assessment.objects.exists()


def test_the_enrolment_day_itself_is_a_valid_check_in_day(world, enrol, record):
    person = enrol("rco_a_peer", "Maria", "Garcia", enrolled_on=A_YEAR_AGO)
    assert record("rco_a_peer", person, on=A_YEAR_AGO, occasion=Occasion.INTAKE).pk


def test_an_unknown_occasion_is_refused(world, enrol, barc10, actor_of):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    with pytest.raises(ValidationError) as caught:
        assessment_record(
            actor=actor_of("rco_a_peer"),
            participant=person,
            instrument=barc10,
            taken_on=TODAY,
            occasion="relapse",
            answers=answers_all(4),
        )
    assert set(caught.value.message_dict) == {"occasion"}


@pytest.mark.parametrize("persona", ["rco_b_peer", "council_coordinator", "network_admin"])
def test_only_the_enrolling_organizations_staff_may_record(world, enrol, barc10, actor_of, persona):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    with pytest.raises(PermissionDenied):
        assessment_record(
            actor=actor_of(persona),
            participant=person,
            instrument=barc10,
            taken_on=TODAY,
            occasion=Occasion.INTAKE,
            answers=answers_all(4),
        )
    assert not Assessment.objects.exists()


def test_the_same_day_may_hold_two_check_ins_and_both_are_kept(world, enrol, record):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    record("rco_a_peer", person, on=TODAY, value=3, occasion=Occasion.INTAKE)
    record("rco_a_peer", person, on=TODAY, value=4)
    assert sorted(Assessment.objects.values_list("total", flat=True)) == [30, 40]
