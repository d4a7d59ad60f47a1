"""Security headers on every page, no inline script, and sessions that end after inactivity."""

import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from conftest import World, sign_in
from rosc.accounts.actor import actor_for_user
from rosc.accounts.middleware import SESSION_TOUCHED_KEY
from rosc.core.audit import audit_record

# Pages to check, as (persona or None for anonymous, path template). {org}, {member} and
# {event} are filled from the world.
PAGES = [
    (None, "/login/"),
    (None, "/password-reset/"),
    (None, "/password-reset/sent/"),
    (None, "/password-reset/MQ/made-up-token/"),
    (None, "/invite/MQ/made-up-token/"),
    (None, "/no-such-page/"),
    ("rco_a_admin", "/"),
    ("rco_a_admin", "/account/"),
    ("rco_a_admin", "/account/two-factor/"),
    ("rco_a_admin", "/account/password/"),
    ("rco_a_admin", "/login/verify/"),
    ("rco_a_admin", "/orgs/{org}/staff/"),
    ("rco_a_admin", "/orgs/{org}/staff/invite/"),
    ("rco_a_admin", "/orgs/{org}/staff/{member}/"),
    ("rco_a_admin", "/orgs/{org}/audit/"),
    ("rco_a_admin", "/orgs/{org}/audit/{event}/"),
    ("rco_a_peer", "/orgs/{org}/audit/"),  # the 404 page, signed in
    ("council_coordinator", "/"),
]


class ScriptCollector(HTMLParser):
    """Every <script> tag's attributes, and every inline event-handler attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
        self.handlers += [f"<{tag} {name}>" for name, _ in attrs if name.startswith("on")]


def directives(header: str) -> dict[str, list[str]]:
    result = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


@pytest.fixture
def fetch(world: World):
    peer = world.memberships["rco_a_peer"]
    event = audit_record(
        actor=actor_for_user(world.users["rco_a_admin"]),
        action="view",
        record=peer,
        record_organization_id=peer.organization.public_id,
    )
    values = {
        "org": str(peer.organization.public_id),
        "member": str(peer.public_id),
        "event": str(event.public_id),
    }

    def _get(persona: str | None, path: str):
        client = Client() if persona is None else sign_in(Client(), world, persona)
        return client.get(path.format(**values))

    return _get


@pytest.mark.parametrize(("persona", "path"), PAGES)
def test_page_carries_a_strict_content_security_policy(fetch, persona, path):
    response = fetch(persona, path)
    assert response.status_code in (200, 400, 404), response.status_code
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    policy = directives(header)
    script_src = policy["script-src"]
    assert "'self'" in script_src
    nonces = [s for s in script_src if re.fullmatch(r"'nonce-[A-Za-z0-9+/=_-]{16,}'", s)]
    assert len(nonces) == 1, script_src
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert not any("http" in s for sources in policy.values() for s in sources), header


@pytest.mark.parametrize(("persona", "path"), PAGES)
def test_page_carries_the_other_security_headers(fetch, persona, path):
    response = fetch(persona, path)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize(("persona", "path"), PAGES)
def test_page_has_no_inline_script_without_the_nonce(fetch, persona, path):
    response = fetch(persona, path)
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert nonce
    parser = ScriptCollector()
    parser.feed(response.content.decode())
    assert parser.scripts, "every page loads the site's scripts"
    for attrs in parser.scripts:
        assert attrs.get("src") or attrs.get("nonce") == nonce[1], attrs
        if attrs.get("nonce") is not None:
            assert attrs["nonce"] == nonce[1], "a script carries a nonce of another response"
        if src := attrs.get("src"):
            assert src.startswith("/static/"), "scripts come from our own origin only"
    assert not parser.handlers, parser.handlers


def test_api_docs_load_only_our_own_scripts_and_no_inline_script(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    html = response.content.decode()
    assert "http://" not in html
    assert "https://" not in html
    parser = ScriptCollector()
    parser.feed(html)
    assert parser.scripts
    for attrs in parser.scripts:
        # A JSON data block is never run; anything else is a file of ours.
        if attrs.get("type") != "application/json":
            assert (attrs.get("src") or "").startswith("/static/"), attrs
    assert not parser.handlers


def test_each_response_gets_its_own_nonce(world):
    client = Client()
    first = re.search(r"'nonce-([^']+)'", client.get("/login/")["Content-Security-Policy"])
    second = re.search(r"'nonce-([^']+)'", client.get("/login/")["Content-Security-Policy"])
    assert first and second
    assert first[1] != second[1]


def test_json_responses_carry_the_headers_too(world):
    response = sign_in(Client(), world, "rco_a_admin").get("/api/v1/me")
    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_locked_out_page_carries_the_headers_too(world, client):
    user = world.users["council_coordinator"]
    user.set_password("the right password 123")
    user.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/login/", {"username": user.username, "password": "wrong"})
    assert response.status_code == 429
    assert "'nonce-" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


# --- sessions --------------------------------------------------------------------------------


def test_sessions_end_after_thirty_idle_minutes_by_default():
    if "ROSC_SESSION_IDLE_MINUTES" not in os.environ:
        assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert "rosc.accounts.middleware.SlidingSessionMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_COOKIE_HTTPONLY is True


def settings_in_a_fresh_process(tmp_path: Path, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ROSC_")}
    environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL="sqlite://:memory:",
        ROSC_VAR_DIR=str(tmp_path),
        **env,
    )
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SESSION_COOKIE_AGE)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=environ,
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_idle_timeout_defaults_to_thirty_minutes_in_a_fresh_process(tmp_path):
    assert settings_in_a_fresh_process(tmp_path) == "1800"


def test_idle_timeout_follows_rosc_session_idle_minutes(tmp_path):
    assert settings_in_a_fresh_process(tmp_path, ROSC_SESSION_IDLE_MINUTES="5") == "300"


def test_every_request_pushes_the_session_end_forward(world):
    client = sign_in(Client(), world, "rco_a_admin")
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    assert client.get("/").status_code == 200
    expires = Session.objects.get(session_key=key).expire_date
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((expires - expected).total_seconds()) < 60


def test_the_session_row_is_rewritten_at_most_once_a_minute(world):
    client = sign_in(Client(), world, "rco_a_admin")
    key = client.session.session_key
    assert client.get("/").status_code == 200
    soon = timezone.now() + timedelta(minutes=5)
    Session.objects.filter(session_key=key).update(expire_date=soon)
    assert client.get("/").status_code == 200
    assert Session.objects.get(session_key=key).expire_date == soon, "touched seconds ago"
    session = client.session
    session[SESSION_TOUCHED_KEY] = int(time.time()) - 61
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=soon)
    assert client.get("/").status_code == 200
    assert Session.objects.get(session_key=key).expire_date > soon + timedelta(minutes=20)


def test_an_idle_session_has_ended(world):
    client = sign_in(Client(), world, "rco_a_admin")
    assert client.get("/").status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
