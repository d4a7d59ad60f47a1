"""A person's own calendar feed: what they attend, from councils, events and training."""

from collections.abc import Callable
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from conftest import World
from rosc.accounts.actor import Actor
from rosc.core.models import AuditEvent
from rosc.councils.models import CouncilMember, MeetingSeries, Sector
from rosc.councils.services import council_create
from rosc.events.models import Event, Registration, RegistrationStatus
from rosc.events.services import registration_cancel, registration_create
from rosc.events.tests.factories import matrix_event
from rosc.mycalendar.models import PersonalFeed
from rosc.mycalendar.services import personal_feed_issue, personal_feed_revoke
from rosc.training.models import Enrolment
from rosc.training.models import Session as TrainingSession
from rosc.training.services import enrolment_create, enrolment_withdraw
from rosc.training.tests.factories import course, offer

CHICAGO = ZoneInfo("America/Chicago")


def _council_with_seat(world: World, persona: str, name: str) -> MeetingSeries:
    council = council_create(
        name=name, host=world.orgs["council_host"], counties=[], time_zone="America/Chicago"
    )
    CouncilMember.objects.create(
        council=council,
        name=world.users[persona].display_name,
        user=world.users[persona],
        sector=Sector.PEOPLE_IN_RECOVERY,
        active_from=date(2026, 1, 1),
    )
    return MeetingSeries.objects.create(
        council=council,
        title="Council meeting",
        rrule="FREQ=MONTHLY;BYDAY=2TU",
        first_date=date(2026, 1, 13),
        start_time=time(10),
        end_time=time(11, 30),
        address="1 Main St",
    )


def _register(event: Event, persona: str) -> Registration:
    return registration_create(
        event=event, name=persona.replace("_", " ").title(), email=f"{persona}@example.org"
    )


@pytest.fixture
def peer_things(world: World, actor_of: Callable[[str], Actor]) -> dict[str, object]:
    """rco_a_peer sits on a council, registered for an event and is enrolled in a session;
    rco_b_peer has one of each too, none of which rco_a_peer's feed may show."""
    mine = _council_with_seat(world, "rco_a_peer", "Northern Region ROSC Council")
    theirs = _council_with_seat(world, "rco_b_peer", "Southern ROSC Council")
    event = matrix_event(world.orgs["rco_a"], "mine")
    event.time_zone = "America/New_York"
    event.save()
    other_event = matrix_event(world.orgs["rco_b"], "theirs")
    session = offer(course(world.orgs["rco_a"], title="Ethics for peer specialists"))
    other_session = offer(course(world.orgs["rco_b"], title="Motivational interviewing"))
    return {
        "series": mine,
        "other_series": theirs,
        "event": event,
        "registration": _register(event, "rco_a_peer"),
        "other_event": other_event,
        "other_registration": _register(other_event, "rco_b_peer"),
        "session": session,
        "enrolment": enrolment_create(actor=actor_of("rco_a_peer"), session=session),
        "other_session": other_session,
        "other_enrolment": enrolment_create(actor=actor_of("rco_b_peer"), session=other_session),
    }


