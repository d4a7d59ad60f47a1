"""iCalendar (RFC 5545) VEVENTs of training sessions, built with the `icalendar` library.

One VEVENT per session: a UID from its public id (stable across edits), local DTSTART/DTEND
with the session's TZID (the caller adds the VTIMEZONEs), LAST-MODIFIED from the row, SEQUENCE
one more on every change of the session, and STATUS:CANCELLED for a cancelled session.
"""

from datetime import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse

from rosc.training.models import Delivery, Session, SessionStatus


def _base_url() -> str:
    return getattr(settings, "ROSC_BASE_URL", "").rstrip("/")


def session_uid(session: Session) -> str:
    host = urlsplit(_base_url()).hostname or "rosc-hub.invalid"
    return f"training-session-{session.public_id}@{host}"


def session_vevent(session: Session, stamp: datetime) -> icalendar.Event:
    """The session's VEVENT (the session with its course selected)."""
    vevent = icalendar.Event()
    vevent.add("uid", session_uid(session))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", session.local_start)
    vevent.add("dtend", session.local_end)
    vevent.add("summary", f"Training: {session.course.title}")
    vevent.add("last-modified", session.updated_at)
    vevent.add("sequence", session.sequence)
    vevent.add("created", session.created_at)
    cancelled = session.status == SessionStatus.CANCELLED
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("categories", ["Training"])
    lines = [f"{session.course.title} ({session.get_delivery_display()})."]
    if session.trainers:
        lines.append(f"Trainers: {session.trainers}")
    if session.course.description:
        lines.append(session.course.description)
    url = _base_url() + reverse(
        "training:session", kwargs={"training_session_id": session.public_id}
    )
    lines.append(f"Details: {url}")
    vevent.add("description", "\n".join(lines))
    vevent.add("url", url)
    if session.place:
        vevent.add("location", session.place)
    elif session.delivery == Delivery.ONLINE:
        vevent.add("location", "Online")
    return vevent
