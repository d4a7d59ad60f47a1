"""Follow-up pages and API through the full request cycle."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from rosc.core.models import AuditEvent
from rosc.followups.models import FollowUp, FollowUpAttempt, InterviewType
from rosc.followups.schedule import add_months
from rosc.people.models import Episode, ParticipantStatus

SIX = InterviewType.SIX_MONTH


def today():
    return timezone.localdate()


@pytest.fixture
def person(enrol):
    return enrol("rco_a_peer", "Maria", "Garcia", enrolled_on=add_months(today(), -6))


def page(person, part=""):
    return f"/participants/{person.public_id}/{part}"


def test_the_follow_ups_page_shows_each_follow_up_with_its_window_and_is_audited(
    as_persona, person
):
    response = as_persona("rco_a_peer").get(page(person, "follow-ups/"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "6-month follow-up" in content
    assert "Open now" in content
    assert f"?followup=1-{SIX}" in content
    assert AuditEvent.objects.filter(
        username="rco_a_peer",
        action=AuditEvent.Action.LIST,
        record_type="followups.followup",
        subject_id=str(person.public_id),
    ).exists()


def test_a_peer_records_an_attempt_and_completes_the_6_month_follow_up(as_persona, person):
    peer = as_persona("rco_a_peer")
    form = peer.get(page(person, f"follow-ups/attempt/?followup=1-{SIX}"))
    assert form.status_code == 200
    assert f'value="1-{SIX}" selected' in form.content.decode()
    response = peer.post(
        page(person, "follow-ups/attempt/"),
        {
            "followup": f"1-{SIX}",
            "attempted_on": today().isoformat(),
            "method": "phone_call",
            "outcome": "not_reached",
            "note": "Left no message, as they asked.",
        },
    )
    assert response.status_code == 302
    assert FollowUpAttempt.objects.get().outcome == "not_reached"

    response = peer.post(
        page(person, "follow-ups/complete/"),
        {
            "followup": f"1-{SIX}",
            "completed_on": today().isoformat(),
            "outcome": "reached",
            "method": "in_person",
        },
    )
    assert response.status_code == 302
    assert FollowUp.objects.get().completed_on == today()
    listing = peer.get(page(person, "follow-ups/")).content.decode()
    assert "Interview done on" in listing


def test_completing_outside_the_window_shows_the_error_by_the_date_and_saves_nothing(
    as_persona, person
):
    response = as_persona("rco_a_peer").post(
        page(person, "follow-ups/complete/"),
        {
            "followup": f"1-{SIX}",
            "completed_on": (today() - timedelta(days=200)).isoformat(),
            "outcome": "reached",
            "method": "in_person",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "can only be completed inside its window" in content
    assert 'aria-invalid="true"' in content
    assert not FollowUp.objects.exists()
    assert not FollowUpAttempt.objects.exists()


def test_a_peer_discharges_and_re_enrols_a_person_through_the_forms(as_persona, person):
    peer = as_persona("rco_a_peer")
    empty = peer.post(page(person, "discharge/"), {"on": today().isoformat()})
    assert "Choose the reason that fits best." in empty.content.decode()
    response = peer.post(
        page(person, "discharge/"),
        {"on": today().isoformat(), "reason": "moved", "note": ""},
        follow=True,
    )
    assert "is discharged. Their discharge interview is due by" in response.content.decode()
    person.refresh_from_db()
    assert person.status == ParticipantStatus.DISCHARGED
    again = peer.get(page(person, "discharge/")).content.decode()
    assert "is already discharged" in again

    response = peer.post(
        page(person, "re-enrol/"),
        {"on": today().isoformat(), "reason": "Moved back and wants support again"},
        follow=True,
    )
    assert "Welcome back" in response.content.decode()
    assert list(
        Episode.objects.filter(participant=person).values_list("intake_seq", flat=True)
    ) == [1, 2]


def test_staff_change_the_primary_peer_to_a_colleague_but_not_to_someone_outside(
    world, as_persona, person
):
    supervisor = world.users["rco_a_supervisor"]
    client = as_persona("rco_a_supervisor")
    outsider = world.users["rco_b_peer"]
    refused = client.post(page(person, "primary-peer/"), {"primary_peer": outsider.pk})
    assert refused.status_code == 200
    assert 'aria-invalid="true"' in refused.content.decode()
    response = client.post(page(person, "primary-peer/"), {"primary_peer": supervisor.pk})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.primary_peer == supervisor


ROUTES = ["follow-ups/", "follow-ups/attempt/", "follow-ups/complete/", "discharge/", "re-enrol/"]


def test_another_organizations_staff_get_404_on_every_page_and_api_and_each_try_is_denied(
    world, as_persona, person
):
    outsider = as_persona("rco_b_supervisor")
    own_org = world.orgs["rco_b"].public_id
    api = f"/api/v1/orgs/{own_org}/participants/{person.public_id}"
    attempts = [("get", page(person, part)) for part in [*ROUTES, "primary-peer/"]]
    attempts += [("post", page(person, part)) for part in [*ROUTES, "primary-peer/"]]
    attempts += [("get", f"{api}/follow-ups")]
    attempts += [
        ("post", f"{api}/{part}")
        for part in ("follow-ups/attempts", "follow-ups/complete", "discharge", "re-enrolment")
    ]
    for method, path in attempts:
        since = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
        if method == "get":
            response = outsider.get(path)
        else:
            response = outsider.post(
                path, json.dumps({"on": today().isoformat()}), content_type="application/json"
            )
        assert response.status_code == 404, (method, path)
        assert b"Garcia" not in response.content
        assert AuditEvent.objects.filter(
            id__gt=since, outcome=AuditEvent.Outcome.DENIED, record_id=str(person.public_id)
        ).exists(), (method, path)
    person.refresh_from_db()
    assert person.status == ParticipantStatus.ACTIVE
    assert not FollowUpAttempt.objects.exists()


def test_the_api_lists_records_completes_discharges_and_re_enrols(world, as_persona, person):
    client = as_persona("rco_a_peer")
    api = f"/api/v1/orgs/{world.orgs['rco_a'].public_id}/participants/{person.public_id}"

    listed = client.get(f"{api}/follow-ups").json()
    six = next(f for f in listed if f["interview_type"] == SIX)
    assert (six["intake_seq"], six["state"]) == (1, "open")

    def post(path, **body):
        return client.post(f"{api}/{path}", json.dumps(body), content_type="application/json")

    made = post(
        "follow-ups/attempts",
        intake_seq=1,
        interview_type=SIX,
        attempted_on=today().isoformat(),
        method="text",
        outcome="declined",
    )
    assert made.status_code == 201
    assert made.json()["attempts"][0]["outcome"] == "declined"

    outside = post(
        "follow-ups/complete",
        intake_seq=1,
        interview_type=SIX,
        completed_on=(today() + timedelta(days=400)).isoformat(),
        outcome="reached",
    )
    assert outside.status_code == 422
    assert "completed_on" in outside.json()["errors"]
    assert post("follow-ups/complete", intake_seq=1).status_code == 422

    done = post(
        "follow-ups/complete",
        intake_seq=1,
        interview_type=SIX,
        completed_on=today().isoformat(),
        outcome="reached",
    )
    assert done.status_code == 200
    assert done.json()["state"] == "completed"

    discharged = post("discharge", on=today().isoformat(), reason="completed_goals")
    assert discharged.status_code == 200
    assert discharged.json()["participant_status"] == "discharged"
    assert post("discharge", on=today().isoformat(), reason="moved").status_code == 422
    back = post("re-enrolment", on=today().isoformat(), reason="Asked to come back")
    assert back.status_code == 201
    assert back.json()["intake_seq"] == 2