def _feed(client: Client, token: str) -> Calendar:
    response = client.get(reverse("mycalendar:calendar", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def _summaries(calendar: Calendar) -> list[str]:
    return [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]


def test_the_feed_holds_the_persons_council_meetings_events_and_training_and_nobody_elses(
    world, actor_of, peer_things, client
):
    token = personal_feed_issue(actor=actor_of("rco_a_peer"))
    calendar = _feed(client, token)
    summaries = _summaries(calendar)
    assert "Northern Region ROSC Council: Council meeting" in summaries
    assert "Recovery open house mine" in summaries
    assert "Training: Ethics for peer specialists" in summaries
    joined = "\n".join(summaries)
    assert "Southern" not in joined
    assert "theirs" not in joined
    assert "Motivational interviewing" not in joined
    assert len(summaries) == 3


def test_the_feed_uses_the_same_uids_as_the_source_feeds(world, actor_of, peer_things, client):
    from rosc.councils.feeds import series_uid
    from rosc.events.feeds import event_uid
    from rosc.training.feeds import session_uid

    first = _feed(client, personal_feed_issue(actor=actor_of("rco_a_peer")))
    uids = {str(e["UID"]) for e in first.walk("VEVENT")}
    assert uids == {
        series_uid(peer_things["series"]),
        event_uid(peer_things["event"]),
        session_uid(peer_things["session"]),
    }
    # The public feeds give the event and the meetings the same UIDs.
    event = peer_things["event"]
    assert isinstance(event, Event)
    public = Calendar.from_ical(client.get(reverse("events:event_ics", args=[event.slug])).content)
    assert {str(e["UID"]) for e in public.walk("VEVENT")} == {event_uid(event)}
    series = peer_things["series"]
    assert isinstance(series, MeetingSeries)
    slug = series.council.slug
    council = Calendar.from_ical(
        client.get(reverse("councils:council_calendar", args=[slug])).content
    )
    assert {str(e["UID"]) for e in council.walk("VEVENT")} == {series_uid(series)}


def test_every_time_zone_used_has_a_vtimezone_and_meetings_keep_local_time_across_dst(
    world, actor_of, peer_things, client
):
    calendar = _feed(client, personal_feed_issue(actor=actor_of("rco_a_peer")))
    zones = {str(z["TZID"]) for z in calendar.walk("VTIMEZONE")}
    used = {
        str(e["DTSTART"].params["TZID"])
        for e in calendar.walk("VEVENT")
        if "TZID" in e["DTSTART"].params
    }
    assert used <= zones
    assert {"America/Chicago", "America/New_York"} <= zones
    # Daylight saving time starts on 8 March 2026: the meetings stay at 10:00 in Chicago.
    found = recurring_ical_events.of(calendar).between(date(2026, 2, 1), date(2026, 5, 1))
    meetings = sorted(
        e["DTSTART"].dt for e in found if str(e["SUMMARY"]).startswith("Northern Region")
    )
    assert [m.date() for m in meetings] == [date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 14)]
    assert {m.astimezone(CHICAGO).time() for m in meetings} == {time(10)}
    assert meetings[0].astimezone(ZoneInfo("UTC")).hour == 16
    assert meetings[1].astimezone(ZoneInfo("UTC")).hour == 15


def test_a_waitlisted_registration_is_tentative_and_says_so(world, actor_of, client):
    event = matrix_event(world.orgs["rco_a"], "full")
    event.capacity = 1
    event.save()
    _register(event, "rco_a_admin")
    registration = _register(event, "rco_a_peer")
    assert registration.status == RegistrationStatus.WAITLISTED
    calendar = _feed(client, personal_feed_issue(actor=actor_of("rco_a_peer")))
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Recovery open house full (waitlist)"
    assert str(vevent["STATUS"]) == "TENTATIVE"


def test_a_cancelled_registration_and_a_withdrawn_enrolment_disappear(
    world, actor_of, peer_things, client
):
    token = personal_feed_issue(actor=actor_of("rco_a_peer"))
    registration_cancel(registration=peer_things["registration"])
    enrolment = peer_things["enrolment"]
    assert isinstance(enrolment, Enrolment)
    enrolment_withdraw(actor=actor_of("rco_a_peer"), enrolment=enrolment)
    summaries = _summaries(_feed(client, token))
    assert summaries == ["Northern Region ROSC Council: Council meeting"]


def test_an_ended_council_seat_drops_the_councils_meetings(world, actor_of, peer_things, client):
    token = personal_feed_issue(actor=actor_of("rco_a_peer"))
    CouncilMember.objects.filter(user=world.users["rco_a_peer"]).update(
        active_to=timezone.localdate() - timedelta(days=1)
    )
    assert not any("Council meeting" in s for s in _summaries(_feed(client, token)))


def test_a_replaced_address_answers_404_and_the_new_one_works(world, actor_of, client):
    actor = actor_of("rco_a_peer")
    old = personal_feed_issue(actor=actor)
    new = personal_feed_issue(actor=actor)
    assert old != new
    assert client.get(reverse("mycalendar:calendar", args=[old])).status_code == 404
    assert client.get(reverse("mycalendar:calendar", args=[new])).status_code == 200
    assert PersonalFeed.objects.count() == 1
    assert new not in PersonalFeed.objects.get().token_hash


def test_a_turned_off_or_made_up_address_answers_404(world, actor_of, client):
    actor = actor_of("rco_a_peer")
    token = personal_feed_issue(actor=actor)
    assert personal_feed_revoke(actor=actor) is True
    assert personal_feed_revoke(actor=actor) is False
    assert client.get(reverse("mycalendar:calendar", args=[token])).status_code == 404
    assert client.get(reverse("mycalendar:calendar", args=["made-up"])).status_code == 404


def test_a_deactivated_persons_address_answers_404(world, actor_of, client):
    token = personal_feed_issue(actor=actor_of("rco_a_peer"))
    user = world.users["rco_a_peer"]
    user.is_active = False
    user.save()
    assert client.get(reverse("mycalendar:calendar", args=[token])).status_code == 404


def test_making_replacing_and_turning_off_are_audited(world, actor_of):
    actor = actor_of("rco_a_peer")
    personal_feed_issue(actor=actor)
    personal_feed_issue(actor=actor)
    personal_feed_revoke(actor=actor)
    events = AuditEvent.objects.filter(record_type="mycalendar.personalfeed").order_by("id")
    assert [(e.action, e.detail["feed"], e.username) for e in events] == [
        (AuditEvent.Action.CREATE, "issued", "rco_a_peer"),
        (AuditEvent.Action.UPDATE, "replaced", "rco_a_peer"),
        (AuditEvent.Action.DEACTIVATE, "revoked", "rco_a_peer"),
    ]


def test_the_account_page_makes_shows_once_replaces_and_turns_off_the_address(world, as_persona):
    client = as_persona("rco_a_peer")
    page = client.get(reverse("accounts:account"))
    assert "Your calendar feed" in page.text
    assert "Your feed is <strong>off</strong>" in page.text
    response = client.post(reverse("mycalendar:feed_manage"), {"action": "issue"})
    assert response.status_code == 302
    page = client.get(reverse("accounts:account"))
    assert "shown only this once" in page.text
    start = page.text.index("/calendar/me/")
    url = page.text[start : page.text.index('"', start)]
    assert client.get(url).status_code == 200
    # Shown once: the next visit says it is on, without the address.
    again = client.get(reverse("accounts:account")).text
    assert "/calendar/me/" not in again
    assert "Your feed is <strong>on</strong>" in again
    client.post(reverse("mycalendar:feed_manage"), {"action": "issue"})
    assert client.get(url).status_code == 404
    client.get(reverse("accounts:account"))
    client.post(reverse("mycalendar:feed_manage"), {"action": "revoke"})
    assert not PersonalFeed.objects.exists()
    assert "Your feed is <strong>off</strong>" in client.get(reverse("accounts:account")).text


def test_the_feed_answers_the_same_uids_on_every_request(world, actor_of, peer_things, client):
    token = personal_feed_issue(actor=actor_of("rco_a_peer"))
    first = sorted(str(e["UID"]) for e in _feed(client, token).walk("VEVENT"))
    second = sorted(str(e["UID"]) for e in _feed(client, token).walk("VEVENT"))
    assert first == second
    assert isinstance(peer_things["session"], TrainingSession)


def test_a_changed_training_session_reaches_the_calendar_with_a_higher_sequence(
    world, actor_of, peer_things, client
):
    from rosc.training.services import SessionData, session_update

    token = personal_feed_issue(actor=actor_of("rco_a_peer"))
    session = peer_things["session"]
    assert isinstance(session, TrainingSession)

    def training_vevent():
        (vevent,) = [
            e for e in _feed(client, token).walk("VEVENT") if "Training" in str(e["SUMMARY"])
        ]
        return vevent

    assert int(training_vevent()["SEQUENCE"]) == 0
    data = SessionData(starts_at=session.starts_at, ends_at=session.ends_at, place="Room 2")
    session_update(actor=actor_of("rco_a_admin"), session=session, data=data)
    moved = training_vevent()
    assert int(moved["SEQUENCE"]) == 1 and str(moved["LOCATION"]) == "Room 2"
