"""The `rosc` command, run as a user runs it: a separate process on its own SQLite file.

The database is migrated once for the module (about a second), and every run has a time limit,
so these stay quick and never hang the suite.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from rosc.cli import COMMANDS

ROSC = str(Path(sys.executable).with_name("rosc"))
TIME_LIMIT = 120  # seconds, for any one run


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ROSC, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        check=False,
    )


@pytest.fixture(scope="module")
def rosc_env(tmp_path_factory) -> dict[str, str]:
    """An environment whose database is a fresh, migrated SQLite file."""
    home = tmp_path_factory.mktemp("rosc-cli")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ROSC_", "DJANGO_"))}
    env["DATABASE_URL"] = f"sqlite:///{home / 'rosc.sqlite3'}"
    env["ROSC_VAR_DIR"] = str(home)
    done = run("migrate", "-v0", env=env)
    assert done.returncode == 0, done.stderr
    return env


def rows(env: dict[str, str], sql: str) -> list[tuple[object, ...]]:
    path = env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


def test_rosc_help_lists_every_command_and_exits_0():
    for args in (["--help"], []):
        done = run(*args)
        assert done.returncode == 0
        assert done.stdout.startswith("usage: rosc")
        for name in COMMANDS:
            assert f"  {name} " in done.stdout
        assert done.stderr == ""


def test_unknown_command_exits_2_with_one_line_on_stderr():
    done = run("nosuchcommand")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "nosuchcommand" in lines[0]


def test_createadmin_refuses_a_short_password_with_a_one_line_reason(rosc_env):
    done = run(
        "createadmin", "boss", "--email", "boss@example.org", "--password", "short", env=rosc_env
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "12 characters" in lines[0]
    assert rows(rosc_env, "SELECT username FROM accounts_user WHERE username = 'boss'") == []


def test_createadmin_refuses_a_common_password_with_a_one_line_reason(rosc_env):
    done = run(
        "createadmin",
        "boss",
        "--email",
        "boss@example.org",
        "--password",
        "password12345",
        env=rosc_env,
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "too common" in lines[0]
    assert rows(rosc_env, "SELECT username FROM accounts_user WHERE username = 'boss'") == []


def test_createadmin_makes_a_superuser_network_admin_once(rosc_env):
    args = ("createadmin", "chief", "--email", "chief@example.org")
    done = run(*args, "--password", "quiet river stones 2025", env=rosc_env)
    assert done.returncode == 0, done.stderr
    assert "chief" in done.stdout
    assert rows(
        rosc_env,
        "SELECT u.is_superuser, u.password LIKE 'argon2%', m.role FROM accounts_user u "
        "JOIN accounts_membership m ON m.user_id = u.id WHERE u.username = 'chief'",
    ) == [(1, 1, "network_admin")]

    again = run(*args, "--password", "another long password 99", env=rosc_env)
    assert again.returncode != 0
    assert len(again.stderr.strip().splitlines()) == 1
    assert "taken" in again.stderr
