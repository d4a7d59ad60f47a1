"""The audit trail: what an org admin sees, filters, the CSV export, and that it is append-only."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.db import DatabaseError, connection, transaction

from conftest import World
from rosc.accounts.views import AUDIT_EXPORT_COLUMNS
from rosc.core.models import AppendOnlyError, AuditEvent


def staff_url(world: World, persona: str) -> str:
    m = world.memberships[persona]
    return f"/orgs/{m.organization.public_id}/staff/{m.public_id}/"


def audit_url(world: World, org_key: str, suffix: str = "") -> str:
    return f"/orgs/{world.orgs[org_key].public_id}/audit/{suffix}"


@pytest.fixture
def trail(world, as_persona) -> dict[str, AuditEvent]:
    """A few events: rco_a's own work, rco_b's own work, and rco_b's peer trying rco_a's records."""
    as_persona("rco_a_admin").get(staff_url(world, "rco_a_peer"))
    as_persona("rco_b_admin").get(staff_url(world, "rco_b_peer"))
    as_persona("rco_b_peer").get(staff_url(world, "rco_a_supervisor"))
    return {
        "a_own": AuditEvent.objects.get(username="rco_a_admin", action="view"),
        "b_own": AuditEvent.objects.get(username="rco_b_admin", action="view"),
        "b_tries_a": AuditEvent.objects.get(username="rco_b_peer", outcome="denied"),
    }


def listed(response) -> set[str]:
    return {str(e.public_id) for e in response.context["page"].object_list}


def test_admin_sees_own_events_and_others_refused_attempts_but_never_another_orgs_events(
    world, as_persona, trail
):
    response = as_persona("rco_a_admin").get(audit_url(world, "rco_a"))
    assert response.status_code == 200
    shown = listed(response)
    assert str(trail["a_own"].public_id) in shown
    assert str(trail["b_tries_a"].public_id) in shown
    assert str(trail["b_own"].public_id) not in shown
    org_a = world.orgs["rco_a"].public_id
    for event in response.context["page"].object_list:
        assert org_a in (event.organization_id, event.record_organization_id)
    assert b"rco_b_peer" in response.content


def test_other_orgs_admin_does_not_see_rco_as_own_work(world, as_persona, trail):
    shown = listed(as_persona("rco_b_admin").get(audit_url(world, "rco_b")))
    assert str(trail["b_own"].public_id) in shown
    # Their peer's refused attempt is theirs too: they did it.
    assert str(trail["b_tries_a"].public_id) in shown
    assert str(trail["a_own"].public_id) not in shown


def test_viewing_the_trail_is_itself_audited(world, as_persona):
    as_persona("rco_a_admin").get(audit_url(world, "rco_a") + "?outcome=denied")
    event = AuditEvent.objects.get(action="list", record_type="core.auditevent")
    assert event.username == "rco_a_admin"
    assert event.detail == {"outcome": "denied"}


def test_filters_by_username_action_and_outcome(world, as_persona, trail):
    admin = as_persona("rco_a_admin")
    by_user = admin.get(audit_url(world, "rco_a"), {"username": "RCO_B_PEER"})
    assert listed(by_user) == {str(trail["b_tries_a"].public_id)}
    denied = admin.get(audit_url(world, "rco_a"), {"outcome": "denied"})
    assert listed(denied) == {str(trail["b_tries_a"].public_id)}
    views = admin.get(audit_url(world, "rco_a"), {"action": "view", "outcome": "ok"})
    assert listed(views) == {str(trail["a_own"].public_id)}


def test_filters_by_dates(world, as_persona, trail):
    old = AuditEvent.objects.create(
        at=datetime(2024, 1, 15, 18, 0, tzinfo=UTC),
        username="rco_a_supervisor",
        organization_id=world.orgs["rco_a"].public_id,
        action=AuditEvent.Action.VIEW,
    )
    admin = as_persona("rco_a_admin")
    january = admin.get(audit_url(world, "rco_a"), {"since": "2024-01-01", "until": "2024-01-31"})
    assert listed(january) == {str(old.public_id)}
    later = admin.get(audit_url(world, "rco_a"), {"since": "2024-02-01"})
    assert str(old.public_id) not in listed(later)
    assert str(trail["a_own"].public_id) in listed(later)
    earlier = admin.get(audit_url(world, "rco_a"), {"until": "2023-12-31"})
    assert listed(earlier) == set()


def test_from_date_after_to_date_is_a_field_error_not_a_crash(world, as_persona, trail):
    response = as_persona("rco_a_admin").get(
        audit_url(world, "rco_a"), {"since": "2024-03-01", "until": "2024-02-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["until"] == ["The end date is before the start date."]
    assert b"The end date is before the start date." in response.content


def test_a_date_that_is_not_a_date_is_a_field_error_not_a_crash(world, as_persona):
    response = as_persona("rco_a_admin").get(audit_url(world, "rco_a"), {"since": "yesterday"})
    assert response.status_code == 200
    assert response.context["form"].errors["since"]


def parse_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_csv_export_has_a_header_and_one_line_per_event_and_is_audited(world, as_persona, trail):
    response = as_persona("rco_a_admin").get(audit_url(world, "rco_a", "export.csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = parse_csv(response)

    assert rows[0] == list(AUDIT_EXPORT_COLUMNS)
    exported = [row[0] for row in rows[1:]]
    org_a = world.orgs["rco_a"].public_id
    expected = {
        str(e.public_id)
        for e in AuditEvent.objects.all()
        if org_a in (e.organization_id, e.record_organization_id)
    }
    assert len(exported) == len(set(exported))
    assert set(exported) == expected
    assert str(trail["b_own"].public_id) not in exported
    export = AuditEvent.objects.get(action="export")
    assert export.username == "rco_a_admin"
    assert export.record_organization_id == org_a
    # The export is itself an event of the trail, so it is in the file it made.
    assert str(export.public_id) in exported


def test_csv_export_follows_the_filters(world, as_persona, trail):
    response = as_persona("rco_a_admin").get(
        audit_url(world, "rco_a", "export.csv"), {"outcome": "denied"}
    )
    rows = parse_csv(response)
    assert [row[0] for row in rows[1:]] == [str(trail["b_tries_a"].public_id)]
    outcome = AUDIT_EXPORT_COLUMNS.index("outcome")
    assert rows[1][outcome] == "denied"


def test_csv_export_does_not_let_a_name_become_a_spreadsheet_formula(world, as_persona):
    peer = world.users["rco_a_peer"]
    peer.first_name = '=HYPERLINK("https://evil.example","click")'
    peer.save()
    admin = as_persona("rco_a_admin")
    admin.get(staff_url(world, "rco_a_peer"))
    rows = parse_csv(admin.get(audit_url(world, "rco_a", "export.csv"), {"action": "view"}))
    label = AUDIT_EXPORT_COLUMNS.index("record_label")
    labels = [row[label] for row in rows[1:]]
    assert labels
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert any(cell.startswith("'=HYPERLINK") for cell in labels)


def test_peer_cannot_export_the_trail(world, as_persona):
    response = as_persona("rco_a_peer").get(audit_url(world, "rco_a", "export.csv"))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="export", outcome="ok").exists()
    assert AuditEvent.objects.filter(action="export", outcome="denied").exists()


def test_audit_detail_shows_own_orgs_event(world, as_persona, trail):
    response = as_persona("rco_a_admin").get(
        audit_url(world, "rco_a", f"{trail['a_own'].public_id}/")
    )
    assert response.status_code == 200
    assert response.context["event"] == trail["a_own"]


def test_audit_detail_of_another_orgs_event_is_404(world, as_persona, trail):
    admin = as_persona("rco_a_admin")
    theirs = admin.get(audit_url(world, "rco_a", f"{trail['b_own'].public_id}/"))
    assert theirs.status_code == 404
    under_their_org = admin.get(audit_url(world, "rco_b", f"{trail['b_own'].public_id}/"))
    assert under_their_org.status_code == 404
    assert (
        AuditEvent.objects.filter(
            username="rco_a_admin", outcome="denied", record_id=str(trail["b_own"].public_id)
        ).count()
        == 2
    )


# --- append-only -----------------------------------------------------------------------------


def test_audit_events_cannot_be_changed_or_removed_through_the_orm(world, trail):
    event = trail["a_own"]
    event.username = "someone_else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(username="someone_else")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    # bulk_update runs in its own atomic block; the savepoint keeps the test's transaction usable.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["username"])
    event.refresh_from_db()
    assert event.username == "rco_a_admin"
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_a_raw_update_of_an_audit_event(world, trail):
    event = trail["a_own"]
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE core_auditevent SET username = %s WHERE id = %s", ["forged", event.pk]
        )
    event.refresh_from_db()
    assert event.username == "rco_a_admin"


def test_the_database_refuses_a_raw_delete_of_an_audit_event_on_postgresql(world, trail):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no DELETE trigger (its test flush deletes rows); the ORM refuses")
    event = trail["a_own"]
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- what each event records ------------------------------------------------------------------


def test_each_event_records_who_role_organization_action_record_subject_when_and_ip(
    world, as_persona
):
    peer = world.memberships["rco_a_peer"]
    before = datetime.now(UTC)
    as_persona("rco_a_admin").get(
        staff_url(world, "rco_a_peer"), REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="TestBrowser/1"
    )
    event = AuditEvent.objects.get(action="view")
    admin = world.users["rco_a_admin"]
    org = world.orgs["rco_a"]
    assert (event.user_id, event.username, event.role) == (admin.pk, admin.username, "org_admin")
    assert (event.organization_id, event.organization_name) == (org.public_id, org.name)
    assert event.outcome == "ok"
    assert (event.record_type, event.record_id) == ("accounts.membership", str(peer.public_id))
    assert event.record_organization_id == org.public_id
    assert (event.subject_type, event.subject_id) == ("accounts.user", str(peer.user.public_id))
    assert before <= event.at <= datetime.now(UTC)
    assert event.ip == "203.0.113.9"
    assert event.user_agent == "TestBrowser/1"
