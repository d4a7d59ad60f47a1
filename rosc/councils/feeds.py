"""Calendar feeds (RFC 5545) of council meetings, built with the `icalendar` library.

One VEVENT per series with its RRULE (UNTIL in UTC, as the RFC wants for a DTSTART with a
TZID), an EXDATE per cancelled date, a VEVENT with the same UID and a RECURRENCE-ID per moved
date, and a VEVENT of its own per extra date. UIDs come from public ids, so they never change;
SEQUENCE grows with every change, so subscribed calendars replace what they have. A VTIMEZONE
is added for each zone used.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime

from django.utils import timezone
from icalendar import Calendar, Event

from rosc.councils.models import MeetingSeries, Occurrence

PRODID = "-//ROSC Hub//Council meetings//EN"
UID_DOMAIN = "councils.rosc-hub"


def series_uid(series: MeetingSeries) -> str:
    return f"{series.public_id}@{UID_DOMAIN}"


def extra_uid(occurrence: Occurrence) -> str:
    return f"{occurrence.public_id}@{UID_DOMAIN}"


def _describe(event: Event, series: MeetingSeries, address: str, online_url: str, url: str) -> None:
    event.add("summary", f"{series.council.name}: {series.title}")
    if address:
        event.add("location", address)
    elif online_url:
        event.add("location", online_url)
    lines = [f"{series.title} of {series.council.name}."]
    if online_url:
        lines.append(f"Join online: {online_url}")
    if address:
        lines.append(f"In person: {address}")
    if url:
        lines.append(f"Details: {url}")
        event.add("url", url)
    event.add("description", "\n".join(lines))


def _rrule_value(series: MeetingSeries) -> dict[str, object]:
    parts: dict[str, object] = {}
    for part in series.rrule.strip().upper().removeprefix("RRULE:").split(";"):
        key, _, value = part.partition("=")
        parts[key] = value.split(",") if "," in value else value
    if series.until is not None:
        last = datetime.combine(series.until, series.start_time, tzinfo=series.council.tz)
        parts["UNTIL"] = last.astimezone(UTC)
    elif series.count is not None:
        parts["COUNT"] = series.count
    return parts


def series_events(series: MeetingSeries, *, stamp: datetime, url: str = "") -> list[Event]:
    """The VEVENTs of one series: the recurring one, its moved dates and its extra dates."""
    tz = series.council.tz
    occurrences = list(series.occurrences.all())
    master = Event()
    master.add("uid", series_uid(series))
    master.add("dtstamp", stamp)
    master.add("dtstart", series.local_start(series.first_date))
    master.add("dtend", series.local_end(series.first_date))
    master.add("rrule", _rrule_value(series))
    master.add("sequence", series.sequence)
    master.add("last-modified", series.updated_at.astimezone(UTC))
    _describe(master, series, series.address, series.online_url, url)
    events = [master]
    exdates = []
    for occ in occurrences:
        if occ.recurrence_date is None:
            continue
        original = datetime.combine(occ.recurrence_date, series.start_time, tzinfo=tz)
        if occ.cancelled:
            exdates.append(original)
        elif occ.is_moved or occ.address or occ.online_url:
            moved = Event()
            moved.add("uid", series_uid(series))
            moved.add("recurrence-id", original)
            moved.add("dtstamp", stamp)
            moved.add("dtstart", occ.start_local)
            moved.add("dtend", occ.end_local)
            moved.add("sequence", max(series.sequence, occ.sequence))
            moved.add("last-modified", occ.updated_at.astimezone(UTC))
            _describe(moved, series, occ.place_address, occ.place_url, url)
            events.append(moved)
    if exdates:
        master.add("exdate", sorted(exdates))
    for occ in occurrences:
        if occ.recurrence_date is not None:
            continue
        extra = Event()
        extra.add("uid", extra_uid(occ))
        extra.add("dtstamp", stamp)
        extra.add("dtstart", occ.start_local)
        extra.add("dtend", occ.end_local)
        extra.add("sequence", occ.sequence)
        extra.add("last-modified", occ.updated_at.astimezone(UTC))
        if occ.cancelled:
            extra.add("status", "CANCELLED")
        _describe(extra, series, occ.place_address, occ.place_url, url)
        events.append(extra)
    return events


def meetings_calendar(
    series_list: Iterable[MeetingSeries],
    *,
    name: str,
    url_of: dict[int, str] | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """A whole feed: the series given (with council and occurrences prefetched), as bytes."""
    stamp = (stamp or timezone.now()).astimezone(UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    first: date | None = None
    last: date | None = None
    for series in series_list:
        url = (url_of or {}).get(series.council_id, "")
        for event in series_events(series, stamp=stamp, url=url):
            calendar.add_component(event)
        first = min(first or series.first_date, series.first_date)
        end = series.until or date(stamp.year + 10, 12, 31)
        last = max(last or end, end)
        for occ in series.occurrences.all():
            if occ.starts_at is not None:
                day = occ.start_local.date()
                first, last = min(first, day), max(last, day)
    if first is not None and last is not None:
        calendar.add_missing_timezones(
            first_date=date(first.year - 1, 1, 1), last_date=date(last.year + 1, 12, 31)
        )
    return calendar.to_ical()
