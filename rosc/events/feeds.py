"""iCalendar (RFC 5545) feeds of public events, built with the `icalendar` library.

One VEVENT per event: a UID from its public id (stable across edits), DTSTAMP, SEQUENCE (bumped
on every change), local DTSTART/DTEND with their TZID and a VTIMEZONE for each zone used, and
STATUS:CANCELLED for a cancelled event. No METHOD: this is a published subscription feed.
"""

from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from rosc.events.models import Event, EventStatus

PRODID = "-//ROSC Hub//Public events//EN"


def _base_url() -> str:
    return getattr(settings, "ROSC_BASE_URL", "").rstrip("/")


def event_uid(event: Event) -> str:
    host = urlsplit(_base_url()).hostname or "rosc-hub.invalid"
    return f"event-{event.public_id}@{host}"


def event_vevent(event: Event, stamp: object) -> icalendar.Event:
    """One event's VEVENT (also used by the personal feed, rosc/mycalendar)."""
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.local_starts_at)
    vevent.add("dtend", event.local_ends_at)
    vevent.add("summary", event.title)
    vevent.add("sequence", event.sequence)
    vevent.add("last-modified", event.updated_at)
    vevent.add("created", event.created_at)
    vevent.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    vevent.add("categories", [event.get_kind_display()])
    if event.description:
        vevent.add("description", event.description)
    place = ", ".join(p for p in (event.venue, event.address) if p)
    if place or event.online_url:
        vevent.add("location", place or event.online_url)
    if event.latitude is not None and event.longitude is not None:
        vevent.add("geo", (float(event.latitude), float(event.longitude)))
    vevent.add("url", _base_url() + reverse("events:detail", kwargs={"event_slug": event.slug}))
    hosts = [h.name for h in event.hosts.all()]
    if hosts:
        vevent.add("organizer", f"mailto:{_organizer_email(event)}", parameters={"CN": hosts[0]})
    return vevent


def _organizer_email(event: Event) -> str:
    for host in event.hosts.all():
        if host.email:
            return host.email
    return "no-reply@rosc-hub.invalid"


def calendar_of(events: Iterable[Event], *, name: str) -> bytes:
    """The events as one VCALENDAR (CRLF line ends, folded at 75 octets, UTF-8)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", name)
    stamp = timezone.now()
    for event in events:
        cal.add_component(event_vevent(event, stamp))
    cal.add_missing_timezones()
    return cal.to_ical()
