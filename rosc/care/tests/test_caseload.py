"""A peer's caseload, a supervisor's team view, and the person's page with every section."""

from datetime import timedelta

from django.utils import timezone

from rosc.assessments.models import Instrument
from rosc.assessments.services import assessment_record
from rosc.core.models import AuditEvent
from rosc.encounters.services import encounter_log
from rosc.people.services import participant_primary_peer_set


def barc10() -> Instrument:
    return Instrument.objects.get(code="BARC-10", owner__isnull=True)


def test_the_caseload_shows_my_people_what_is_due_and_my_recent_contacts(
    world, as_persona, actor_of, enrol
):
    mine = enrol("rco_a_peer", "Maria", "Garcia")
    checked = enrol("rco_a_peer", "Sam", "Lee")
    theirs = enrol("rco_a_supervisor", "Alex", "Kim")
    peer = actor_of("rco_a_peer")
    answers = {str(i): 5 for i in range(1, 11)}
    assessment_record(
        actor=peer,
        participant=checked,
        instrument=barc10(),
        taken_on=timezone.localdate(),
        occasion="intake",
        answers=answers,
    )
    encounter_log(actor=peer, participant=mine, kind="one_to_one", duration_minutes=20, place="rco")

    page = as_persona("rco_a_peer").get("/caseload/")

    assert page.status_code == 200
    caseload = page.context["caseload"]
    assert [r.participant for r in caseload.rows] == [mine, checked]
    assert theirs not in [r.participant for r in caseload.rows]
    assert [r.participant for r in caseload.checkins_due] == [mine], "Sam checked in today"
    assert {item.participant for item in caseload.followups} == {mine, checked}, "intakes open"
    assert [e.participant for e in caseload.recent] == [mine]
    assert b"Maria Garcia" in page.content and b"Alex Kim" not in page.content
    assert AuditEvent.objects.filter(
        record_type="care.caseload", action="list", username="rco_a_peer"
    ).exists()


def test_a_person_moves_to_another_peers_caseload_when_their_primary_peer_changes(
    world, as_persona, actor_of, enrol
):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    participant_primary_peer_set(
        actor=actor_of("rco_a_supervisor"), participant=person, peer=world.users["rco_a_supervisor"]
    )
    assert as_persona("rco_a_peer").get("/caseload/").context["caseload"].rows == []
    rows = as_persona("rco_a_supervisor").get("/caseload/").context["caseload"].rows
    assert [r.participant for r in rows] == [person]


def test_the_supervisor_sees_each_peers_workload_and_plans_waiting_for_review(
    world, as_persona, actor_of, enrol
):
    from rosc.plans.services import plan_save

    person = enrol("rco_a_peer", "Maria", "Garcia")
    enrol("rco_a_peer", "Sam", "Lee")
    peer = actor_of("rco_a_peer")
    for _ in range(3):
        encounter_log(
            actor=peer, participant=person, kind="phone", duration_minutes=10, place="remote"
        )
    plan_save(
        actor=peer,
        participant=person,
        base_version=None,
        meaning="Being there for my kids.",
        strengths="Stubborn in a good way.",
        goals=[],
    )

    page = as_persona("rco_a_supervisor").get("/caseload/team/")

    assert page.status_code == 200
    team = page.context["team"]
    by_name = {w.user.username: w for w in team.peers if w.user}
    assert by_name["rco_a_peer"].people == 2
    assert by_name["rco_a_peer"].contacts_30_days == 3
    assert by_name["rco_a_peer"].checkins_due == 2
    assert by_name["rco_a_peer"].followups_open == 2
    assert [v.participant for v in team.awaiting_review] == [person]
    assert b"Plans waiting for review (1)" in page.content


def test_a_peer_cannot_open_the_team_view(world, as_persona):
    assert as_persona("rco_a_peer").get("/caseload/team/").status_code == 404
    assert AuditEvent.objects.filter(
        record_type="care.team", outcome="denied", username="rco_a_peer"
    ).exists()


def test_the_persons_page_gathers_every_section_and_audits_each_read(
    world, as_persona, actor_of, enrol
):
    person = enrol("rco_a_peer", "Maria", "Garcia", recovery_pathways=["faith_based"])
    encounter_log(
        actor=actor_of("rco_a_peer"),
        participant=person,
        kind="one_to_one",
        duration_minutes=30,
        place="rco",
        note="Talked about her daughter's graduation.",
        occurred_at=timezone.now() - timedelta(hours=1),
    )
    page = as_persona("rco_a_peer").get(f"/participants/{person.public_id}/")
    assert page.status_code == 200
    for heading in (b"Contacts", b"Recovery capital check-ins", b"Consents to share"):
        assert heading in page.content, heading
    assert b"Log a contact" in page.content
    assert b"Faith-based recovery" in page.content
    assert b"graduation" not in page.content, "notes are read one at a time, on their own"
    viewed = AuditEvent.objects.filter(subject_id=str(person.public_id), username="rco_a_peer")
    assert viewed.filter(action="view", record_type="people.participant").exists()
