"""The iCalendar feeds, read back with icalendar and recurring-ical-events."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from rosc.events.services import EventData, event_update
from rosc.events.tests.factories import make_event


def fall_back_saturday() -> date:
    """The Saturday after US clocks go back (first Sunday of November), next year."""
    year = datetime.now(UTC).year + 1
    first = date(year, 11, 1)
    sunday = first + timedelta(days=(6 - first.weekday()) % 7)
    return sunday + timedelta(days=6)


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"\r\n" in response.content
    return icalendar.Calendar.from_ical(response.content)


def test_the_calendar_feed_has_every_upcoming_published_event_with_its_time_zone(
    client, world, actor_of
):
    actor, org = actor_of("rco_a_admin"), world.orgs["rco_a"]
    # The Saturday after US clocks go back: 10:00 in Chicago is 16:00 UTC, not 15:00.
    day = fall_back_saturday()
    rally = make_event(
        actor,
        org,
        title="Recovery Month Rally",
        starts_at=datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("America/Chicago")),
        latitude=39.8017,
        longitude=-89.6436,
    )
    make_event(actor, org, title="Not yet public", published=False)
    cal = parse(client.get("/events/calendar.ics"))
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    events = cal.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Recovery Month Rally"]
    vevent = events[0]
    assert str(vevent["UID"]).startswith(f"event-{rally.public_id}@")
    assert vevent["DTSTAMP"]
    assert vevent["DTSTART"].params["TZID"] == "America/Chicago"
    assert vevent.decoded("DTSTART").astimezone(UTC) == datetime(
        day.year, day.month, day.day, 16, tzinfo=UTC
    )
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent.decoded("SEQUENCE") == 0
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["America/Chicago"]
    found = recurring_ical_events.of(cal).between(day, day + timedelta(days=1))
    assert [e.decoded("DTSTART").hour for e in found] == [10]


def test_a_changed_event_keeps_its_uid_bumps_its_sequence_and_a_cancelled_one_says_so(
    client, world, actor_of
):
    actor, org = actor_of("rco_a_admin"), world.orgs["rco_a"]
    event = make_event(actor, org, title="Naloxone training")
    before = parse(client.get(f"/events/{event.slug}/event.ics")).walk("VEVENT")[0]
    fields = {f: getattr(event, f) for f in EventData.__dataclass_fields__}
    event_update(
        actor=actor,
        event=event,
        data=EventData(**{**fields, "status": "cancelled"}),
        organization=org,
    )
    after = parse(client.get(f"/events/{event.slug}/event.ics")).walk("VEVENT")[0]
    assert after["UID"] == before["UID"]
    assert after.decoded("SEQUENCE") == before.decoded("SEQUENCE") + 1
    assert after["STATUS"] == "CANCELLED"
    # Cancelled events stay in the feed, so subscribed calendars learn of it.
    feed = parse(client.get("/events/calendar.ics")).walk("VEVENT")
    assert [e["STATUS"] for e in feed] == ["CANCELLED"]


def test_a_feed_of_text_with_commas_and_semicolons_reads_back_the_same(client, world, actor_of):
    event = make_event(
        actor_of("rco_a_admin"),
        world.orgs["rco_a"],
        title="Family night; stories, music & food",
        description="Line one\nLine two, with a comma; and a semicolon",
    )
    vevent = parse(client.get(f"/events/{event.slug}/event.ics")).walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == event.title
    assert str(vevent["DESCRIPTION"]) == event.description
