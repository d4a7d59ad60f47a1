"""The plan pages: writing and editing through the form, conflicts, review, print, and who may."""

import re
from typing import Any

import pytest

from rosc.core.models import AuditEvent
from rosc.plans.models import PlanReview, PlanVersion, RecoveryPlan


def plan_url(participant: Any, part: str = "") -> str:
    return f"/participants/{participant.public_id}/plan/{part}"


def form_data(
    base_version: int | str = "",
    meaning: str = "Being someone my kids can count on",
    goals: list[dict[str, Any]] | None = None,
    **extra: str,
) -> dict[str, str]:
    """What the edit page sends: the plan fields, and each goal with its steps."""
    goals = (
        goals
        if goals is not None
        else [
            {
                "domain": "housing",
                "text": "A place of my own",
                "status": "in_progress",
                "steps": [{"text": "Call the housing office", "who_helps": "Ana"}],
            }
        ]
    )
    data = {
        "base_version": str(base_version),
        "meaning": meaning,
        "strengths": "I keep going",
        "change_note": "",
        "goal_count": str(len(goals)),
        "save": "1",
        **extra,
    }
    for i, goal in enumerate(goals):
        steps = goal.get("steps", [])
        data[f"goal-{i}-step_count"] = str(len(steps))
        data[f"goal-{i}-key"] = goal.get("key", "")
        for name in ("domain", "text"):
            data[f"goal-{i}-{name}"] = goal.get(name, "")
        data[f"goal-{i}-status"] = goal.get("status", "not_started")
        for j, step in enumerate(steps):
            prefix = f"goal-{i}-step-{j}"
            for name in ("text", "who_helps", "target_date"):
                data[f"{prefix}-{name}"] = step.get(name, "")
            data[f"{prefix}-status"] = step.get("status", "not_started")
    return data


def events_since(since: int, **filters: Any):
    return AuditEvent.objects.filter(id__gt=since, **filters)


def last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_a_peer_writes_a_plan_through_the_form_and_sees_it_by_life_domain(as_persona, maria):
    peer = as_persona("rco_a_peer")
    page = peer.get(plan_url(maria))
    assert "has no recovery plan yet" in page.content.decode()
    form = peer.get(plan_url(maria, "edit/"))
    assert form.status_code == 200
    assert 'name="base_version"' in form.content.decode()

    response = peer.post(plan_url(maria, "edit/"), form_data())
    assert response.status_code == 302
    version = PlanVersion.objects.get()
    assert version.saved_by is not None
    assert (version.number, version.saved_by.username) == (1, "rco_a_peer")
    step = version.goals.get().steps.get()
    assert (step.text, step.who_helps) == ("Call the housing office", "Ana")

    page = peer.get(plan_url(maria)).content.decode()
    assert "Being someone my kids can count on" in page
    assert "Housing" in page and "A place of my own" in page
    assert "Who helps: Ana" in page
    assert "Not reviewed yet." in page


def test_the_edit_page_starts_from_the_version_in_use(as_persona, maria, first_plan):
    first_plan()
    page = as_persona("rco_a_peer").get(plan_url(maria, "edit/")).content.decode()
    assert re.search(r'name="base_version" value="1"', page)
    assert "A place of my own where my kids can visit" in page
    assert "Fill in the housing application" in page


def test_adding_a_goal_or_a_step_keeps_what_was_typed_and_saves_nothing(as_persona, maria):
    peer = as_persona("rco_a_peer")
    data = form_data(meaning="Typed before adding")
    data.pop("save")
    page = peer.post(plan_url(maria, "edit/"), {**data, "add_goal": "1"}).content.decode()
    assert 'name="goal-1-text"' in page
    assert "Typed before adding" in page
    assert "There is a problem" not in page
    page = peer.post(plan_url(maria, "edit/"), {**data, "add_step": "0"}).content.decode()
    assert 'name="goal-0-step-1-text"' in page
    assert "Call the housing office" in page
    assert not RecoveryPlan.objects.exists()


