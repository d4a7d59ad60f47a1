"""The access gate: other organizations' records answer 404 like missing ones, and are audited."""

import re
import uuid

from rosc.core.models import AuditEvent


def test_peer_gets_404_for_another_rcos_staff_page_and_the_attempt_is_audited(world, as_persona):
    client = as_persona("rco_a_peer")
    other = world.memberships["rco_b_admin"]
    url = f"/orgs/{other.organization.public_id}/staff/{other.public_id}/"
    response = client.get(url)
    missing = client.get(f"/orgs/{other.organization.public_id}/staff/{uuid.uuid4()}/")
    assert response.status_code == 404
    assert missing.status_code == 404

    def without_tokens(body: bytes) -> bytes:
        return re.sub(rb'(nonce|value)="[^"]*"', b"", body)

    assert without_tokens(response.content) == without_tokens(missing.content)
    event = AuditEvent.objects.filter(record_id=str(other.public_id)).get()
    assert event.outcome == AuditEvent.Outcome.DENIED
    assert event.username == "rco_a_peer"
    assert event.record_organization_id == other.organization.public_id


def test_peer_gets_404_for_another_rcos_audit_trail(world, as_persona):
    client = as_persona("rco_a_peer")
    org_b = world.orgs["rco_b"]
    assert client.get(f"/orgs/{org_b.public_id}/audit/").status_code == 404
    assert AuditEvent.objects.filter(
        username="rco_a_peer", outcome="denied", record_type="core.auditevent"
    ).exists()


def test_admin_sees_own_staff_and_each_view_is_audited(world, as_persona):
    client = as_persona("rco_a_admin")
    peer = world.memberships["rco_a_peer"]
    response = client.get(f"/orgs/{peer.organization.public_id}/staff/{peer.public_id}/")
    assert response.status_code == 200
    assert b"Rco A Peer" in response.content or peer.user.display_name.encode() in response.content
    event = AuditEvent.objects.get(record_id=str(peer.public_id), outcome="ok")
    assert event.subject_id == str(peer.user.public_id)
    assert event.role == "org_admin"
