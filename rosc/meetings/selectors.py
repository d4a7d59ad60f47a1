"""Reads of meetings: the public finder, a meeting's page, the feed. Meetings are public data."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.db.models.lookups import GreaterThan
from django.http import Http404
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization
from rosc.accounts.roles import Perm
from rosc.accounts.selectors import deny
from rosc.directory.places import Place, bounding_box, distance_miles
from rosc.meetings.meeting_guide import EXPORT_COLUMNS, export_row
from rosc.meetings.models import Attendance, Meeting
from rosc.meetings.types import meeting_guide_day

# Local time-of-day windows, [start, end); night wraps past midnight.
TIMES_OF_DAY: dict[str, tuple[str, time, time]] = {
    "morning": ("Morning (4 am to noon)", time(4), time(12)),
    "afternoon": ("Afternoon (noon to 5 pm)", time(12), time(17)),
    "evening": ("Evening (5 pm to 9 pm)", time(17), time(21)),
    "night": ("Night (9 pm to 4 am)", time(21), time(4)),
}
SOON = timedelta(hours=1)
LIST_COLUMNS = (
    "public_id",
    "name",
    "slug",
    "days",
    "time",
    "end_time",
    "time_zone",
    "types",
    "attendance",
    "location",
    "formatted_address",
    "address",
    "city",
    "state",
    "postal_code",
    "latitude",
    "longitude",
    "group",
    "conference_url",
    "conference_phone",
)


@dataclass(frozen=True)
class MeetingFilters:
    day: int | None = None  # 0 = Sunday
    time_of_day: str = ""
    type_code: str = ""
    attendance: str = ""  # in_person (incl. hybrid), online (incl. hybrid), hybrid
    place: Place | None = None
    radius_miles: float = 10.0
    starting_soon: bool = False
    text: str = ""


def _on_day(day: int) -> Q:
    return Q(GreaterThan(F("day_mask").bitand(1 << day), 0))


def _between(start: time, end: time) -> Q:
    """Local start time in [start, end), wrapping past midnight when end <= start."""
    if start < end:
        return Q(time__gte=start, time__lt=end)
    return Q(time__gte=start) | Q(time__lt=end)


def starting_soon_q(zones: list[str], now: datetime) -> Q:
    """Meetings starting in the next hour, each in its own time zone (DST-aware)."""
    q = Q(pk__in=[])
    for zone in zones:
        tz = ZoneInfo(zone)
        local = now.astimezone(tz)
        start = local.replace(second=0, microsecond=0, tzinfo=None)
        # The later of one hour of wall clock and one real hour: across a DST change the two
        # differ, and a meeting in either window is starting soon.
        end = max(start + SOON, (now + SOON).astimezone(tz).replace(tzinfo=None))
        day = meeting_guide_day(start.weekday())
        if end.date() == start.date():
            window = _on_day(day) & Q(time__gte=start.time(), time__lt=end.time())
        else:
            next_day = meeting_guide_day(end.weekday())
            window = (_on_day(day) & Q(time__gte=start.time())) | (
                _on_day(next_day) & Q(time__lt=end.time())
            )
        q |= Q(time_zone=zone) & window
    return q


def public_meetings() -> QuerySet[Meeting]:
    """Listed meetings that meet (not deactivated, not temporarily closed without a way in)."""
    return Meeting.objects.filter(active=True).exclude(attendance=Attendance.INACTIVE)


def meeting_search(
    filters: MeetingFilters, *, page: int = 1, per_page: int = 20, now: datetime | None = None
) -> Page[Any]:
    """One page of meetings matching every filter; near a place: nearest first."""
    qs = public_meetings()
    if filters.day is not None:
        qs = qs.filter(_on_day(filters.day))
    if filters.time_of_day in TIMES_OF_DAY:
        _label, start, end = TIMES_OF_DAY[filters.time_of_day]
        qs = qs.filter(_between(start, end))
    if filters.type_code:
        qs = qs.filter(types_key__contains=f",{filters.type_code},")
    if filters.attendance == Attendance.IN_PERSON:
        qs = qs.filter(attendance__in=[Attendance.IN_PERSON, Attendance.HYBRID])
    elif filters.attendance == Attendance.ONLINE:
        qs = qs.filter(attendance__in=[Attendance.ONLINE, Attendance.HYBRID])
    elif filters.attendance == Attendance.HYBRID:
        qs = qs.filter(attendance=Attendance.HYBRID)
    if filters.text:
        text = filters.text
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(location__icontains=text)
            | Q(group__icontains=text)
            | Q(city__icontains=text)
        )
    if filters.starting_soon:
        zones = list(qs.order_by().values_list("time_zone", flat=True).distinct())
        qs = qs.filter(starting_soon_q(zones, now or timezone.now())).order_by("time", "name")
    elif filters.day is not None:
        qs = qs.order_by("time", "name")
    if filters.place is None:
        listed: Page[Any] = Paginator(qs.only(*LIST_COLUMNS), per_page).get_page(page)
        return listed
    place = filters.place
    min_lat, max_lat, min_lng, max_lng = bounding_box(place, filters.radius_miles)
    near = qs.filter(
        latitude__gte=min_lat,
        latitude__lte=max_lat,
        longitude__gte=min_lng,
        longitude__lte=max_lng,
    ).values_list("pk", "latitude", "longitude")
    ranked: list[tuple[float, int]] = []
    for pk, lat, lng in near:
        if lat is None or lng is None:
            continue
        distance = distance_miles(place.latitude, place.longitude, lat, lng)
        if distance <= filters.radius_miles:
            ranked.append((distance, pk))
    ranked.sort()
    result: Page[Any] = Paginator(ranked, per_page).get_page(page)
    distances = {pk: d for d, pk in result.object_list}
    meetings = Meeting.objects.only(*LIST_COLUMNS).in_bulk(list(distances))
    rows = []
    for pk, distance in distances.items():
        meeting = meetings[pk]
        meeting.distance = distance
        rows.append(meeting)
    result.object_list = rows
    return result


def meeting_listing(slug: str) -> Meeting:
    """A listed meeting by slug, or 404 (deactivated meetings are no longer listed)."""
    meeting = (
        Meeting.objects.select_related("organization", "feed")
        .filter(slug=slug, active=True)
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def next_start(meeting: Meeting, now: datetime) -> datetime | None:
    """The next time the meeting starts, in its own time zone (DST-aware)."""
    tz = ZoneInfo(meeting.time_zone)
    today: date = now.astimezone(tz).date()
    for offset in range(8):
        day = today + timedelta(days=offset)
        if meeting_guide_day(day.weekday()) in meeting.days:
            # Through UTC and back: a time the DST change skips becomes the real instant.
            start = datetime.combine(day, meeting.time, tzinfo=tz)
            start = start.astimezone(ZoneInfo("UTC")).astimezone(tz)
            if start > now:
                return start
    return None


def feed_rows() -> Iterator[dict[str, Any]]:
    """Every active meeting as a Meeting Guide row: one query, no per-row queries."""
    rows = Meeting.objects.filter(active=True).order_by("slug").values(*EXPORT_COLUMNS)
    for row in rows.iterator(chunk_size=2000):
        yield export_row(row)


# --- the staff pages of an organization that hosts meetings ----------------------------------

KEPT_MEETINGS = "meetings.meeting"


def organization_for_meetings(*, actor: Actor, organization_id: UUID, action: str) -> Organization:
    """The actor's active organization, when it is the one named and the role keeps its
    listings (Perm.DIRECTORY_EDIT: the organization admin); otherwise 404, audited as denied."""
    org = actor.organization
    if org is None or org.public_id != organization_id or not actor.can(Perm.DIRECTORY_EDIT):
        raise deny(
            actor,
            action=action,
            record_type=KEPT_MEETINGS,
            record_id=str(organization_id),
            record_organization_id=org.public_id if org else None,
        )
    return org


def meeting_for_staff(
    *, actor: Actor, organization_id: UUID, meeting_id: UUID, action: str
) -> tuple[Organization, Meeting]:
    """A meeting the actor's organization entered and keeps (not one from a feed); otherwise
    404, audited as denied."""
    org = actor.organization
    meeting = (
        Meeting.objects.filter(public_id=meeting_id, feed__isnull=True).first()
        if org is not None
        else None
    )
    allowed = (
        meeting is not None
        and org is not None
        and org.public_id == organization_id
        and meeting.organization_id == org.pk
        and actor.can(Perm.DIRECTORY_EDIT)
    )
    if not allowed or meeting is None or org is None:
        raise deny(
            actor,
            action=action,
            record_type=KEPT_MEETINGS,
            record_id=str(meeting_id),
            record_organization_id=org.public_id if org else None,
        )
    return org, meeting


def meetings_kept_by(organization: Organization) -> QuerySet[Meeting]:
    """The meetings the organization entered here (not imported ones), meeting ones first."""
    return Meeting.objects.filter(organization=organization, feed__isnull=True).order_by(
        "-active", "first_day", "time", "name"
    )
