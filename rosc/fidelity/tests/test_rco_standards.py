"""RCO standards self-assessments: an RCO records, submits, the network reviews; kept over time."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from rosc.accounts.services import PermissionDenied
from rosc.core.models import AuditEvent
from rosc.fidelity import selectors, services
from rosc.fidelity.models import AssessmentStatus, RcoAssessment, ReviewDecision
from rosc.fidelity.services import AnswerData
from rosc.fidelity.standards import RCO_STANDARDS, Rating


def all_answers(rating: str = Rating.MET, **overrides: str) -> list[AnswerData]:
    return [
        AnswerData(
            standard=n,
            rating=overrides.get(str(n), rating),
            evidence=f"Evidence for {n}",
            evidence_url="https://example.org/bylaws" if n == 1 else "",
        )
        for n, _title in RCO_STANDARDS
    ]


def submitted(actor_of, persona: str = "rco_a_admin", **overrides: str) -> RcoAssessment:
    actor = actor_of(persona)
    assessment = services.rco_assessment_start(actor=actor, organization=actor.organization)
    return services.rco_assessment_save(
        actor=actor, assessment=assessment, answers=all_answers(**overrides), submit=True
    )


def post_answers(rating: str = "met", action: str = "submit", **overrides: str) -> dict[str, str]:
    data = {"action": action}
    for n, _title in RCO_STANDARDS:
        data[f"rating_{n}"] = overrides.get(str(n), rating)
        data[f"evidence_{n}"] = f"What shows standard {n}"
        data[f"evidence_url_{n}"] = ""
        data[f"notes_{n}"] = ""
    return data


def test_the_ten_standards_use_the_sources_wording():
    assert len(RCO_STANDARDS) == 10
    assert RCO_STANDARDS[1] == (2, "Led and governed by the recovery community")
    assert RCO_STANDARDS[9] == (10, "Code of ethics and grievance policies")


def test_an_rco_admin_starts_saves_and_submits_a_self_assessment(world, actor_of):
    actor = actor_of("rco_a_admin")
    draft = services.rco_assessment_start(actor=actor, organization=world.orgs["rco_a"])
    assert draft.status == AssessmentStatus.DRAFT
    assert draft.answers.count() == 10
    services.rco_assessment_save(
        actor=actor, assessment=draft, answers=all_answers(**{"4": ""}), submit=False
    )
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.DRAFT
    assert draft.answers.get(standard=1).evidence_url == "https://example.org/bylaws"
    services.rco_assessment_save(actor=actor, assessment=draft, answers=all_answers(), submit=True)
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.SUBMITTED
    assert draft.all_met is True
    assert draft.submitted_by == world.users["rco_a_admin"]
    events = AuditEvent.objects.filter(record_id=str(draft.public_id), username="rco_a_admin")
    assert set(events.values_list("action", flat=True)) == {"create", "update"}


def test_submitting_with_an_unanswered_standard_names_it_and_saves_nothing(world, actor_of):
    actor = actor_of("rco_a_supervisor")
    draft = services.rco_assessment_start(actor=actor, organization=world.orgs["rco_a"])
    with pytest.raises(ValidationError) as caught:
        services.rco_assessment_save(
            actor=actor, assessment=draft, answers=all_answers(**{"7": ""}), submit=True
        )
    assert list(caught.value.error_dict) == ["rating_7"]
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.DRAFT
    assert draft.answers.exclude(rating="").count() == 0


def test_a_peer_may_read_but_not_write_and_other_kinds_do_not_assess(world, actor_of):
    with pytest.raises(PermissionDenied):
        services.rco_assessment_start(
            actor=actor_of("rco_a_peer"), organization=world.orgs["rco_a"]
        )
    with pytest.raises(PermissionDenied):
        services.rco_assessment_start(
            actor=actor_of("rco_b_admin"), organization=world.orgs["rco_a"]
        )
    with pytest.raises(ValidationError):
        services.rco_assessment_start(
            actor=actor_of("provider_admin"), organization=world.orgs["provider"]
        )
    assessment = submitted(actor_of)
    org_id = world.orgs["rco_a"].public_id
    seen = selectors.rco_assessment_get(
        actor=actor_of("rco_a_peer"), organization_id=org_id, assessment_id=assessment.public_id
    )
    assert seen == assessment


def test_another_organizations_assessment_answers_404_and_is_audited_as_denied(
    world, actor_of, as_persona
):
    assessment = submitted(actor_of)
    rco_a, rco_b = world.orgs["rco_a"].public_id, world.orgs["rco_b"].public_id
    client = as_persona("rco_b_admin")
    assert client.get(f"/orgs/{rco_a}/rco-standards/{assessment.public_id}/").status_code == 404
    assert client.get(f"/orgs/{rco_b}/rco-standards/{assessment.public_id}/").status_code == 404
    assert client.get(f"/fidelity/review/{assessment.public_id}/").status_code == 404
    assert AuditEvent.objects.filter(
        username="rco_b_admin", outcome="denied", record_id=str(assessment.public_id)
    ).exists()


def test_a_new_assessment_starts_from_the_last_answers_and_compares_with_the_previous(
    world, actor_of
):
    first = submitted(actor_of, **{"5": Rating.PARTLY_MET})
    services.rco_assessment_review(
        actor=actor_of("network_admin"), assessment=first, decision="accept", comments="Thanks."
    )
    actor = actor_of("rco_a_admin")
    second = services.rco_assessment_start(actor=actor, organization=world.orgs["rco_a"])
    assert second.answers.get(standard=5).rating == Rating.PARTLY_MET
    services.rco_assessment_save(actor=actor, assessment=second, answers=all_answers(), submit=True)
    assert selectors.rco_assessment_previous(second) == first
    rows = selectors.rco_compare(second, first)
    changed = [r.number for r in rows if r.changed]
    assert changed == [5]


def test_only_one_assessment_is_open_at_a_time(world, actor_of):
    submitted(actor_of)
    with pytest.raises(ValidationError, match="already open"):
        services.rco_assessment_start(
            actor=actor_of("rco_a_supervisor"), organization=world.orgs["rco_a"]
        )


def test_network_admin_returns_with_comments_and_the_rco_resubmits(world, actor_of):
    assessment = submitted(actor_of)
    reviewer = actor_of("network_admin")
    with pytest.raises(ValidationError) as caught:
        services.rco_assessment_review(
            actor=reviewer, assessment=assessment, decision=ReviewDecision.RETURN, comments=" "
        )
    assert "comments" in caught.value.error_dict
    review = services.rco_assessment_review(
        actor=reviewer,
        assessment=assessment,
        decision=ReviewDecision.RETURN,
        comments="Please link the grievance policy.",
    )
    assert review.reviewed_by == world.users["network_admin"]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.RETURNED
    assert assessment.is_editable
    services.rco_assessment_save(
        actor=actor_of("rco_a_admin"), assessment=assessment, answers=all_answers(), submit=True
    )
    services.rco_assessment_review(
        actor=reviewer, assessment=assessment, decision=ReviewDecision.ACCEPT, comments=""
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.ACCEPTED
    assert assessment.accepted_at is not None
    assert assessment.reviews.count() == 2
    event = AuditEvent.objects.filter(username="network_admin", action="update").first()
    assert event is not None
    assert event.record_organization_id == world.orgs["rco_a"].public_id


def test_only_a_reviewer_reviews_and_only_what_waits_for_review(world, actor_of):
    assessment = submitted(actor_of)
    with pytest.raises(PermissionDenied):
        services.rco_assessment_review(
            actor=actor_of("rco_a_admin"), assessment=assessment, decision="accept", comments=""
        )
    services.rco_assessment_review(
        actor=actor_of("network_admin"), assessment=assessment, decision="accept", comments=""
    )
    with pytest.raises(ValidationError):
        services.rco_assessment_review(
            actor=actor_of("network_admin"), assessment=assessment, decision="return", comments="x"
        )


# --- pages -----------------------------------------------------------------------------------


def test_rco_admin_fills_in_the_form_and_a_missing_answer_shows_next_to_its_field(
    world, as_persona
):
    org = world.orgs["rco_a"].public_id
    client = as_persona("rco_a_admin")
    page = client.get(f"/orgs/{org}/rco-standards/")
    assert b"Start a new self-assessment" in page.content
    response = client.post(f"/orgs/{org}/rco-standards/start/")
    assert response.status_code == 302
    edit_url = response["Location"]
    page = client.get(edit_url)
    assert "Led and governed by the recovery community" in page.content.decode()
    response = client.post(edit_url, post_answers(**{"9": ""}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose met, partly met or not met before submitting." in body
    assert 'id="id_rating_9_error"' in body  # next to the field
    assert 'href="#id_rating_9_0"' in body  # the summary leads to it
    assert RcoAssessment.objects.get().status == AssessmentStatus.DRAFT
    response = client.post(edit_url, post_answers())
    assert response.status_code == 302
    assessment = RcoAssessment.objects.get()
    assert assessment.status == AssessmentStatus.SUBMITTED
    detail = client.get(response["Location"])
    assert b"Submitted for review" in detail.content
    # A submitted one is shown read-only.
    assert b"can no longer be changed" in client.get(edit_url).content


def test_a_bad_evidence_link_is_refused_next_to_its_field(world, as_persona):
    org = world.orgs["rco_a"].public_id
    client = as_persona("rco_a_admin")
    edit_url = client.post(f"/orgs/{org}/rco-standards/start/")["Location"]
    data = post_answers(action="save")
    data["evidence_url_3"] = "not a link at all"
    response = client.post(edit_url, data)
    assert response.status_code == 200
    assert b"Enter a valid URL." in response.content


def test_staff_of_a_provider_see_that_the_standards_are_for_rcos(world, as_persona):
    org = world.orgs["provider"].public_id
    client = as_persona("provider_admin")
    page = client.get(f"/orgs/{org}/rco-standards/")
    assert page.status_code == 200
    assert b"Only recovery community organizations" in page.content
    response = client.post(f"/orgs/{org}/rco-standards/start/", follow=True)
    assert b"Only recovery community organizations" in response.content
    assert not RcoAssessment.objects.exists()


def test_network_admin_reviews_from_the_queue(world, actor_of, as_persona):
    assessment = submitted(actor_of)
    client = as_persona("network_admin")
    queue = client.get("/fidelity/review/")
    assert world.orgs["rco_a"].name in queue.content.decode()
    url = f"/fidelity/review/{assessment.public_id}/"
    response = client.post(url, {"decision": "return", "comments": ""})
    assert response.status_code == 200
    assert b"Say what the organization should change" in response.content
    response = client.post(url, {"decision": "accept", "comments": "Clear evidence."})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.ACCEPTED
    page = as_persona("rco_a_peer").get(
        f"/orgs/{world.orgs['rco_a'].public_id}/rco-standards/{assessment.public_id}/"
    )
    assert b"Clear evidence." in page.content
    assert b"Reviewed and accepted" in page.content


def test_drafts_are_not_shown_to_reviewers(world, actor_of, as_persona):
    actor = actor_of("rco_a_admin")
    draft = services.rco_assessment_start(actor=actor, organization=world.orgs["rco_a"])
    assert (
        as_persona("network_admin").get(f"/fidelity/review/{draft.public_id}/").status_code == 404
    )


def test_dates_show_in_the_organizations_time_zone(world, actor_of, as_persona):
    org = world.orgs["rco_a"]
    org.time_zone = "Pacific/Auckland"
    org.save(update_fields=["time_zone"])
    assessment = submitted(actor_of)
    # 23:30 UTC on 1 March is already 2 March in Auckland (UTC+13 in March).
    assessment.submitted_at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    assessment.created_at = assessment.submitted_at - timedelta(days=1)
    assessment.save()
    page = as_persona("rco_a_peer").get(f"/orgs/{org.public_id}/rco-standards/")
    assert "2 Mar 2026" in page.content.decode()


def test_home_cards_lead_each_role_to_its_self_assessment(world, as_persona):
    assert b"RCO standards" in as_persona("rco_a_admin").get("/").content
    assert b"RCO standards" in as_persona("rco_a_supervisor").get("/").content
    assert b"RCO standards" not in as_persona("provider_admin").get("/").content
    assert b"ROSC self-assessment" in as_persona("council_coordinator").get("/").content
    assert b"RCO standards review queue" in as_persona("network_admin").get("/").content
