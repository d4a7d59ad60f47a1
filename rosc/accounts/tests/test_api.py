"""The staff JSON API: same gate as the pages, JSON errors, never a 500."""

import uuid

import pytest
from django.test import Client

from conftest import PERSONAS, World
from rosc.core.models import AuditEvent


def staff_path(world: World, org_key: str, member: str | None = None) -> str:
    path = f"/api/v1/orgs/{world.orgs[org_key].public_id}/staff"
    return f"{path}/{world.memberships[member].public_id}" if member else path


@pytest.mark.parametrize("persona", PERSONAS)
def test_me_describes_the_signed_in_persona_and_their_organization(world, as_persona, persona):
    response = as_persona(persona).get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    user, membership = world.users[persona], world.memberships[persona]
    assert body["id"] == str(user.public_id)
    assert body["username"] == persona
    assert body["active_membership"]["id"] == str(membership.public_id)
    assert body["active_membership"]["organization_id"] == str(membership.organization.public_id)
    assert body["active_membership"]["role"] == PERSONAS[persona][1]
    assert [m["id"] for m in body["memberships"]] == [str(membership.public_id)]


def test_staff_list_of_own_organization_lists_only_own_staff(world, as_persona):
    response = as_persona("rco_a_peer").get(staff_path(world, "rco_a"))
    assert response.status_code == 200
    usernames = {row["email"].split("@")[0] for row in response.json()}
    assert usernames == {"rco_a_peer", "rco_a_supervisor", "rco_a_admin"}


def test_one_staff_member_of_own_organization(world, as_persona):
    response = as_persona("rco_a_peer").get(staff_path(world, "rco_a", "rco_a_admin"))
    assert response.status_code == 200
    assert response.json()["id"] == str(world.memberships["rco_a_admin"].public_id)
    assert response.json()["role"] == "org_admin"


def test_peer_gets_404_for_another_orgs_staff_and_the_attempt_is_audited(world, as_persona):
    client = as_persona("rco_a_peer")
    response = client.get(staff_path(world, "rco_b"))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert client.get(staff_path(world, "rco_b", "rco_b_admin")).status_code == 404
    # Another organization's member, asked for under one's own organization: 404 as well.
    inside_own = f"{staff_path(world, 'rco_a')}/{world.memberships['rco_b_admin'].public_id}"
    missing = f"{staff_path(world, 'rco_a')}/{uuid.uuid4()}"
    assert client.get(inside_own).json() == client.get(missing).json()
    assert client.get(inside_own).status_code == 404
    assert AuditEvent.objects.filter(username="rco_a_peer", outcome="denied").count() >= 4


def test_anonymous_caller_gets_401(db, client):
    for path in ("/api/v1/me", f"/api/v1/orgs/{uuid.uuid4()}/staff"):
        response = client.get(path)
        assert response.status_code == 401
        assert response["Content-Type"].startswith("application/json")


def test_user_who_needs_a_second_factor_but_has_not_given_it_gets_401_json(world):
    client = Client()
    client.force_login(world.users["rco_a_peer"])
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "A second factor is required."}
    assert client.get(staff_path(world, "rco_a")).status_code == 401


def test_user_without_a_second_factor_role_needs_none_for_the_api(world):
    client = Client()
    client.force_login(world.users["council_coordinator"])
    assert client.get("/api/v1/me").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/orgs/not-a-uuid/staff",
        "/api/v1/orgs/12345/staff",
        "/api/v1/orgs/{org}/staff/not-a-uuid",
        "/api/v1/orgs/not-a-uuid/staff/also-not",
        "/api/v1/orgs/{org}/staff/%00",
    ],
)
def test_malformed_uuid_in_the_path_is_refused_without_a_crash(world, as_persona, path):
    client = as_persona("rco_a_admin")
    response = client.get(path.format(org=world.orgs["rco_a"].public_id))
    assert response.status_code in (404, 422)
    assert response["Content-Type"].startswith("application/json")


def test_api_refuses_methods_it_does_not_offer(world, as_persona):
    client = as_persona("rco_a_admin")
    assert client.post("/api/v1/me").status_code == 405
    assert client.delete(staff_path(world, "rco_a", "rco_a_peer")).status_code == 405
