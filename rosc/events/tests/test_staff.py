"""Host staff run their events: the form, registrations and waitlist, check-in on the day.
Everyone else gets the same 404 as for an event that does not exist, and it is audited."""

from datetime import UTC, datetime

import pytest

from rosc.core.models import AuditEvent
from rosc.councils.services import council_create
from rosc.events.models import Event, RegistrationStatus
from rosc.events.services import registration_create
from rosc.events.tests.factories import make_event

FORM = {
    "title": "Naloxone training",
    "kind": "training",
    "description": "Learn to reverse an overdose.",
    "starts_at": "2026-11-01T10:00",
    "ends_at": "2026-11-01T12:00",
    "time_zone": "America/Chicago",
    "venue": "Library community room",
    "address": "",
    "postal_code": "62701",
    "latitude": "",
    "longitude": "",
    "online_url": "",
    "capacity": "20",
    "registration_open": "on",
    "published": "on",
    "status": "scheduled",
    "council": "",
}


def events_url(org, event=None, tail=""):
    base = f"/orgs/{org.public_id}/events/"
    return base + (f"{event.public_id}/" if event else "") + tail


def test_an_org_admin_adds_an_event_read_in_its_own_time_zone_across_dst(world, as_persona):
    org = world.orgs["rco_a"]
    client = as_persona("rco_a_admin")
    assert client.get(events_url(org, tail="new/")).status_code == 200
    # 1 November 2026 is the day US clocks go back: 10:00 CST is 16:00 UTC (not 15:00).
    response = client.post(events_url(org, tail="new/"), FORM)
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.starts_at == datetime(2026, 11, 1, 16, 0, tzinfo=UTC)
    assert list(event.hosts.all()) == [org]
    assert AuditEvent.objects.filter(
        record_type="events.event", action="create", username="rco_a_admin"
    ).exists()
    # A week earlier the same wall-clock time is still daylight time: 15:00 UTC.
    client.post(
        events_url(org, tail="new/"),
        {**FORM, "starts_at": "2026-10-25T10:00", "ends_at": "2026-10-25T12:00"},
    )
    earlier = Event.objects.exclude(pk=event.pk).get()
    assert earlier.starts_at == datetime(2026, 10, 25, 15, 0, tzinfo=UTC)
    page = client.get(events_url(org, earlier, "edit/"))
    assert b'value="2026-10-25T10:00"' in page.content


def test_an_end_before_the_start_is_a_form_error_and_nothing_is_saved(world, as_persona):
    org = world.orgs["rco_a"]
    client = as_persona("rco_a_admin")
    response = client.post(events_url(org, tail="new/"), {**FORM, "ends_at": "2026-11-01T09:00"})
    assert response.status_code == 200
    assert b"The event must end after it starts." in response.content
    response = client.post(
        events_url(org, tail="new/"),
        {**FORM, "starts_at": "2026-03-08T02:30", "ends_at": "2026-03-08T04:00"},
    )
    assert b"That time does not exist on that day" in response.content
    response = client.post(events_url(org, tail="new/"), {**FORM, "venue": ""})
    assert b"Give a place, an online link, or both." in response.content
    assert not Event.objects.exists()


