"""The plans API: read the plan, save with a base version (409 on a conflict), versions, review."""

import json
from typing import Any

from rosc.core.models import AuditEvent
from rosc.plans.models import PlanReview, PlanVersion


def base(participant: Any) -> str:
    org = participant.organization.public_id
    return f"/api/v1/orgs/{org}/participants/{participant.public_id}/plan"


def post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


PLAN = {
    "base_version": None,
    "meaning": "Showing up for myself",
    "strengths": "My faith community",
    "goals": [
        {
            "domain": "employment_education",
            "text": "Get my forklift certificate",
            "status": "in_progress",
            "steps": [{"text": "Sign up for the course", "target_date": "2030-05-01"}],
        }
    ],
    "change_note": "First plan, written at the café",
}


def test_a_plan_is_saved_read_and_listed_through_the_api(as_persona, maria):
    peer = as_persona("rco_a_peer")
    empty = peer.get(base(maria))
    assert empty.status_code == 200
    assert empty.json()["current_version"] == 0 and empty.json()["version"] is None

    saved = post(peer, base(maria), PLAN)
    assert saved.status_code == 201, saved.content
    body = saved.json()
    assert body["number"] == 1
    assert body["goals"][0]["domain_label"] == "Employment and education"
    assert body["goals"][0]["steps"][0]["target_date"] == "2030-05-01"

    again = post(peer, base(maria), {**PLAN, "base_version": 1, "meaning": "Showing up"})
    assert again.status_code == 201
    plan = peer.get(base(maria)).json()
    assert (plan["current_version"], plan["awaiting_review"]) == (2, True)
    assert plan["version"]["meaning"] == "Showing up"
    versions = peer.get(base(maria) + "/versions").json()
    assert [v["number"] for v in versions] == [2, 1]


def test_a_save_on_an_old_version_answers_409_and_saves_nothing(as_persona, maria, first_plan):
    first_plan()
    peer = as_persona("rco_a_peer")
    assert post(peer, base(maria), {**PLAN, "base_version": 1}).status_code == 201
    conflict = post(peer, base(maria), {**PLAN, "base_version": 1, "meaning": "Lost?"})
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "plan_conflict"
    assert conflict.json()["current_version"] == 2
    assert "Someone saved a newer version" in conflict.json()["detail"]
    assert not PlanVersion.objects.filter(meaning="Lost?").exists()


def test_bad_input_answers_422_with_field_errors(as_persona, maria):
    peer = as_persona("rco_a_peer")
    no_text = {**PLAN, "goals": [{"domain": "housing", "text": " "}]}
    response = post(peer, base(maria), no_text)
    assert response.status_code == 422
    assert "goals.0.text" in response.json()["errors"]
    bad_date = {
        **PLAN,
        "goals": [
            {
                "domain": "housing",
                "text": "Home",
                "steps": [{"text": "A", "target_date": "2027-02-30"}],
            }
        ],
    }
    response = post(peer, base(maria), bad_date)
    assert response.status_code == 422
    assert any("target_date" in key for key in response.json()["errors"])
    assert not PlanVersion.objects.exists()


def test_only_a_supervisor_or_admin_reviews_through_the_api(as_persona, maria, first_plan):
    version = first_plan()
    url = f"{base(maria)}/versions/{version.public_id}/review"
    assert post(as_persona("rco_a_peer"), url, {"comment": "fine"}).status_code == 404
    assert post(as_persona("rco_b_supervisor"), url, {"comment": "fine"}).status_code == 404
    assert not PlanReview.objects.exists()
    response = post(as_persona("rco_a_supervisor"), url, {"comment": "Lovely goals"})
    assert response.status_code == 201
    assert response.json()["version_number"] == 1
    assert PlanReview.objects.get().comment == "Lovely goals"


def test_another_organizations_ids_answer_404_and_are_audited(as_persona, maria, first_plan):
    first_plan()
    other = as_persona("rco_b_peer")
    own_org = other.get("/api/v1/me").json()["active_membership"]["organization_id"]
    for url in (
        base(maria),
        base(maria).replace(str(maria.organization.public_id), own_org),
        base(maria) + "/versions",
    ):
        assert other.get(url).status_code == 404, url
    assert post(other, base(maria), {**PLAN, "base_version": 1}).status_code == 404
    denied = AuditEvent.objects.filter(username="rco_b_peer", outcome=AuditEvent.Outcome.DENIED)
    assert denied.count() == 4
    assert PlanVersion.objects.count() == 1
