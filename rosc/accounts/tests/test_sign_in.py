"""Signing in: password, second factor, enrolment, demo accounts, lockout and signing out."""

import pytest
from django.conf import settings
from django.core import management
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, World, current_code
from rosc.accounts.models import User
from rosc.accounts.roles import Role
from rosc.accounts.services import membership_create, user_create
from rosc.cli import main as rosc_main
from rosc.core.models import AuditEvent


def with_password(world: World, persona: str) -> User:
    user = world.users[persona]
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client: Client, username: str, password: str = PASSWORD, **extra: str):
    return client.post("/login/", {"username": username, "password": password, **extra})


def landing(client: Client, username: str) -> str:
    """Sign in with the password and follow the redirects: where does the user end up?"""
    response = client.post("/login/", {"username": username, "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0]


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"


# --- password, then the second factor --------------------------------------------------------


def test_passwords_are_hashed_with_argon2(world):
    user = with_password(world, "rco_a_peer")
    assert user.password.startswith("argon2")
    assert user.check_password(PASSWORD)


def test_peer_who_signs_in_with_a_password_is_asked_for_a_code(world, client):
    with_password(world, "rco_a_peer")
    assert landing(client, "rco_a_peer").startswith("/login/verify/")
    # Nothing else opens until the code is given.
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/verify/")
    assert AuditEvent.objects.filter(username="rco_a_peer", action="login").exists()


def test_wrong_password_is_refused_with_a_message(world, client):
    with_password(world, "rco_a_peer")
    response = log_in(client, "rco_a_peer", "not the password at all")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not response.wsgi_request.user.is_authenticated


def test_wrong_code_is_refused_with_a_message_next_to_the_field(world, client):
    with_password(world, "rco_a_peer")
    log_in(client, "rco_a_peer")
    response = client.post(
        "/login/verify/", {"token": wrong_code(world.devices["rco_a_peer"]), "next": "/"}
    )
    assert response.status_code == 200
    assert "did not match" in response.context["form"].errors["token"][0]
    html = response.content.decode()
    field_at = html.index('name="token"')
    error_at = html.index("did not match")
    assert abs(field_at - error_at) < 600, "the error is not shown with the code field"
    assert client.get("/").status_code == 302


def test_right_code_gets_the_peer_in(world, client):
    with_password(world, "rco_a_peer")
    log_in(client, "rco_a_peer")
    response = client.post(
        "/login/verify/", {"token": current_code(world.devices["rco_a_peer"]), "next": "/account/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert client.get("/").status_code == 200
    assert client.get("/account/").status_code == 200


def test_sign_in_refuses_to_send_the_user_to_another_site(world, client):
    with_password(world, "council_coordinator")
    response = log_in(client, "council_coordinator", next="https://evil.example/steal")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_council_coordinator_needs_no_second_factor_and_goes_straight_home(world, client):
    with_password(world, "council_coordinator")
    assert landing(client, "council_coordinator") == "/"
    assert client.get("/account/").status_code == 200


# --- setting up a second factor --------------------------------------------------------------


def test_peer_without_a_device_is_sent_to_set_one_up_and_can_enrol(world, client):
    user = with_password(world, "rco_a_peer")
    TOTPDevice.objects.filter(user=user).delete()
    assert landing(client, "rco_a_peer") == "/account/two-factor/"

    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    assert page.context["qr_data_uri"].startswith("data:image/svg+xml;base64,")
    html = page.content.decode()
    assert page.context["qr_data_uri"] in html
    assert page.context["key_groups"] in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    response = client.post("/account/two-factor/", {"token": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(username="rco_a_peer", action="enrol_2fa").exists()


def test_enrolment_refuses_a_wrong_code(world, client):
    user = with_password(world, "rco_a_peer")
    TOTPDevice.objects.filter(user=user).delete()
    log_in(client, "rco_a_peer")
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/account/two-factor/", {"token": wrong_code(device)})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/").status_code == 302


def test_a_password_alone_cannot_replace_a_confirmed_device(world, client):
    user = with_password(world, "rco_a_peer")
    log_in(client, "rco_a_peer")
    response = client.get("/account/two-factor/?replace=1")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/verify/")
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1


# --- demo mode -------------------------------------------------------------------------------


@pytest.fixture
def demo_peer(world: World) -> User:
    user = user_create(
        username="demo_peer", email="demo_peer@example.org", password=PASSWORD, is_demo=True
    )
    membership_create(user=user, organization=world.orgs["rco_a"], role=Role.PEER_SPECIALIST)
    return user


def test_demo_account_skips_the_second_factor_in_demo_mode(world, demo_peer, client, settings):
    settings.ROSC_DEMO_MODE = True
    assert landing(client, "demo_peer") == "/"
    assert client.get("/account/").status_code == 200


def test_real_account_still_needs_the_second_factor_in_demo_mode(world, client, settings):
    settings.ROSC_DEMO_MODE = True
    with_password(world, "rco_a_peer")
    assert landing(client, "rco_a_peer").startswith("/login/verify/")


def test_demo_account_needs_the_second_factor_outside_demo_mode(world, demo_peer, client, settings):
    settings.ROSC_DEMO_MODE = False
    assert landing(client, "demo_peer") == "/account/two-factor/"
    assert client.get("/account/").status_code == 302


# --- lockout ---------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(world, client):
    assert settings.AXES_FAILURE_LIMIT == 5
    with_password(world, "council_coordinator")
    statuses = [
        log_in(client, "council_coordinator", "wrong password").status_code for _ in range(5)
    ]
    assert statuses[:4] == [200] * 4
    # The fifth failure reaches the limit and is answered with the locked-out page already.
    assert statuses[4] == 429

    locked = log_in(Client(), "council_coordinator")
    assert locked.status_code == 429
    assert b"This account is locked" in locked.content
    assert not locked.wsgi_request.user.is_authenticated
    # It stays locked, from any browser.
    again = log_in(Client(), "council_coordinator")
    assert again.status_code == 429


def test_rosc_unlock_lifts_the_lockout(world, client, monkeypatch):
    with_password(world, "council_coordinator")
    for _ in range(5):
        log_in(client, "council_coordinator", "wrong password")
    assert log_in(Client(), "council_coordinator").status_code == 429

    # `rosc unlock NAME` runs the management command in this process. Django's command runner
    # closes every database connection when it ends, which would take the test's transaction
    # with it, so the command runs through call_command instead; the mapping is still rosc's.
    ran: list[list[str]] = []

    def execute(argv: list[str]) -> None:
        ran.append(argv)
        call_command(*argv[1:])

    monkeypatch.setattr(management, "execute_from_command_line", execute)
    rosc_main(["unlock", "council_coordinator"])
    assert ran == [["rosc", "axes_reset_username", "council_coordinator"]]

    response = log_in(Client(), "council_coordinator")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_lockout_of_one_user_leaves_colleagues_alone(world, client):
    with_password(world, "council_coordinator")
    with_password(world, "rco_a_admin")
    for _ in range(5):
        log_in(client, "council_coordinator", "wrong password")
    assert log_in(Client(), "rco_a_admin").status_code == 302


# --- signing out -----------------------------------------------------------------------------


def test_sign_out_is_post_only(world, client):
    with_password(world, "council_coordinator")
    log_in(client, "council_coordinator")
    assert client.get("/logout/").status_code == 405
    assert client.get("/").status_code == 200


def test_sign_out_ends_the_session_and_is_audited(world, client):
    with_password(world, "council_coordinator")
    log_in(client, "council_coordinator")
    assert client.get("/").status_code == 200
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    after = client.get("/")
    assert after.status_code == 302
    assert after["Location"].startswith("/login/")
    assert AuditEvent.objects.filter(username="council_coordinator", action="logout").exists()
