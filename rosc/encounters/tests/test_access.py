"""Another organization's staff (peers, partners, courts) get a 404 and a denied event on every
encounter route, the note included; nothing changes; a record of theirs looks like a missing one."""

import uuid

import pytest

from rosc.core.models import AuditEvent
from rosc.encounters.models import Encounter

from .conftest import NOTE

OUTSIDERS = (
    "rco_b_peer",
    "rco_b_supervisor",
    "provider_staff",
    "court_partner",
    "council_coordinator",
)


def routes(world, person, encounter) -> list[tuple[str, str, dict]]:
    base = f"/participants/{person.public_id}/contacts"
    api = f"/api/v1/orgs/{world.orgs['rco_a'].public_id}/participants/{person.public_id}/encounters"
    good = {"kind": "phone", "duration_minutes": "5", "place": "remote", "occurred_at": ""}
    return [
        ("GET", f"{base}/", {}),
        ("GET", f"{base}/new/", {}),
        ("POST", f"{base}/new/", good),
        ("GET", f"{base}/{encounter.public_id}/note/", {}),
        ("GET", f"{base}/{encounter.public_id}/in-error/", {}),
        ("POST", f"{base}/{encounter.public_id}/in-error/", {"reason": "Not ours"}),
        ("GET", api, {}),
        ("POST", api, {"kind": "phone", "duration_minutes": 5, "place": "remote"}),
        ("GET", f"{api}/{encounter.public_id}/note", {}),
    ]


def call(client, method, path, data):
    if method == "GET":
        return client.get(path)
    if path.startswith("/api/"):
        return client.post(path, data, content_type="application/json")
    return client.post(path, data)


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_another_organizations_staff_get_404_and_a_denied_event_everywhere(
    world, person, log, as_persona, persona
):
    encounter = log(person, note=NOTE)
    client = as_persona(persona)
    for method, path, data in routes(world, person, encounter):
        before = AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED).count()
        response = call(client, method, path, data)
        assert response.status_code == 404, (method, path)
        assert NOTE not in response.content.decode()
        assert AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED).count() == before + 1
    assert Encounter.objects.count() == 1
    encounter.refresh_from_db()
    assert encounter.voided_at is None
    assert (
        not AuditEvent.objects.filter(username=persona, outcome=AuditEvent.Outcome.OK)
        .exclude(action=AuditEvent.Action.LOGIN)
        .exists()
    )


def test_a_contact_of_someone_else_under_ones_own_participant_is_a_404(
    world, person, enrol, log, as_persona
):
    other_org_person = enrol("rco_b_peer", "Sam", "Okafor")
    theirs = log(other_org_person, persona="rco_b_peer", note=NOTE)
    colleague_person = enrol("rco_a_peer", "Ana", "Lopez")
    ours_elsewhere = log(colleague_person, note=NOTE)
    client = as_persona("rco_a_peer")
    base = f"/participants/{person.public_id}/contacts"
    missing = client.get(f"{base}/{uuid.uuid4()}/note/")
    foreign = client.get(f"{base}/{theirs.public_id}/note/")
    mismatched = client.get(f"{base}/{ours_elsewhere.public_id}/note/")
    assert missing.status_code == foreign.status_code == mismatched.status_code == 404
    denied = AuditEvent.objects.filter(
        outcome=AuditEvent.Outcome.DENIED, record_type="encounters.encounter_note"
    )
    assert set(denied.values_list("record_id", flat=True)) >= {
        str(theirs.public_id),
        str(ours_elsewhere.public_id),
    }


def test_a_signed_out_visitor_is_sent_to_sign_in(world, person, log, client):
    encounter = log(person, note=NOTE)
    response = client.get(f"/participants/{person.public_id}/contacts/{encounter.public_id}/note/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
