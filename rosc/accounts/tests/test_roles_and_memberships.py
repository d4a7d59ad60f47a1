"""Which roles an admin may give, one account per e-mail, and starting where you left off."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import World, sign_in
from rosc.accounts.models import Membership
from rosc.accounts.roles import Role
from rosc.accounts.services import membership_create, user_create


def invite(client: Client, org_id: object, role: str) -> Any:
    return client.post(
        f"/orgs/{org_id}/staff/invite/",
        {"first_name": "Rae", "last_name": "Lin", "email": "rae@example.org", "role": role},
    )


def test_rco_admin_cannot_make_a_colleague_network_administrator(world: World, as_persona):
    client = as_persona("rco_a_admin")
    org = world.orgs["rco_a"]
    page = client.get(f"/orgs/{org.public_id}/staff/invite/")
    assert b'value="network_admin"' not in page.content
    response = invite(client, org.public_id, Role.NETWORK_ADMIN)
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not Membership.objects.filter(user__email="rae@example.org").exists()


def test_rco_admin_can_invite_a_peer_specialist(world: World, as_persona):
    org = world.orgs["rco_a"]
    response = invite(as_persona("rco_a_admin"), org.public_id, Role.PEER_SPECIALIST)
    assert response.status_code == 302
    assert Membership.objects.get(user__email="rae@example.org").role == Role.PEER_SPECIALIST


def test_two_accounts_cannot_share_an_email(world: World):
    with pytest.raises(ValidationError) as caught:
        user_create(username="someone.else", email="RCO_A_PEER@example.org", password=None)
    assert "email" in caught.value.message_dict


def test_a_person_in_two_organizations_starts_where_they_last_worked(world: World):
    user = world.users["rco_a_peer"]
    membership_create(user=user, organization=world.orgs["provider"], role=Role.PARTNER_STAFF)
    riverbend = world.memberships["rco_a_peer"]
    first_client = sign_in(Client(), world, "rco_a_peer")
    # Lakeside sorts first, so a fresh sign-in would start there without a remembered choice.
    assert first_client.get("/").context["actor"].organization == world.orgs["provider"]
    first_client.post("/account/switch/", {"membership": str(riverbend.public_id)})

    next_day = sign_in(Client(), world, "rco_a_peer")
    assert next_day.get("/").context["actor"].membership == riverbend
