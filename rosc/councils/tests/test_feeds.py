"""Calendar feeds: parsed with icalendar and expanded with recurring_ical_events, as a phone
calendar would, across a cancellation, a moved date, an extra date and a DST change."""

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from django.test import Client

from rosc.councils.feeds import meetings_calendar
from rosc.councils.selectors import all_series
from rosc.councils.services import (
    meeting_series_create,
    occurrence_add_extra,
    occurrence_cancel,
    occurrence_move,
    occurrence_open,
)

CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def schedule(council, actor_of):
    """Second Tuesdays 10:00-11:30 from January 2026; March 10 (two days after the DST change)
    cancelled, April 14 moved to Thursday April 16 at 14:00, an extra date on May 27."""
    coordinator = actor_of("council_coordinator")
    series = meeting_series_create(
        actor=coordinator,
        council=council,
        title="Council meeting",
        rrule="FREQ=MONTHLY;BYDAY=2TU",
        start_date=date(2026, 1, 1),
        start_time=time(10),
        end_time=time(11, 30),
        address="100 Main St, Rockford, IL",
        online_url="https://meet.example.org/northern",
    )
    march = occurrence_open(actor=coordinator, series=series, recurrence_date=date(2026, 3, 10))
    occurrence_cancel(actor=coordinator, occurrence=march)
    april = occurrence_open(actor=coordinator, series=series, recurrence_date=date(2026, 4, 14))
    occurrence_move(
        actor=coordinator,
        occurrence=april,
        starts_at=datetime(2026, 4, 16, 14, tzinfo=CHICAGO),
        ends_at=datetime(2026, 4, 16, 15, 30, tzinfo=CHICAGO),
        address="Public Library, Room B",
    )
    occurrence_add_extra(
        actor=coordinator,
        series=series,
        starts_at=datetime(2026, 5, 27, 18, tzinfo=CHICAGO),
        ends_at=datetime(2026, 5, 27, 19, 30, tzinfo=CHICAGO),
    )
    series.refresh_from_db()
    return series


def expand(ics: bytes, start: date, end: date) -> list[datetime]:
    calendar = icalendar.Calendar.from_ical(ics)
    events = recurring_ical_events.of(calendar).between(start, end)
    return sorted(e.start for e in events if e.get("status") != "CANCELLED")


def test_council_feed_expands_to_the_expected_dates_with_cancellation_move_extra_and_dst(
    client: Client, council, schedule
):
    response = client.get(f"/councils/{council.slug}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")

    starts = expand(response.content, date(2026, 1, 1), date(2026, 7, 1))

    assert [s.astimezone(CHICAGO).replace(tzinfo=None) for s in starts] == [
        datetime(2026, 1, 13, 10),
        datetime(2026, 2, 10, 10),
        # March 10 is cancelled.
        datetime(2026, 4, 16, 14),  # moved from April 14
        datetime(2026, 5, 12, 10),
        datetime(2026, 5, 27, 18),  # the extra date
        datetime(2026, 6, 9, 10),
    ]
    # 10:00 in Chicago is 16:00 UTC in winter (CST) and 15:00 UTC in summer (CDT).
    assert starts[0].astimezone(UTC).hour == 16
    assert starts[3].astimezone(UTC).hour == 15


