"""Staff: inviting colleagues, deactivating them, and people who work for two organizations."""

import re

from django.core import mail
from django.test import Client

from conftest import World
from rosc.accounts.actor import ACTIVE_MEMBERSHIP_SESSION_KEY
from rosc.accounts.models import Membership, User
from rosc.accounts.roles import Role
from rosc.accounts.services import membership_create
from rosc.core.models import AuditEvent

NEW_PASSWORD = "a brand new long passphrase 77"


def invite(client: Client, world: World, org_key: str = "rco_a", **fields: str):
    data = {
        "first_name": "Jordan",
        "last_name": "Rivers",
        "email": "jordan.rivers@example.org",
        "role": Role.PEER_SPECIALIST,
        "title": "Peer recovery coach",
        **fields,
    }
    return client.post(f"/orgs/{world.orgs[org_key].public_id}/staff/invite/", data)


def deactivate_url(membership: Membership) -> str:
    return f"/orgs/{membership.organization.public_id}/staff/{membership.public_id}/deactivate/"


# --- inviting --------------------------------------------------------------------------------


def test_org_admin_invites_a_colleague_who_sets_a_password_from_the_emailed_link(world, as_persona):
    admin = as_persona("rco_a_admin")
    org = world.orgs["rco_a"]

    response = invite(admin, world)

    assert response.status_code == 302
    assert response["Location"] == f"/orgs/{org.public_id}/staff/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jordan.rivers@example.org"]
    match = re.search(r"https?://[^/\s]+(/invite/[^/\s]+/[^/\s]+/)", str(message.body))
    assert match, message.body
    link = match[1]

    user = User.objects.get(email="jordan.rivers@example.org")
    membership = Membership.objects.get(user=user, organization=org)
    assert membership.is_active
    assert membership.role == Role.PEER_SPECIALIST
    assert membership.invited_by == world.users["rco_a_admin"]
    assert not user.has_usable_password()
    event = AuditEvent.objects.get(action="create", record_id=str(membership.public_id))
    assert event.username == "rco_a_admin"
    assert event.subject_id == str(user.public_id)

    invitee = Client()
    assert invitee.get(link).status_code == 200
    response = invitee.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.password.startswith("argon2")

    # The link worked once; now it no longer does.
    assert invitee.get(link).status_code == 400
    again = invitee.post(link, {"new_password1": "x" * 20, "new_password2": "x" * 20})
    assert again.status_code == 400
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The new peer signs in, and is sent to set up a second factor.
    response = invitee.post(
        "/login/", {"username": user.username, "password": NEW_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/account/two-factor/"


def test_invite_link_with_a_made_up_token_is_refused(world, client):
    response = client.get("/invite/MQ/not-a-real-token/")
    assert response.status_code == 400


def test_inviting_someone_already_on_staff_is_a_form_error_next_to_the_email(world, as_persona):
    admin = as_persona("rco_a_admin")
    response = invite(admin, world, email="RCO_A_PEER@Example.org")
    assert response.status_code == 200
    assert "already on your staff" in response.context["form"].errors["email"][0]
    assert mail.outbox == []
    assert Membership.objects.filter(user=world.users["rco_a_peer"]).count() == 1


def test_peer_cannot_reach_the_invite_page(world, as_persona):
    peer = as_persona("rco_a_peer")
    url = f"/orgs/{world.orgs['rco_a'].public_id}/staff/invite/"
    assert peer.get(url).status_code == 404
    assert invite(peer, world).status_code == 404
    assert mail.outbox == []
    assert not User.objects.filter(email="jordan.rivers@example.org").exists()
    assert (
        AuditEvent.objects.filter(username="rco_a_peer", outcome="denied", action="create").count()
        == 2
    )


def test_admin_cannot_invite_into_another_organization(world, as_persona):
    admin = as_persona("rco_a_admin")
    assert invite(admin, world, org_key="rco_b").status_code == 404
    assert mail.outbox == []
    assert not User.objects.filter(email="jordan.rivers@example.org").exists()


# --- deactivating ----------------------------------------------------------------------------


def test_deactivating_a_colleague_ends_all_their_sessions_at_once(world, as_persona):
    peer = world.memberships["rco_a_peer"]
    phone, laptop = as_persona("rco_a_peer"), as_persona("rco_a_peer")
    assert phone.session.session_key != laptop.session.session_key
    assert phone.get("/").status_code == 200
    assert laptop.get("/").status_code == 200

    response = as_persona("rco_a_admin").post(deactivate_url(peer))

    assert response.status_code == 302
    assert response["Location"] == f"/orgs/{peer.organization.public_id}/staff/"
    for client in (phone, laptop):
        after = client.get("/")
        assert after.status_code == 302
        assert after["Location"].startswith("/login/")
    peer.refresh_from_db()
    assert not peer.is_active
    assert peer.deactivated_at is not None
    assert not User.objects.get(pk=peer.user_id).is_active
    event = AuditEvent.objects.get(action="deactivate", outcome="ok")
    assert event.username == "rco_a_admin"
    assert event.record_id == str(peer.public_id)
    assert event.subject_id == str(peer.user.public_id)


def test_admin_cannot_deactivate_themself(world, as_persona):
    admin = as_persona("rco_a_admin")
    own = world.memberships["rco_a_admin"]
    response = admin.post(deactivate_url(own), follow=True)
    assert response.status_code == 200
    assert b"You cannot deactivate yourself" in response.content
    own.refresh_from_db()
    assert own.is_active
    assert admin.get("/").status_code == 200


def test_peer_cannot_deactivate_a_colleague(world, as_persona):
    colleague = world.memberships["rco_a_supervisor"]
    response = as_persona("rco_a_peer").post(deactivate_url(colleague))
    assert response.status_code == 404
    colleague.refresh_from_db()
    assert colleague.is_active
    assert AuditEvent.objects.filter(
        username="rco_a_peer", action="deactivate", outcome="denied"
    ).exists()


def test_deactivate_is_post_only(world, as_persona):
    peer = world.memberships["rco_a_peer"]
    assert as_persona("rco_a_admin").get(deactivate_url(peer)).status_code == 405
    peer.refresh_from_db()
    assert peer.is_active


# --- two organizations -----------------------------------------------------------------------


def test_person_in_two_organizations_keeps_the_other_membership_when_deactivated_in_one(
    world, as_persona
):
    peer = world.memberships["rco_a_peer"]
    other = membership_create(
        user=peer.user, organization=world.orgs["rco_b"], role=Role.PEER_SPECIALIST
    )

    assert as_persona("rco_a_admin").post(deactivate_url(peer)).status_code == 302

    peer.refresh_from_db()
    other.refresh_from_db()
    assert not peer.is_active
    assert other.is_active
    assert User.objects.get(pk=peer.user_id).is_active
    # They sign in again and now work for the organization that still has them.
    world.users["rco_a_peer"].refresh_from_db()
    client = as_persona("rco_a_peer")
    assert client.get(f"/orgs/{world.orgs['rco_b'].public_id}/staff/").status_code == 200
    assert client.get(f"/orgs/{world.orgs['rco_a'].public_id}/staff/").status_code == 404
    # And cannot switch back to the membership that was ended.
    assert client.post("/account/switch/", {"membership": str(peer.public_id)}).status_code == 404


def test_person_in_two_organizations_switches_between_them_and_the_switch_is_audited(
    world, as_persona
):
    in_a = world.memberships["rco_a_peer"]
    in_b = membership_create(user=in_a.user, organization=world.orgs["rco_b"], role=Role.SUPERVISOR)
    client = as_persona("rco_a_peer")
    first = client.get("/").context["actor"].membership
    second = in_b if first == in_a else in_a
    assert client.get(f"/orgs/{first.organization.public_id}/staff/").status_code == 200
    assert client.get(f"/orgs/{second.organization.public_id}/staff/").status_code == 404

    response = client.post("/account/switch/", {"membership": str(second.public_id)})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[ACTIVE_MEMBERSHIP_SESSION_KEY] == str(second.public_id)
    home = client.get("/")
    assert home.context["actor"].membership == second
    assert client.get(f"/orgs/{second.organization.public_id}/staff/").status_code == 200
    assert client.get(f"/orgs/{first.organization.public_id}/staff/").status_code == 404
    event = AuditEvent.objects.get(action="switch", outcome="ok")
    assert event.username == "rco_a_peer"
    assert event.organization_id == second.organization.public_id
    assert event.role == second.role


def test_switching_to_someone_elses_membership_is_404_and_audited(world, as_persona):
    client = as_persona("rco_a_peer")
    before = client.session.get(ACTIVE_MEMBERSHIP_SESSION_KEY)
    stranger = world.memberships["rco_b_admin"]

    response = client.post("/account/switch/", {"membership": str(stranger.public_id)})

    assert response.status_code == 404
    assert client.session.get(ACTIVE_MEMBERSHIP_SESSION_KEY) == before
    assert client.get("/").context["actor"].membership == world.memberships["rco_a_peer"]
    event = AuditEvent.objects.get(action="switch")
    assert event.outcome == "denied"
    assert event.record_id == str(stranger.public_id)
    assert event.record_organization_id == stranger.organization.public_id


def test_switching_with_garbage_is_404_not_500(world, as_persona):
    client = as_persona("rco_a_peer")
    assert client.post("/account/switch/", {"membership": "not-a-uuid"}).status_code == 404
    assert client.post("/account/switch/", {}).status_code == 404
