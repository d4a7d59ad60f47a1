"""Saving, versioning, optimistic concurrency, review, and the building blocks for the caseload."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.loader import render_to_string

from rosc.accounts.services import PermissionDenied
from rosc.core.models import AppendOnlyError, AuditEvent
from rosc.people.models import LifeDomain
from rosc.plans import selectors
from rosc.plans.models import PlanGoal, PlanReview, PlanStep, PlanVersion, Progress, RecoveryPlan
from rosc.plans.services import (
    CONFLICT_CODE,
    GoalData,
    PlanConflict,
    StepData,
    plan_review,
    plan_save,
)
from rosc.plans.tests.conftest import housing_goal


def test_editing_a_plan_saves_version_2_and_leaves_version_1_as_it_was(actor_of, maria, first_plan):
    v1 = first_plan()
    v2 = plan_save(
        actor=actor_of("rco_a_supervisor"),
        participant=maria,
        base_version=1,
        meaning=v1.meaning,
        strengths=v1.strengths,
        goals=[
            housing_goal(key=v1.goals.get().key, status=Progress.DONE),
            GoalData(LifeDomain.EMPLOYMENT_EDUCATION, "Finish my GED", steps=()),
        ],
        change_note="Housing goal done; a new one for school",
    )
    assert (v2.number, RecoveryPlan.objects.get().current_version) == (2, 2)
    v1 = PlanVersion.objects.get(pk=v1.pk)
    assert [(g.text, g.status) for g in v1.goals.all()] == [
        ("A place of my own where my kids can visit", Progress.IN_PROGRESS)
    ]
    assert [g.status for g in v2.goals.all()] == [Progress.DONE, Progress.NOT_STARTED]
    # The same goal keeps its key from one version to the next.
    assert v2.goals.all()[0].key == v1.goals.get().key
    assert v2.saved_by is not None and v2.saved_by.username == "rco_a_supervisor"


def test_a_saved_version_its_goals_and_steps_refuse_to_change(first_plan):
    v1 = first_plan()
    v1.meaning = "Something else"
    with pytest.raises(AppendOnlyError):
        v1.save()
    with pytest.raises(AppendOnlyError):
        PlanGoal.objects.filter(version=v1).update(text="changed")
    with pytest.raises(AppendOnlyError):
        PlanStep.objects.filter(goal__version=v1).delete()


def test_two_staff_saving_on_the_same_version_the_second_is_told_and_nothing_is_saved(
    actor_of, maria, first_plan
):
    first_plan()
    plan_save(
        actor=actor_of("rco_a_peer"),
        participant=maria,
        base_version=1,
        meaning="Peace with my family",
        strengths="",
        goals=[housing_goal()],
    )
    with pytest.raises(PlanConflict) as refused:
        plan_save(
            actor=actor_of("rco_a_supervisor"),
            participant=maria,
            base_version=1,
            meaning="Working again",
            strengths="",
            goals=[],
        )
    error = refused.value
    assert isinstance(error, ValidationError)
    assert error.error_dict["base_version"][0].code == CONFLICT_CODE
    assert "Someone saved a newer version of this plan while you were editing" in str(
        error.message_dict["base_version"]
    )
    assert error.current_version == 2
    assert PlanVersion.objects.count() == 2
    assert RecoveryPlan.objects.get().current_version == 2
    assert not PlanVersion.objects.filter(meaning="Working again").exists()


def test_starting_a_second_first_plan_is_a_conflict_too(actor_of, maria, first_plan):
    first_plan()
    with pytest.raises(PlanConflict):
        plan_save(
            actor=actor_of("rco_a_supervisor"),
            participant=maria,
            base_version=None,
            meaning="Mine",
            strengths="",
            goals=[],
        )
    assert PlanVersion.objects.count() == 1


def test_a_goal_without_text_or_domain_and_a_bad_target_date_are_field_errors(actor_of, maria):
    goals = [
        GoalData(LifeDomain.HOUSING, "  "),
        GoalData(
            "moon",
            "Get to work on time",
            steps=(StepData("Bus pass", target_date=date(1899, 1, 1)), StepData("")),
        ),
    ]
    with pytest.raises(ValidationError) as refused:
        plan_save(
            actor=actor_of("rco_a_peer"),
            participant=maria,
            base_version=None,
            meaning="x",
            strengths="",
            goals=goals,
        )
    errors = refused.value.message_dict
    assert errors["goals.0.text"] == ["Write the goal, in the person's own words."]
    assert errors["goals.1.domain"] == ["Choose the life domain this goal belongs to."]
    assert "Please check the year" in errors["goals.1.steps.0.target_date"][0]
    assert errors["goals.1.steps.1.text"] == ["Describe the step."]
    assert not RecoveryPlan.objects.exists()
    assert not PlanVersion.objects.exists()


def test_an_empty_plan_or_an_unchanged_save_is_refused(actor_of, maria, first_plan):
    with pytest.raises(ValidationError) as empty:
        plan_save(
            actor=actor_of("rco_a_peer"),
            participant=maria,
            base_version=None,
            meaning=" ",
            strengths="",
            goals=[],
        )
    assert "meaning" in empty.value.message_dict
    v1 = first_plan()
    with pytest.raises(ValidationError) as same:
        plan_save(
            actor=actor_of("rco_a_peer"),
            participant=maria,
            base_version=1,
            meaning=v1.meaning,
            strengths=v1.strengths,
            goals=[housing_goal()],
        )
    assert "Nothing has changed since version 1" in same.value.message_dict["meaning"][0]


def test_another_organizations_peer_cannot_save_a_plan(actor_of, maria):
    with pytest.raises(PermissionDenied):
        plan_save(
            actor=actor_of("rco_b_peer"),
            participant=maria,
            base_version=None,
            meaning="x",
            strengths="",
            goals=[],
        )
    assert not RecoveryPlan.objects.exists()


def test_a_supervisor_reviews_the_version_in_use_and_it_no_longer_waits(
    actor_of, maria, first_plan
):
    version = first_plan()
    assert [v.pk for v in selectors.plans_awaiting_review(organization=maria.organization)] == [
        version.pk
    ]
    review = plan_review(actor=actor_of("rco_a_supervisor"), version=version, comment="Warm.")
    assert review.reviewer.username == "rco_a_supervisor"
    assert selectors.plans_awaiting_review(organization=maria.organization) == []
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, record_type="plans.planreview", username="rco_a_supervisor"
    ).exists()


def test_an_org_admin_may_review_but_a_peer_or_another_organizations_supervisor_may_not(
    actor_of, first_plan
):
    version = first_plan()
    for persona in ("rco_a_peer", "rco_b_supervisor", "provider_admin"):
        with pytest.raises(PermissionDenied):
            plan_review(actor=actor_of(persona), version=version, comment="")
    assert not PlanReview.objects.exists()
    plan_review(actor=actor_of("rco_a_admin"), version=version, comment="")
    assert PlanReview.objects.count() == 1


def test_plans_awaiting_review_lists_the_version_in_use_oldest_first(
    actor_of, enrol, maria, first_plan
):
    first_plan()
    sam = enrol("rco_a_peer", "Sam", "Osei")
    plan_save(
        actor=actor_of("rco_a_peer"),
        participant=sam,
        base_version=None,
        meaning="One day at a time",
        strengths="",
        goals=[],
    )
    plan_save(
        actor=actor_of("rco_a_peer"),
        participant=maria,
        base_version=1,
        meaning="Changed my mind about what it means",
        strengths="",
        goals=[],
    )
    waiting = selectors.plans_awaiting_review(organization=maria.organization)
    assert [(v.participant.legal_first_name, v.number) for v in waiting] == [
        ("Sam", 1),
        ("Maria", 2),
    ]
    assert (
        selectors.plans_awaiting_review(organization=enrol("rco_b_peer", "A", "B").organization)
        == []
    )


def test_participant_section_counts_goals_by_status_and_audits_the_plan_read(
    actor_of, maria, first_plan
):
    first_plan(
        goals=[
            housing_goal(),
            GoalData(LifeDomain.LEGAL, "Get my license back", status=Progress.DONE),
            GoalData(LifeDomain.FINANCES, "Save a little", status=Progress.SET_ASIDE),
        ]
    )
    actor = actor_of("rco_a_peer")
    before = AuditEvent.objects.count()
    section = selectors.participant_section(actor=actor, participant=maria)
    assert section["plan_goal_total"] == 3
    assert section["plan_goal_counts"] == [
        ("in_progress", "Working on it", 1),
        ("done", "Done", 1),
        ("set_aside", "Set aside for now", 1),
    ]
    assert section["plan_awaiting_review"] is True
    assert section["plan_can_review"] is False
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert event is not None
    assert (event.action, event.record_type, event.subject_id) == (
        AuditEvent.Action.VIEW,
        "plans.planversion",
        str(maria.public_id),
    )


def test_participant_section_refuses_another_organizations_actor(actor_of, maria):
    with pytest.raises(Http404):
        selectors.participant_section(actor=actor_of("rco_b_supervisor"), participant=maria)
    assert AuditEvent.objects.filter(
        username="rco_b_supervisor", outcome=AuditEvent.Outcome.DENIED
    ).exists()


def test_what_changed_between_versions_reads_in_plain_words(actor_of, maria, first_plan):
    v1 = first_plan()
    key = v1.goals.get().key
    v2 = plan_save(
        actor=actor_of("rco_a_peer"),
        participant=maria,
        base_version=1,
        meaning=v1.meaning,
        strengths="Ana, and my dog",
        goals=[
            housing_goal(key=key, status=Progress.DONE, steps=()),
            GoalData(LifeDomain.TRANSPORTATION, "Get a bus pass"),
        ],
    )
    changes = [(c.what, c.detail) for c in selectors.version_changes(v1, v2)]
    assert ("“My strengths” now reads:", "Ana, and my dog") in changes
    assert ("New goal (Transportation):", "Get a bus pass") in changes
    changed = next(d for w, d in changes if w.startswith("Goal changed (Housing)"))
    assert "now “Done”" in changed
    assert "step taken out: Fill in the housing application" in changed


def test_the_participant_page_section_shows_the_plan_summary_and_actions(
    actor_of, maria, first_plan
):
    version = first_plan()
    supervisor = actor_of("rco_a_supervisor")
    section = selectors.participant_section(actor=supervisor, participant=maria)
    html = render_to_string("plans/_participant_section.html", {**section, "participant": maria})
    assert "<h2" in html and "Recovery plan" in html
    assert "1 goal — Working on it: 1" in html
    assert "Waiting for a supervisor" in html
    assert f"/plan/versions/{version.public_id}/review/" in html
    assert "Printable copy" in html


def test_the_section_offers_to_write_a_plan_when_there_is_none(actor_of, maria):
    section = selectors.participant_section(actor=actor_of("rco_a_peer"), participant=maria)
    html = render_to_string("plans/_participant_section.html", {**section, "participant": maria})
    assert "No plan yet." in html and "Write a plan" in html
