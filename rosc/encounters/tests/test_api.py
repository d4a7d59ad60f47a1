"""The encounters API: log a contact (422 with field errors, nothing saved), list without notes."""

import json
from datetime import timedelta

from django.utils import timezone

from rosc.core.models import AuditEvent
from rosc.encounters.models import Encounter


def base(world, person, org_key="rco_a") -> str:
    return (
        f"/api/v1/orgs/{world.orgs[org_key].public_id}/participants/{person.public_id}/encounters"
    )


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_a_contact_logged_through_the_api_happened_now_unless_told(world, person, as_persona):
    before = timezone.now()
    response = post(
        as_persona("rco_a_peer"),
        base(world, person),
        {"kind": "video", "duration_minutes": 20, "place": "remote", "note": "Checked in"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "video" and body["kind_label"] == "Video call"
    assert body["has_note"] is True and "note" not in body
    encounter = Encounter.objects.get()
    assert str(encounter.public_id) == body["id"]
    assert before <= encounter.occurred_at <= timezone.now()
    assert AuditEvent.objects.filter(action="create", record_id=body["id"]).exists()


def test_bad_input_answers_422_with_field_errors_and_saves_nothing(world, person, as_persona):
    client = as_persona("rco_a_peer")
    future = (timezone.now() + timedelta(days=1)).isoformat()
    cases = [
        ({"kind": "phone", "duration_minutes": 0, "place": "remote"}, "duration_minutes"),
        ({"kind": "phone", "duration_minutes": 1000, "place": "remote"}, "duration_minutes"),
        ({"kind": "smoke_signal", "duration_minutes": 5, "place": "remote"}, "kind"),
        (
            {"kind": "phone", "duration_minutes": 5, "place": "remote", "occurred_at": future},
            "occurred_at",
        ),
        ({"kind": "phone", "duration_minutes": "soon", "place": "remote"}, "duration_minutes"),
        ({"duration_minutes": 5, "place": "remote"}, "kind"),
        (
            {"kind": "phone", "duration_minutes": 5, "place": "remote", "life_domains": ["x"]},
            "life_domains",
        ),
    ]
    for body, field in cases:
        response = post(client, base(world, person), body)
        assert response.status_code == 422, body
        assert field in response.json()["errors"], (body, response.json())
    assert (
        client.post(base(world, person), "not json", content_type="application/json").status_code
        == 422
    )
    assert not Encounter.objects.exists()


def test_the_list_is_paged_and_audited(world, person, log, as_persona):
    for _ in range(3):
        log(person)
    response = as_persona("rco_a_peer").get(base(world, person), {"page": 1})
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert response.json()["pages"] == 1
    assert AuditEvent.objects.filter(action="list", record_type="encounters.encounter").count() == 1


def test_the_participant_under_another_organizations_id_is_a_404(world, person, as_persona):
    client = as_persona("rco_a_peer")
    response = post(
        client,
        base(world, person, org_key="rco_b"),
        {"kind": "phone", "duration_minutes": 5, "place": "remote"},
    )
    assert response.status_code == 404
    assert client.get(base(world, person, org_key="rco_b")).status_code == 404
    assert not Encounter.objects.exists()
    assert AuditEvent.objects.filter(username="rco_a_peer", outcome="denied").count() == 2


def test_someone_outside_gets_404_whatever_the_body(world, person, as_persona):
    client = as_persona("rco_b_peer")
    for body in ({}, {"kind": "phone", "duration_minutes": 5, "place": "remote"}):
        assert post(client, base(world, person), body).status_code == 404
    assert (
        client.post(base(world, person), "not json", content_type="application/json").status_code
        == 404
    )


def test_the_openapi_document_describes_the_contact_to_send(world, as_persona):
    schema = as_persona("rco_a_peer").get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/orgs/{org_id}/participants/{participant_id}/encounters"][
        "post"
    ]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert "phone" in body["properties"]["kind"]["enum"]
    assert set(body["required"]) == {"kind", "duration_minutes", "place"}