def test_editing_an_event_bumps_its_sequence_and_is_audited(world, as_persona, actor_of):
    org = world.orgs["rco_a"]
    event = make_event(actor_of("rco_a_admin"), org)
    client = as_persona("rco_a_admin")
    page = client.get(events_url(org, event, "edit/"))
    assert page.status_code == 200
    initial = page.context["form"].initial
    data = {k: (v if v is not None else "") for k, v in initial.items()}
    data["starts_at"] = initial["starts_at"].strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = initial["ends_at"].strftime("%Y-%m-%dT%H:%M")
    data.pop("other_hosts")
    data["registration_open"] = "on"
    data["published"] = "on"
    data["status"] = "cancelled"
    response = client.post(events_url(org, event, "edit/"), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == "cancelled"
    assert event.sequence == 1
    assert AuditEvent.objects.filter(
        record_id=str(event.public_id), action="update", detail__changed=["status"]
    ).exists()


@pytest.mark.parametrize(
    "persona",
    ["rco_b_admin", "rco_a_peer", "rco_a_supervisor", "network_admin", "council_coordinator"],
)
def test_anyone_but_the_hosts_staff_gets_404_and_a_denied_audit_event(
    world, as_persona, actor_of, persona
):
    org = world.orgs["rco_a"]
    event = make_event(actor_of("rco_a_admin"), org)
    registration_create(event=event, name="Maria Garcia", email="maria@example.org")
    client = as_persona(persona)
    own = world.org_of(persona)
    for url in (
        events_url(org, event),
        events_url(org, event, "check-in/"),
        events_url(org, event, "edit/"),
        events_url(own, event),
        events_url(own, event, "check-in/"),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Maria" not in response.content
    assert (
        client.post(events_url(org, event, "check-in/"), {"action": "walk_in"}).status_code == 404
    )
    event.refresh_from_db()
    assert event.walk_ins == 0
    assert AuditEvent.objects.filter(
        username=persona, outcome="denied", record_id=str(event.public_id)
    ).exists()


def test_the_council_coordinator_runs_their_councils_events(world, as_persona, actor_of):
    host = world.orgs["council_host"]
    council = council_create(
        name="Northern Region", host=host, counties=[], time_zone="America/Chicago"
    )
    event = make_event(actor_of("rco_a_admin"), world.orgs["rco_a"], council=council)
    client = as_persona("council_coordinator")
    assert client.get(events_url(host, event)).status_code == 200
    assert event.title.encode() in client.get(events_url(host)).content


def test_host_staff_see_registrations_and_the_waitlist_and_the_read_is_audited(
    world, as_persona, actor_of
):
    org = world.orgs["rco_a"]
    event = make_event(actor_of("rco_a_admin"), org, capacity=1)
    registration_create(event=event, name="Maria Garcia", email="maria@example.org")
    registration_create(event=event, name="Sam Lee", email="sam@example.org")
    page = as_persona("rco_a_admin").get(events_url(org, event))
    assert page.status_code == 200
    assert [r.name for r in page.context["registered"]] == ["Maria Garcia"]
    assert [r.name for r in page.context["waitlisted"]] == ["Sam Lee"]
    assert b"sam@example.org" in page.content
    assert AuditEvent.objects.filter(
        username="rco_a_admin", action="list", record_id=str(event.public_id), outcome="ok"
    ).exists()


def test_check_in_is_one_tap_per_person_and_counts_attendance_and_walk_ins(
    world, as_persona, actor_of
):
    org = world.orgs["rco_a"]
    event = make_event(actor_of("rco_a_admin"), org, capacity=2)
    maria = registration_create(event=event, name="Maria Garcia", email="maria@example.org")
    registration_create(event=event, name="Sam Lee", email="sam@example.org")
    waiting = registration_create(event=event, name="Jo Park", email="jo@example.org")
    client = as_persona("rco_a_admin")
    url = events_url(org, event, "check-in/")
    page = client.get(url)
    assert b"Check in Maria Garcia" in page.content
    assert b"Jo Park" not in page.content  # the waitlist is not at the door
    response = client.post(url, {"registration": str(maria.public_id), "action": "check_in"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#r-{maria.public_id}")
    client.post(url, {"action": "walk_in"})
    client.post(url, {"action": "walk_in"})
    client.post(url, {"action": "walk_in_undo"})
    # Someone on the waitlist cannot be checked in; a made-up id is refused.
    client.post(url, {"registration": str(waiting.public_id), "action": "check_in"})
    assert client.post(url, {"registration": "nonsense", "action": "check_in"}).status_code == 302
    page = client.get(url)
    assert page.context["counts"] == {
        "registered": 2,
        "waitlisted": 1,
        "attended": 1,
        "walk_ins": 1,
        "total": 2,
    }
    maria.refresh_from_db()
    assert maria.checked_in_at is not None
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.WAITLISTED and waiting.checked_in_at is None
    client.post(url, {"registration": str(maria.public_id), "action": "undo"})
    maria.refresh_from_db()
    assert maria.checked_in_at is None
    assert (
        AuditEvent.objects.filter(
            record_type="events.registration", record_id=str(maria.public_id), action="update"
        ).count()
        == 2
    )


def test_raising_the_capacity_gives_the_new_places_to_the_waitlist(world, actor_of):
    from dataclasses import asdict

    from rosc.events.services import EventData, event_update

    org = world.orgs["rco_a"]
    actor = actor_of("rco_a_admin")
    event = make_event(actor, org, capacity=1)
    registration_create(event=event, name="A", email="a@example.org")
    waiting = registration_create(event=event, name="B", email="b@example.org")
    fields = {f: getattr(event, f) for f in EventData.__dataclass_fields__}
    data = EventData(**{**fields, "capacity": 2})
    assert asdict(data)["capacity"] == 2
    event_update(actor=actor, event=event, data=data, organization=org)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
