"""Participants, consents and disclosures through the JSON API (session or API key)."""

import json
from datetime import timedelta

from django.utils import timezone

from rosc.accounts.services import api_token_create
from rosc.consent.models import Consent
from rosc.core.models import AuditEvent
from rosc.people.models import Participant


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_sync_tool_enrols_reads_updates_and_searches_with_an_api_key(world, actor_of, client):
    _, key = api_token_create(actor=actor_of("rco_a_peer"), name="sync")
    auth = {"Authorization": f"Bearer {key}"}
    base = f"/api/v1/orgs/{world.orgs['rco_a'].public_id}/participants"

    created = client.post(
        base,
        json.dumps(
            {
                "legal_first_name": "Dana",
                "legal_last_name": "Okafor",
                "recovery_pathways": ["digital"],
            }
        ),
        content_type="application/json",
        headers=auth,
    )
    assert created.status_code == 201, created.content
    person_id = created.json()["id"]
    assert Participant.objects.get(public_id=person_id).organization == world.orgs["rco_a"]

    changed = client.patch(
        f"{base}/{person_id}",
        json.dumps({"preferred_name": "Dee"}),
        content_type="application/json",
        headers=auth,
    )
    assert changed.status_code == 200
    assert changed.json()["display_name"] == "Dee Okafor"
    assert changed.json()["legal_first_name"] == "Dana", "fields not sent are kept"

    found = client.get(base, {"search": "okaf"}, headers=auth).json()
    assert [p["id"] for p in found] == [person_id]
    assert client.get(f"{base}/{person_id}", headers=auth).json()["preferred_name"] == "Dee"
    assert AuditEvent.objects.filter(
        action="view", subject_id=person_id, username="rco_a_peer"
    ).exists()


def test_bad_input_answers_422_with_field_errors_and_saves_nothing(world, as_persona):
    peer = as_persona("rco_a_peer")
    base = f"/api/v1/orgs/{world.orgs['rco_a'].public_id}/participants"
    response = post(
        peer, base, {"legal_first_name": "", "legal_last_name": "X", "recovery_pathways": ["best"]}
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "legal_first_name" in errors and "recovery_pathways" in errors
    bad_date = post(
        peer, base, {"legal_first_name": "A", "legal_last_name": "B", "date_of_birth": "31/02/1990"}
    )
    assert bad_date.status_code == 422 and "date_of_birth" in bad_date.json()["errors"]
    assert post(peer, base, [1, 2]).status_code == 422
    assert not Participant.objects.exists()


def test_a_likely_duplicate_is_named_until_confirmed(world, as_persona, enrol):
    enrol("rco_a_peer", "María", "García")
    peer = as_persona("rco_a_peer")
    base = f"/api/v1/orgs/{world.orgs['rco_a'].public_id}/participants"
    first = post(peer, base, {"legal_first_name": "Maria", "legal_last_name": "Garcia"})
    assert first.status_code == 422 and "confirmed_not_duplicate" in first.json()["errors"]
    second = post(
        peer,
        base,
        {"legal_first_name": "Maria", "legal_last_name": "Garcia", "confirmed_not_duplicate": True},
    )
    assert second.status_code == 201


def test_consent_recorded_revoked_and_listed_through_the_api(world, as_persona, enrol):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    peer = as_persona("rco_a_peer")
    base = f"/api/v1/orgs/{world.orgs['rco_a'].public_id}/participants/{person.public_id}"
    missing = post(peer, f"{base}/consents", {"purpose": "referral", "categories": []})
    assert missing.status_code == 422
    assert {"categories", "expires_on", "signature_name", "recipient_organization"} <= set(
        missing.json()["errors"]
    )
    body = {
        "recipient_organization_id": str(world.orgs["provider"].public_id),
        "purpose": "referral",
        "categories": ["identity_and_contact"],
        "expires_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
        "right_to_revoke_acknowledged": True,
        "signature_name": "Maria Garcia",
        "signature_confirmed": True,
    }
    created = post(peer, f"{base}/consents", body)
    assert created.status_code == 201, created.content
    consent = created.json()
    assert consent["in_force"] and consent["recipient_label"] == "Lakeside Treatment Partners"

    revoked = post(peer, f"{base}/consents/{consent['id']}/revoke", {"note": "Asked by phone"})
    assert revoked.status_code == 200 and revoked.json()["in_force"] is False
    assert Consent.objects.get().revoked_at is not None
    assert [c["id"] for c in peer.get(f"{base}/consents").json()] == [consent["id"]]
    assert peer.get(f"{base}/disclosures").json() == []


def test_another_organizations_staff_get_404_whatever_the_body(world, as_persona, enrol):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    other = as_persona("rco_b_peer")
    own_base = f"/api/v1/orgs/{world.orgs['rco_b'].public_id}/participants/{person.public_id}"
    assert other.get(own_base).status_code == 404
    assert post(other, f"{own_base}/consents", {"purpose": "referral"}).status_code == 404
    their_base = f"/api/v1/orgs/{world.orgs['rco_a'].public_id}/participants"
    assert other.get(their_base).status_code == 404
    assert (
        post(other, their_base, {"legal_first_name": "A", "legal_last_name": "B"}).status_code
        == 404
    )
    assert Participant.objects.count() == 1