def test_a_goal_without_text_and_a_date_that_does_not_exist_are_shown_by_their_fields(
    as_persona, maria
):
    goals: list[dict[str, Any]] = [
        {"domain": "legal", "text": "", "steps": []},
        {
            "domain": "housing",
            "text": "Move out of the shelter",
            "steps": [{"text": "Apply", "target_date": "2027-02-30"}],
        },
    ]
    response = as_persona("rco_a_peer").post(plan_url(maria, "edit/"), form_data(goals=goals))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error:" in page
    assert "Goal 1, The goal, in the person&#x27;s words: Write the goal" in page
    assert 'href="#id_goal-0-text"' in page
    assert "Enter a real date, for example 2026-03-31." in page
    assert 'href="#id_goal-1-step-0-target_date"' in page
    assert 'aria-invalid="true"' in page
    assert "Move out of the shelter" in page
    assert not PlanVersion.objects.exists()


def test_a_year_far_off_is_refused_by_the_service_and_shown_by_the_step(as_persona, maria):
    goals = [
        {
            "domain": "housing",
            "text": "Keys to my own door",
            "steps": [{"text": "Apply", "target_date": "2999-01-01"}],
        }
    ]
    page = as_persona("rco_a_peer").post(plan_url(maria, "edit/"), form_data(goals=goals))
    assert page.status_code == 200
    assert 'href="#id_goal-0-step-0-target_date"' in page.content.decode()
    assert "Please check the year" in page.content.decode()
    assert not PlanVersion.objects.exists()


