"""The check-ins API: instruments, a person's check-ins, recording one (422 on bad answers)."""

import json
from datetime import timedelta

from django.utils import timezone

from rosc.assessments.models import Assessment
from rosc.assessments.tests.conftest import answers_all
from rosc.core.models import AuditEvent

TODAY = timezone.localdate()


def url(world, persona_org: str, person, tail: str = "assessments") -> str:
    org = world.orgs[persona_org].public_id
    return f"/api/v1/orgs/{org}/participants/{person.public_id}/{tail}"


def post_json(client, path: str, body: dict):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_the_instruments_list_has_barc10_with_its_items_scale_and_cutoff(world, as_persona):
    org = world.orgs["rco_a"].public_id
    response = as_persona("rco_a_peer").get(f"/api/v1/orgs/{org}/instruments")
    assert response.status_code == 200
    barc = next(i for i in response.json() if i["code"] == "BARC-10")
    assert len(barc["items"]) == 10 and barc["items"][0]["key"] == "1"
    assert barc["scale"][0] == {"value": 1, "label": "Strongly disagree"}
    assert (barc["score_min"], barc["score_max"], barc["cutoff"]) == (10, 60, 47)
    assert barc["shipped"] is True and barc["bands"] == []


def test_a_peer_records_and_lists_check_ins_through_the_api(world, enrol, as_persona):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    client = as_persona("rco_a_peer")
    body = {"taken_on": TODAY.isoformat(), "answers": answers_all(6)}
    created = post_json(client, url(world, "rco_a", person), body)
    assert created.status_code == 201, created.content
    assert created.json()["total"] == 60
    assert created.json()["occasion"] == "intake"
    second = post_json(client, url(world, "rco_a", person), {**body, "instrument": "BARC-10"})
    assert second.json()["occasion"] == "routine"

    listing = client.get(url(world, "rco_a", person))
    assert listing.status_code == 200
    assert [a["total"] for a in listing.json()] == [60, 60]
    assert AuditEvent.objects.filter(
        username="rco_a_peer",
        action=AuditEvent.Action.LIST,
        record_type="assessments.assessment",
        subject_id=str(person.public_id),
    ).exists()


def test_bad_answers_and_dates_answer_422_with_field_errors_and_nothing_saved(
    world, enrol, as_persona
):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    client = as_persona("rco_a_peer")
    answers = answers_all(4)
    answers["3"] = 7
    del answers["9"]
    response = post_json(
        client,
        url(world, "rco_a", person),
        {"taken_on": (TODAY + timedelta(days=3)).isoformat(), "answers": answers},
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"item_3", "item_9", "taken_on"}
    bad_date = post_json(
        client, url(world, "rco_a", person), {"taken_on": "2025-02-30", "answers": answers_all(4)}
    )
    assert bad_date.status_code == 422
    assert "taken_on" in bad_date.json()["errors"]
    assert not Assessment.objects.exists()


def test_another_organizations_person_is_not_found_through_the_api(world, enrol, as_persona):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    client = as_persona("rco_b_peer")
    body = {"taken_on": TODAY.isoformat(), "answers": answers_all(6)}
    for path in (url(world, "rco_b", person), url(world, "rco_a", person)):
        assert client.get(path).status_code == 404
        assert post_json(client, path, body).status_code == 404
    assert not Assessment.objects.exists()
    assert (
        AuditEvent.objects.filter(username="rco_b_peer", outcome=AuditEvent.Outcome.DENIED).count()
        >= 4
    )