def test_feed_has_a_vtimezone_one_recurring_event_an_exdate_and_a_recurrence_id(council, schedule):
    ics = meetings_calendar(all_series().filter(council=council), name="Northern")
    assert b"\r\n" in ics and b"\n" not in ics.replace(b"\r\n", b"")
    calendar = icalendar.Calendar.from_ical(ics)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
    events: list[Any] = calendar.walk("VEVENT")
    uid = f"{schedule.public_id}@councils.rosc-hub"
    master = next(e for e in events if "RRULE" in e)
    assert master["UID"] == uid
    assert master["RRULE"]["FREQ"] == ["MONTHLY"] and master["RRULE"]["BYDAY"] == ["2TU"]
    assert master["DTSTART"].params["TZID"] == "America/Chicago"
    assert master["DTSTART"].dt == datetime(2026, 1, 13, 10, tzinfo=CHICAGO)
    exdates = [d.dt for d in master["EXDATE"].dts]
    assert exdates == [datetime(2026, 3, 10, 10, tzinfo=CHICAGO)]
    moved = next(e for e in events if "RECURRENCE-ID" in e)
    assert moved["UID"] == uid
    assert moved["RECURRENCE-ID"].dt == datetime(2026, 4, 14, 10, tzinfo=CHICAGO)
    assert moved["LOCATION"] == "Public Library, Room B"
    extra = [e for e in events if e["UID"] != uid]
    assert len(extra) == 1 and "RRULE" not in extra[0]
    for event in events:
        assert "DTSTAMP" in event and "SEQUENCE" in event
        assert not ("DTEND" in event and "DURATION" in event)


def test_uids_stay_the_same_and_sequence_grows_when_a_date_is_cancelled(
    council, schedule, actor_of
):
    def master_of(ics: bytes):
        events: list[Any] = icalendar.Calendar.from_ical(ics).walk("VEVENT")
        return next(e for e in events if "RRULE" in e)

    before = master_of(meetings_calendar(all_series().filter(council=council), name="n"))
    june = occurrence_open(
        actor=actor_of("council_coordinator"), series=schedule, recurrence_date=date(2026, 6, 9)
    )
    occurrence_cancel(actor=actor_of("council_coordinator"), occurrence=june)
    after = master_of(meetings_calendar(all_series().filter(council=council), name="n"))

    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert datetime(2026, 6, 9, 10, tzinfo=CHICAGO) in [d.dt for d in after["EXDATE"].dts]


def test_until_is_written_in_utc_as_rfc_5545_requires(council, actor_of):
    meeting_series_create(
        actor=actor_of("council_coordinator"),
        council=council,
        title="Planning group",
        rrule="FREQ=WEEKLY;BYDAY=MO",
        start_date=date(2026, 10, 1),
        start_time=time(17),
        end_time=time(18),
        until=date(2026, 11, 30),
        online_url="https://meet.example.org/planning",
    )
    ics = meetings_calendar(all_series().filter(council=council), name="n")
    assert b"UNTIL=20261130T230000Z" in ics  # 17:00 CST on November 30
    starts = expand(ics, date(2026, 10, 1), date(2027, 1, 1))
    assert len(starts) == 9  # Mondays Oct 5 ... Nov 30
    # Across the November 1 change: 17:00 local each week.
    assert {s.astimezone(CHICAGO).hour for s in starts} == {17}


def test_network_feed_has_every_councils_series(client, council, other_council, schedule, actor_of):
    response = client.get("/network/calendar.ics")
    calendar = icalendar.Calendar.from_ical(response.content)
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert "Northern Region ROSC Council: Council meeting" in summaries


def test_a_members_secret_feed_works_without_login_until_it_is_turned_off(
    client, council, schedule, actor_of
):
    from rosc.councils.models import CouncilMember, Sector
    from rosc.councils.services import (
        council_member_add,
        council_member_feed_issue,
        council_member_feed_revoke,
    )

    coordinator = actor_of("council_coordinator")
    member = council_member_add(
        actor=coordinator,
        council=council,
        name="Dana Brooks",
        sector=Sector.PEOPLE_IN_RECOVERY,
        council_role="member",
        active_from=date(2026, 1, 1),
    )
    token = council_member_feed_issue(actor=coordinator, member=member)
    assert token not in CouncilMember.objects.get(pk=member.pk).feed_token_hash

    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert expand(response.content, date(2026, 1, 1), date(2026, 2, 1))

    council_member_feed_revoke(actor=coordinator, member=member)
    assert client.get(f"/calendar/{token}.ics").status_code == 404
