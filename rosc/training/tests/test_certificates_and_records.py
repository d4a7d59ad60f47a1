"""Certificates, their public verification, a person's training record and the org report."""

import csv
import io
from datetime import timedelta

from django.utils import timezone

from rosc.core.models import AuditEvent
from rosc.training.tests.factories import completed, course, offer


def held(world, org_key="rco_a", days_ago=10, split=None, title="Naloxone and harm reduction"):
    made = course(world.orgs[org_key], title=title, split=split)
    return offer(made, starts_at=timezone.now() - timedelta(days=days_ago), hosts=())


def test_the_holder_prints_their_certificate_with_hours_hosts_and_code(world, as_persona):
    session = held(world, split={"ethics": "4", "recovery-coaching": "2"}, title="Ethics")
    session.hosts.add(world.orgs["provider"])
    enrolment = completed(session, world.users["rco_b_peer"], world.orgs["rco_b"])
    page = as_persona("rco_b_peer").get(f"/training/certificates/{enrolment.public_id}/")
    assert page.status_code == 200
    text = page.content.decode()
    for expected in (
        "Rco B",
        "Ethics",
        "Recovery coaching / peer support",
        "Lakeside Treatment Partners",
        "Riverbend Recovery Community",
        enrolment.verification_code,
        f"/training/verify/{enrolment.verification_code}/",
    ):
        assert expected in text
    assert AuditEvent.objects.filter(record_type="training.enrolment", action="view").exists()


def test_the_holders_org_admin_sees_the_certificate_but_colleagues_and_others_get_404(
    world, as_persona
):
    enrolment = completed(held(world), world.users["rco_b_peer"], world.orgs["rco_b"])
    url = f"/training/certificates/{enrolment.public_id}/"
    assert as_persona("rco_b_admin").get(url).status_code == 200
    assert as_persona("rco_b_supervisor").get(url).status_code == 404
    assert as_persona("rco_a_admin").get(url).status_code == 404
    assert (
        AuditEvent.objects.filter(outcome="denied", record_id=str(enrolment.public_id)).count() == 2
    )


def test_the_public_verification_page_confirms_a_code_or_says_not_found(world, client):
    enrolment = completed(held(world), world.users["rco_a_peer"], world.orgs["rco_a"])
    assert enrolment.verification_code is not None
    page = client.get(f"/training/verify/{enrolment.verification_code.lower()}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Certificate confirmed" in text and "Rco A" in text and "Naloxone" in text
    missing = client.get("/training/verify/AAAA-BBBB-CCCC/")
    assert missing.status_code == 404
    assert "Certificate not found" in missing.content.decode()
    lookup = client.get("/training/verify/", {"code": enrolment.verification_code})
    assert lookup["Location"] == f"/training/verify/{enrolment.verification_code}/"


def test_my_training_shows_the_last_two_years_by_category_and_any_chosen_period(world, as_persona):
    me = world.users["rco_a_peer"]
    completed(held(world, days_ago=30), me, world.orgs["rco_a"])
    completed(
        held(world, days_ago=400, title="Ethics", split={"ethics": "6"}), me, world.orgs["rco_a"]
    )
    completed(
        held(world, days_ago=900, title="Old stigma course", split={"stigma": "1"}),
        me,
        world.orgs["rco_a"],
    )
    peer = as_persona("rco_a_peer")
    record = peer.get("/training/mine/").context["record"]
    assert {c.slug: h for c, h in record.lines()} == {"ethics": 6, "harm-reduction": 2}
    assert record.total == 8
    today = timezone.localdate()
    recent = peer.get(
        "/training/mine/", {"start": (today - timedelta(days=60)).isoformat(), "end": today}
    ).context["record"]
    assert recent.total == 2
    everything = peer.get("/training/mine/", {"start": "2000-01-01"}).context["record"]
    assert everything.total == 9


def test_a_reversed_period_is_an_error_next_to_the_field(world, as_persona):
    response = as_persona("rco_a_peer").get(
        "/training/mine/", {"start": "2026-05-01", "end": "2026-01-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end"]


def test_org_admin_gets_staff_by_category_hours_and_a_csv_but_nobody_else(world, as_persona):
    completed(held(world), world.users["rco_a_peer"], world.orgs["rco_a"])
    # Hours earned as another organization's staff are that organization's.
    completed(held(world, "rco_b"), world.users["rco_a_supervisor"], world.orgs["rco_b"])
    admin = as_persona("rco_a_admin")
    report = admin.get("/training/report/").context["report"]
    rows = {r.name: r.total for r in report.rows}
    assert rows["Rco A Peer"] == 2
    assert rows["Rco A Supervisor"] == 0
    assert sum(rows.values()) == 2
    exported = admin.get("/training/report.csv")
    assert exported["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(exported.content.decode())))
    assert table[0] == ["Name", "E-mail", "Role", "Harm reduction", "Total hours"]
    assert [
        "Rco A Peer",
        "rco_a_peer@example.org",
        "Peer recovery specialist",
        "2.00",
        "2.00",
    ] in table
    assert AuditEvent.objects.filter(action="export", record_type="training.enrolment").exists()
    for persona in ("rco_a_peer", "rco_a_supervisor", "council_coordinator", "network_admin"):
        assert as_persona(persona).get("/training/report/").status_code == 404
        assert as_persona(persona).get("/training/report.csv").status_code == 404