def test_the_second_of_two_staff_saving_at_once_is_told_what_changed_and_keeps_their_input(
    as_persona, maria, first_plan
):
    first_plan()
    peer, supervisor = as_persona("rco_a_peer"), as_persona("rco_a_supervisor")
    # Both opened the edit page on version 1; the supervisor saves first.
    assert (
        supervisor.post(
            plan_url(maria, "edit/"),
            form_data(base_version=1, meaning="Supervisor's change: peace at home"),
        ).status_code
        == 302
    )
    response = peer.post(
        plan_url(maria, "edit/"), form_data(base_version=1, meaning="My own words, typed slowly")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone saved a newer version while you were editing — here is what changed" in page
    assert "Version 2 was saved" in page and "Rco A Supervisor" in page
    assert "Supervisor&#x27;s change: peace at home" in page
    assert "My own words, typed slowly" in page  # nothing of theirs is lost
    assert re.search(r'name="base_version" value="2"', page)
    assert PlanVersion.objects.count() == 2
    assert not PlanVersion.objects.filter(meaning="My own words, typed slowly").exists()

    # Saving again goes on top of the newer version.
    again = peer.post(
        plan_url(maria, "edit/"), form_data(base_version=2, meaning="My own words, typed slowly")
    )
    assert again.status_code == 302
    assert RecoveryPlan.objects.get().current_version == 3
    assert PlanVersion.objects.get(number=3).meaning == "My own words, typed slowly"


def test_versions_stay_as_saved_and_each_has_its_own_page(as_persona, maria, first_plan):
    v1 = first_plan()
    peer = as_persona("rco_a_peer")
    peer.post(plan_url(maria, "edit/"), form_data(base_version=1, meaning="Second version"))
    history = peer.get(plan_url(maria, "versions/")).content.decode()
    assert "Version 2 (in use)" in history and "Version 1" in history
    page = peer.get(plan_url(maria, f"versions/{v1.public_id}/")).content.decode()
    assert "Waking up and liking who I see" in page
    assert "an earlier version" in page
    assert "The first version of the plan." in page


def test_a_supervisor_reviews_a_version_and_a_peer_may_not(as_persona, maria, first_plan):
    version = first_plan()
    url = plan_url(maria, f"versions/{version.public_id}/review/")
    peer = as_persona("rco_a_peer")
    since = last_id()
    assert peer.get(url).status_code == 404
    assert peer.post(url, {"comment": "Looks good to me"}).status_code == 404
    assert (
        events_since(since, username="rco_a_peer", outcome=AuditEvent.Outcome.DENIED).count() == 2
    )
    assert not PlanReview.objects.exists()
    assert "Review this version" not in peer.get(plan_url(maria)).content.decode()

    supervisor = as_persona("rco_a_supervisor")
    assert "Review this version" in supervisor.get(plan_url(maria)).content.decode()
    assert supervisor.get(url).status_code == 200
    response = supervisor.post(url, {"comment": "Strong housing steps. Ask about transport."})
    assert response.status_code == 302
    review = PlanReview.objects.get()
    assert (review.reviewer.username, review.version_id) == ("rco_a_supervisor", version.pk)
    page = peer.get(plan_url(maria)).content.decode()
    assert "Reviewed by Rco A Supervisor" in page
    assert "Strong housing steps. Ask about transport." in page


@pytest.mark.parametrize("purpose, part", [("view", ""), ("print", "print/"), ("edit", "edit/")])
def test_each_read_of_the_plan_is_in_the_audit_trail(as_persona, maria, first_plan, purpose, part):
    version = first_plan()
    since = last_id()
    assert as_persona("rco_a_peer").get(plan_url(maria, part)).status_code == 200
    event = events_since(
        since, username="rco_a_peer", action=AuditEvent.Action.VIEW, outcome=AuditEvent.Outcome.OK
    ).get()
    assert (event.record_type, event.record_id, event.subject_id) == (
        "plans.planversion",
        str(version.public_id),
        str(maria.public_id),
    )
    assert event.detail["purpose"] == purpose


def test_reading_one_version_and_the_history_is_audited(as_persona, maria, first_plan):
    version = first_plan()
    peer = as_persona("rco_a_peer")
    since = last_id()
    peer.get(plan_url(maria, f"versions/{version.public_id}/"))
    peer.get(plan_url(maria, "versions/"))
    events = events_since(since, username="rco_a_peer", outcome=AuditEvent.Outcome.OK).order_by(
        "id"
    )
    assert list(events.values_list("action", "record_type")) == [
        (AuditEvent.Action.VIEW, "plans.planversion"),
        (AuditEvent.Action.LIST, "plans.planversion"),
    ]


def test_another_organizations_peer_gets_404_and_a_denied_event_on_every_plan_route(
    as_persona, maria, first_plan
):
    version = first_plan()
    other = as_persona("rco_b_supervisor")
    gets = [
        plan_url(maria),
        plan_url(maria, "edit/"),
        plan_url(maria, "print/"),
        plan_url(maria, "versions/"),
        plan_url(maria, f"versions/{version.public_id}/"),
        plan_url(maria, f"versions/{version.public_id}/review/"),
    ]
    for url in gets:
        since = last_id()
        response = other.get(url)
        assert response.status_code == 404, url
        assert "Waking up" not in response.content.decode()
        assert events_since(
            since, username="rco_b_supervisor", outcome=AuditEvent.Outcome.DENIED
        ).exists(), url
    since = last_id()
    assert other.post(plan_url(maria, "edit/"), form_data(base_version=1)).status_code == 404
    review = plan_url(maria, f"versions/{version.public_id}/review/")
    assert other.post(review, {"comment": "x"}).status_code == 404
    assert (
        events_since(since, username="rco_b_supervisor", outcome=AuditEvent.Outcome.DENIED).count()
        == 2
    )
    assert PlanVersion.objects.count() == 1
    assert not PlanReview.objects.exists()


def test_a_version_of_another_persons_plan_is_not_found_under_this_person(
    as_persona, enrol, maria, first_plan, actor_of
):
    version = first_plan()
    sam = enrol("rco_a_peer", "Sam", "Osei")
    since = last_id()
    response = as_persona("rco_a_peer").get(plan_url(sam, f"versions/{version.public_id}/"))
    assert response.status_code == 404
    assert events_since(since, outcome=AuditEvent.Outcome.DENIED).exists()


def test_the_printable_copy_speaks_to_the_person_and_leaves_out_staff_notes(
    as_persona, maria, first_plan
):
    first_plan()
    page = as_persona("rco_a_peer").get(plan_url(maria, "print/")).content.decode()
    assert "My recovery plan" in page
    assert "What recovery means to me" in page and "My goals" in page
    assert "Who helps: my peer coach" in page
    assert "By: March 31, 2030" in page
    assert "This plan is yours" in page
    assert "Our first plan" not in page  # the change note is for staff
    assert 'class="print-document plan-print"' in page
