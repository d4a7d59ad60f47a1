"""One person's feed: what they attend, from three apps, in one VCALENDAR.

The VEVENTs come from the source apps' own builders (rosc.councils.feeds.series_events,
rosc.events.feeds.event_vevent, rosc.training.feeds.session_vevent), so every item keeps the
UID it has in the public feeds: a calendar subscribed to both sees one item, not two. A waitlisted
registration is STATUS:TENTATIVE with "(waitlist)" in its summary. One VTIMEZONE per zone used.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from rosc.councils.feeds import series_events
from rosc.councils.models import MeetingSeries
from rosc.events.feeds import event_vevent
from rosc.events.models import EventStatus, Registration, RegistrationStatus
from rosc.training.feeds import session_vevent
from rosc.training.models import Enrolment

PRODID = "-//ROSC Hub//My calendar//EN"


def personal_calendar(
    *,
    name: str,
    series: Iterable[MeetingSeries],
    registrations: Iterable[Registration],
    enrolments: Iterable[Enrolment],
    base_url: str = "",
    stamp: datetime | None = None,
) -> bytes:
    stamp = (stamp or timezone.now()).astimezone(UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    days: list[date] = []
    for one in series:
        url = base_url + reverse("councils:council", args=[one.council.slug])
        for vevent in series_events(one, stamp=stamp, url=url):
            calendar.add_component(vevent)
        days += [one.first_date, one.until or date(stamp.year + 10, 12, 31)]
        days += [o.start_local.date() for o in one.occurrences.all() if o.starts_at is not None]
    for registration in registrations:
        event = registration.event
        vevent = event_vevent(event, stamp)
        if registration.status == RegistrationStatus.WAITLISTED:
            vevent.pop("summary")
            vevent.add("summary", f"{event.title} (waitlist)")
            if event.status != EventStatus.CANCELLED:
                vevent.pop("status")
                vevent.add("status", "TENTATIVE")
        calendar.add_component(vevent)
        days.append(event.local_starts_at.date())
    for enrolment in enrolments:
        calendar.add_component(session_vevent(enrolment.session, stamp))
        days.append(enrolment.session.local_start.date())
    if days:
        first, last = min(days), max(days)
        calendar.add_missing_timezones(
            first_date=date(first.year - 1, 1, 1), last_date=date(last.year + 1, 12, 31)
        )
    return calendar.to_ical()
