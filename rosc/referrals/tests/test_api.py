"""The referrals API: the same loop as the pages, as a partner system or a script would use it."""

import json

import pytest
from django.db import connection

from rosc.referrals.models import Referral, ReferralStatus

pytestmark = pytest.mark.django_db


def _post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_the_loop_through_the_api_and_the_recipient_sees_only_what_was_shared(
    world, as_persona, enrol, consent_to
):
    maria = enrol("rco_a_peer", "Maria", "Garcia", phone="555-0100")
    consent_to("rco_a_peer", maria, "provider_staff")
    rco, housing = world.org_of("rco_a_peer"), world.org_of("provider_staff")
    peer, partner = as_persona("rco_a_peer"), as_persona("provider_staff")

    created = _post(
        peer,
        f"/api/v1/orgs/{rco.public_id}/participants/{maria.public_id}/referrals",
        {"recipient_organization_id": str(housing.public_id), "need": "housing"},
    )
    assert created.status_code == 201, created.content
    sent = created.json()
    assert sent["status"] == "requested"
    assert sent["participant_id"] == str(maria.public_id)
    rid = sent["id"]

    inbox = partner.get(f"/api/v1/orgs/{housing.public_id}/referrals/inbox").json()
    assert [i["id"] for i in inbox["items"]] == [rid]
    assert inbox["items"][0]["participant_id"] is None
    assert inbox["items"][0]["person_label"] == "Maria Garcia"

    seen = partner.get(f"/api/v1/orgs/{housing.public_id}/referrals/{rid}").json()
    assert seen["participant_id"] is None
    assert set(seen["shared"]) == {"identity_and_contact", "referral_details"}
    assert seen["shared"]["identity_and_contact"]["phone"] == "555-0100"
    assert str(maria.public_id) not in json.dumps(seen)
    assert {m["to_status"] for m in seen["moves"]} == {"accepted", "rejected", "cancelled"}

    base = f"/api/v1/orgs/{housing.public_id}/referrals/{rid}"
    assert _post(partner, base + "/transitions", {"to_status": "accepted"}).status_code == 200
    note = _post(partner, base + "/notes", {"text": "First meeting booked."})
    assert note.status_code == 201
    done = _post(partner, base + "/transitions", {"to_status": "completed"}).json()
    assert done["status"] == "completed"

    outbox = peer.get(f"/api/v1/orgs/{rco.public_id}/referrals/sent?status=completed").json()
    assert [i["id"] for i in outbox["items"]] == [rid]
    mine = peer.get(f"/api/v1/orgs/{rco.public_id}/referrals/{rid}").json()
    assert [e["kind"] for e in mine["events"]].count("note") == 1


def test_bad_bodies_answer_422_with_field_errors_and_save_nothing(
    world, as_persona, enrol, consent_to
):
    maria = enrol("rco_a_peer", "Maria", "Garcia")
    rco, housing = world.org_of("rco_a_peer"), world.org_of("provider_staff")
    peer = as_persona("rco_a_peer")
    create = f"/api/v1/orgs/{rco.public_id}/participants/{maria.public_id}/referrals"

    empty = _post(peer, create, {})
    assert empty.status_code == 422
    assert "recipient_organization_id" in empty.json()["errors"]
    assert "need" in empty.json()["errors"]
    no_consent = _post(
        peer, create, {"recipient_organization_id": str(housing.public_id), "need": "housing"}
    )
    assert no_consent.status_code == 422
    assert "no current, signed consent" in no_consent.json()["errors"]["categories"][0]
    assert not Referral.objects.exists()

    consent_to("rco_a_peer", maria, "provider_staff")
    rid = _post(
        peer, create, {"recipient_organization_id": str(housing.public_id), "need": "housing"}
    ).json()["id"]
    moves = f"/api/v1/orgs/{rco.public_id}/referrals/{rid}/transitions"
    illegal = _post(peer, moves, {"to_status": "accepted"})
    assert illegal.status_code == 422
    assert "to_status" in illegal.json()["errors"]
    needs_words = _post(peer, moves, {"to_status": "cancelled"})
    assert needs_words.status_code == 422
    assert "text" in needs_words.json()["errors"]
    assert Referral.objects.get().status == ReferralStatus.REQUESTED


def test_another_organization_gets_404_for_a_referral_it_is_not_part_of(
    world, as_persona, enrol, consent_to
):
    maria = enrol("rco_a_peer", "Maria", "Garcia")
    consent_to("rco_a_peer", maria, "provider_staff")
    rco, housing = world.org_of("rco_a_peer"), world.org_of("provider_staff")
    rid = _post(
        as_persona("rco_a_peer"),
        f"/api/v1/orgs/{rco.public_id}/participants/{maria.public_id}/referrals",
        {"recipient_organization_id": str(housing.public_id), "need": "housing"},
    ).json()["id"]
    other = as_persona("rco_b_peer")
    own = world.org_of("rco_b_peer").public_id
    assert other.get(f"/api/v1/orgs/{own}/referrals/{rid}").status_code == 404
    assert other.get(f"/api/v1/orgs/{housing.public_id}/referrals/{rid}").status_code == 404
    refused = _post(
        other, f"/api/v1/orgs/{own}/referrals/{rid}/transitions", {"to_status": "cancelled"}
    )
    assert refused.status_code == 404


def test_the_api_inbox_runs_the_same_few_queries_for_one_referral_or_many(
    world, as_persona, enrol, consent_to
):
    partner = as_persona("provider_staff")
    housing = world.org_of("provider_staff")
    url = f"/api/v1/orgs/{housing.public_id}/referrals/inbox"
    peer = as_persona("rco_a_peer")
    rco = world.org_of("rco_a_peer")

    def refer(first: str) -> None:
        person = enrol("rco_a_peer", first, "Rivera")
        consent_to("rco_a_peer", person, "provider_staff")
        path = f"/api/v1/orgs/{rco.public_id}/participants/{person.public_id}/referrals"
        body = {"recipient_organization_id": str(housing.public_id), "need": "housing"}
        assert _post(peer, path, body).status_code == 201

    def statements_for(count: int) -> int:
        seen: list[str] = []

        def record(execute, sql, params, many, context):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            assert len(partner.get(url).json()["items"]) == count
        return len(seen)

    refer("Ana")
    statements_for(1)  # the first request of a session also writes the session
    refer("Ben")
    two = statements_for(2)
    for first in ("Cruz", "Dee", "Eli"):
        refer(first)
    assert statements_for(5) == two
