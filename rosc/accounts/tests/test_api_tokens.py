"""API keys: a tool acts as a staff member in one organization with `Authorization: Bearer`."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from rosc.accounts.models import ApiToken
from rosc.accounts.services import api_token_create, api_token_revoke, membership_deactivate
from rosc.core.models import AuditEvent


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_key_made_on_the_page_is_shown_once_and_works_for_the_api(world, as_persona):
    admin = as_persona("rco_a_admin")
    page = admin.post("/account/api-keys/", {"name": "Nightly sync"})
    assert page.status_code == 200
    token = ApiToken.objects.get()
    key = page.context["new_key"]
    assert key.startswith("rosc_") and key.encode() in page.content
    assert key not in token.key_hash
    again = admin.get("/account/api-keys/")
    assert key.encode() not in again.content, "the key is shown only once"
    assert b"Nightly sync" in again.content

    org = world.orgs["rco_a"].public_id
    response = Client().get(f"/api/v1/orgs/{org}/staff", headers=bearer(key))
    assert response.status_code == 200
    assert {s["email"] for s in response.json()} >= {"rco_a_admin@example.org"}
    token.refresh_from_db()
    assert token.last_used_at is not None
    listed = AuditEvent.objects.filter(action="list", username="rco_a_admin").latest("id")
    assert listed.organization_id == org


def test_a_key_acts_only_in_its_own_organization(world, actor_of):
    _, key = api_token_create(actor=actor_of("rco_a_peer"), name="phone app")
    other = world.orgs["rco_b"].public_id
    assert Client().get(f"/api/v1/orgs/{other}/staff", headers=bearer(key)).status_code == 404
    assert AuditEvent.objects.filter(username="rco_a_peer", outcome="denied").exists()


def test_a_revoked_expired_or_orphaned_key_or_a_made_up_one_gets_401(world, actor_of):
    org = world.orgs["rco_a"].public_id
    url = f"/api/v1/orgs/{org}/staff"
    assert Client().get(url, headers=bearer("rosc_made-up")).status_code == 401

    revoked, key = api_token_create(actor=actor_of("rco_a_peer"), name="a")
    assert Client().get(url, headers=bearer(key)).status_code == 200
    api_token_revoke(actor=actor_of("rco_a_peer"), token_id=str(revoked.public_id))
    assert Client().get(url, headers=bearer(key)).status_code == 401

    expired, key = api_token_create(actor=actor_of("rco_a_peer"), name="b")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(url, headers=bearer(key)).status_code == 401

    _, key = api_token_create(actor=actor_of("rco_a_peer"), name="c")
    membership_deactivate(actor=actor_of("rco_a_admin"), membership=world.memberships["rco_a_peer"])
    assert Client().get(url, headers=bearer(key)).status_code == 401


def test_nobody_can_revoke_someone_elses_key(world, actor_of, as_persona):
    token, _ = api_token_create(actor=actor_of("rco_a_peer"), name="mine")
    response = as_persona("rco_a_admin").post(
        "/account/api-keys/", {"revoke": str(token.public_id)}
    )
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_key_needs_a_name(world, as_persona):
    page = as_persona("rco_a_peer").post("/account/api-keys/", {"name": "  "})
    assert b"Name the tool or script that will use this key." in page.content
    assert not ApiToken.objects.exists()
