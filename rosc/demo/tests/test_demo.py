"""`rosc demo`: the synthetic network is deterministic, complete, and kind to existing data."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from rosc.accounts.models import Membership, Organization, User
from rosc.accounts.roles import Role, role_requires_second_factor
from rosc.accounts.services import organization_create
from rosc.councils.models import Council, County
from rosc.demo.network import DEMO_PASSWORD, plan_network, totp_key

REPO = Path(__file__).resolve().parents[3]


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, object]:
    """What a build made, by the names people see (not database ids)."""
    return {
        "usernames": sorted(User.objects.filter(is_demo=True).values_list("username", flat=True)),
        "organizations": sorted(Organization.objects.values_list("name", flat=True)),
        "memberships": sorted(
            Membership.objects.values_list("user__username", "organization__slug", "role")
        ),
        "totp_keys": sorted(TOTPDevice.objects.values_list("user__username", "key")),
        "councils": sorted(
            Council.objects.values_list("name", "counties__fips").order_by("name", "counties__fips")
        ),
    }


def test_the_same_seed_plans_the_same_network_twice():
    assert plan_network(2026) == plan_network(2026)


def test_a_different_seed_gives_different_staff_names():
    names = {(p.first_name, p.last_name) for p in plan_network(2026).staff}
    other = {(p.first_name, p.last_name) for p in plan_network(2027).staff}
    assert names != other


def test_usernames_are_unique_and_plain_ascii():
    usernames = [p.username for p in plan_network(2026).staff]
    assert len(usernames) == len(set(usernames))
    assert all(re.fullmatch(r"[a-z0-9]+\.[a-z0-9]+", u) for u in usernames)


@pytest.mark.django_db
def test_building_resetting_and_building_again_with_the_same_seed_gives_identical_data():
    run_demo("--seed", "41")
    first = snapshot()
    run_demo("--reset", "--seed", "41")
    assert snapshot() == first


@pytest.mark.django_db
def test_reset_with_another_seed_gives_other_staff_names_and_keys():
    run_demo("--seed", "41")
    first = snapshot()
    run_demo("--reset", "--seed", "42")
    second = snapshot()
    assert second["usernames"] != first["usernames"]
    assert second["totp_keys"] != first["totp_keys"]
    assert second["organizations"] == first["organizations"]


@pytest.mark.django_db
def test_there_are_at_least_four_councils_over_real_illinois_counties():
    run_demo()
    councils = Council.objects.prefetch_related("counties")
    assert councils.count() >= 4
    known = {
        "17031": "Cook",
        "17201": "Winnebago",
        "17167": "Sangamon",
        "17019": "Champaign",
        "17143": "Peoria",
        "17113": "McLean",
        "17163": "St. Clair",
        "17077": "Jackson",
    }
    for fips, name in known.items():
        assert County.objects.get(fips=fips).name == name
    for council in councils:
        assert council.time_zone == "America/Chicago"
        assert council.host.kind == Organization.Kind.COUNCIL_HOST
        assert council.counties.exists()
        for county in council.counties.all():
            assert county.state == "IL"
            assert re.fullmatch(r"17\d{3}", county.fips)
            assert int(county.fips[2:]) % 2 == 1 and int(county.fips[2:]) <= 203


@pytest.mark.django_db
def test_every_organization_kind_and_every_role_is_present():
    run_demo()
    kinds = set(Organization.objects.values_list("kind", flat=True))
    roles = set(Membership.objects.values_list("role", flat=True))
    assert kinds == set(Organization.Kind.values)
    assert roles == set(Role.values)
    assert Organization.objects.count() >= 15


@pytest.mark.django_db
def test_organizations_are_marked_as_demo_and_use_example_org_addresses():
    run_demo()
    for org in Organization.objects.all():
        assert org.name.endswith("(demo)")
        assert org.email.endswith("@example.org")
        assert org.url.startswith("https://example.org/")
        assert org.description


@pytest.mark.django_db
def test_each_rco_has_a_peer_specialist_a_supervisor_and_an_admin():
    run_demo()
    for rco in Organization.objects.filter(kind=Organization.Kind.RCO):
        roles = set(rco.memberships.values_list("role", flat=True))
        assert {Role.PEER_SPECIALIST, Role.SUPERVISOR, Role.ORG_ADMIN} <= roles


@pytest.mark.django_db
def test_every_council_host_has_a_coordinator():
    run_demo()
    for council in Council.objects.all():
        assert council.host.memberships.filter(role=Role.COUNCIL_COORDINATOR).exists()


@pytest.mark.django_db
def test_someone_belongs_to_two_organizations():
    run_demo()
    assert any(user.memberships.count() >= 2 for user in User.objects.filter(is_demo=True))


@pytest.mark.django_db
def test_every_role_needing_a_second_factor_has_a_confirmed_device_with_the_seeded_key():
    run_demo("--seed", "5")
    for membership in Membership.objects.select_related("user"):
        devices = TOTPDevice.objects.filter(user=membership.user, confirmed=True)
        if role_requires_second_factor(membership.role):
            assert devices.get().key == totp_key(5, membership.user.username)
    for user in User.objects.filter(is_demo=True):
        needs = any(
            role_requires_second_factor(r) for r in user.memberships.values_list("role", flat=True)
        )
        assert TOTPDevice.objects.filter(user=user).exists() == needs


@pytest.mark.django_db
def test_every_demo_account_is_flagged_and_signs_in_with_the_published_password():
    run_demo()
    users = list(User.objects.all())
    assert users and all(user.is_demo for user in users)
    assert len({user.password for user in users}) == 1
    assert check_password(DEMO_PASSWORD, users[0].password)


@pytest.mark.django_db
def test_the_summary_line_counts_what_was_built():
    out = run_demo()
    plan = plan_network(2026)
    assert out.count("\n") == 1
    assert f"{len(plan.councils)} councils" in out
    assert f"{len(plan.counties)} counties" in out
    assert f"{len(plan.organizations)} organizations" in out
    assert f"{len(plan.staff)} staff accounts" in out


@pytest.mark.django_db
def test_if_empty_keeps_existing_data():
    run_demo("--seed", "3")
    before = snapshot()
    out = run_demo("--if-empty", "--seed", "4")
    assert out.strip() == "Demo network already present; keeping your data."
    assert snapshot() == before


@pytest.mark.django_db
def test_if_empty_builds_into_an_empty_database():
    run_demo("--if-empty")
    assert Council.objects.count() >= 4


@pytest.mark.django_db
def test_building_twice_without_reset_is_refused():
    run_demo()
    with pytest.raises(CommandError, match="use --reset"):
        run_demo()


@pytest.mark.django_db
def test_reset_refuses_when_the_database_holds_other_organizations():
    run_demo()
    organization_create(name="A Real Organization", kind=Organization.Kind.RCO)
    before = snapshot()
    with pytest.raises(CommandError, match="Refusing to reset"):
        run_demo("--reset")
    assert snapshot() == before


@pytest.mark.django_db
def test_logins_lists_every_demo_account_with_its_role_and_the_shared_password():
    run_demo()
    out = run_demo("--logins")
    assert DEMO_PASSWORD in out
    assert "rosc demo --totp USERNAME" in out
    for person in plan_network(2026).staff:
        assert person.username in out
    assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.django_db
def test_totp_prints_the_current_six_digit_code_of_a_demo_account():
    run_demo()
    person = next(p for p in plan_network(2026).staff if p.totp_key)
    out = run_demo("--totp", person.username).strip()
    assert re.fullmatch(r"\d{6}", out)
    device = TOTPDevice.objects.get(user__username=person.username)
    assert device.verify_token(out)


@pytest.mark.django_db
def test_totp_refuses_accounts_without_a_device_and_accounts_that_are_not_demo():
    run_demo()
    person = next(p for p in plan_network(2026).staff if not p.totp_key)
    with pytest.raises(CommandError, match="no second factor"):
        run_demo("--totp", person.username)
    with pytest.raises(CommandError, match="not a demo account"):
        run_demo("--totp", "someone.else")


def test_a_seed_that_is_not_a_number_exits_non_zero_with_a_reason(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    result = subprocess.run(
        [str(Path(sys.executable).with_name("rosc")), "demo", "--seed", "abc"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "invalid int value: 'abc'" in result.stderr
