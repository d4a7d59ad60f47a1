"""Every write of the meetings app: meetings entered here, feeds, imports and refreshes."""

import logging
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from rosc.accounts.models import Organization
from rosc.core.audit import Auditable, audit_record
from rosc.core.models import AuditEvent
from rosc.directory.places import PlaceNotFound, place_from_text
from rosc.meetings.meeting_guide import (
    FeedReadError,
    Problem,
    attendance_of,
    check_row,
    read_feed,
)
from rosc.meetings.models import Meeting, MeetingFeed
from rosc.meetings.types import DAY_NAMES

logger = logging.getLogger(__name__)
BATCH = 500


def _derive(values: dict[str, Any]) -> dict[str, Any]:
    """The columns kept for fast filtering, from the Meeting Guide values."""
    days = values.get("days") or []
    values["day_mask"] = sum(1 << d for d in set(days))
    values["first_day"] = min(days) if days else 0
    types = values.get("types") or []
    values["types_key"] = f",{','.join(types)}," if types else ""
    values["attendance"] = attendance_of(values)
    return values


@transaction.atomic
def meeting_create(
    *,
    actor: Auditable | None,
    row: dict[str, Any],
    organization: Organization | None = None,
) -> Meeting:
    """A meeting entered here, given as a Meeting Guide row (name, slug, day, time, ...).

    A bad value or a slug already in use raises ValidationError naming the field.
    """
    checked = check_row(row, 1, default_time_zone=settings.TIME_ZONE)
    errors: dict[str, list[str]] = {}
    for problem in checked.problems:
        errors.setdefault(problem.field, []).append(problem.reason)
    if errors:
        raise ValidationError(errors)
    if Meeting.objects.filter(slug=checked.slug).exists():
        raise ValidationError({"slug": f"Another meeting already has the slug {checked.slug!r}."})
    meeting = Meeting.objects.create(organization=organization, **_derive(checked.values))
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, record=meeting)
    return meeting


# --- meetings an organization enters and keeps itself ------------------------------------------

# The fields of an entered meeting its staff edit (Meeting Guide keys -> model fields).
ENTERED_FIELDS = (
    "name",
    "days",
    "time",
    "end_time",
    "time_zone",
    "types",
    "location",
    "address",
    "city",
    "state",
    "postal_code",
    "region",
    "conference_url",
    "conference_phone",
    "group",
    "notes",
)
ADDRESS_FIELDS = ("address", "city", "state", "postal_code")
# An end time earlier than the start is read as the next morning when the meeting then lasts
# at most this long (a 23:00 meeting ending at 00:30); anything longer is a mistake.
PAST_MIDNIGHT_LIMIT = timedelta(hours=6)
SLUG_TIME_FORMAT = "%H%M"


def meeting_duration(start: time, end: time) -> timedelta:
    """How long a meeting from `start` to `end` lasts; an earlier end is the next day."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return timedelta(minutes=minutes % (24 * 60))


def _entered_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    """The rules for a meeting entered here, beyond what a feed row must satisfy."""
    errors: dict[str, list[str]] = {}
    start, end = values.get("time"), values.get("end_time")
    if start is not None and end is not None:
        if end == start:
            errors["end_time"] = ["The meeting ends when it starts: check the end time."]
        elif end < start and meeting_duration(start, end) > PAST_MIDNIGHT_LIMIT:
            errors["end_time"] = [
                "The meeting ends before it starts. A meeting that runs past midnight may end "
                "up to 6 hours later, the next morning."
            ]
    types = values.get("types") or []
    if "O" in types and "C" in types:
        errors["types"] = ["A meeting is open or closed, not both."]
    has_address = any(values.get(key) for key in ADDRESS_FIELDS)
    if not has_address and not values.get("conference_url") and not values.get("conference_phone"):
        errors["address"] = [
            "Give the address where people meet, or an online link or phone number (or both)."
        ]
    return errors


def _place_by_postal_code(values: dict[str, Any]) -> dict[str, Any]:
    """An entered meeting that people attend in person, without coordinates, is placed at its
    ZIP code's centre (the offline ZIP table), so "near a ZIP code" finds it."""
    values["located_by_postal_code"] = False
    code = (values.get("postal_code") or "").strip()
    if values.get("latitude") is not None or values["attendance"] == "online" or not code:
        return values
    if not (code[:5].isdigit() and len(code) in (5, 10)):
        return values
    try:
        place = place_from_text(code)
    except PlaceNotFound:
        return values
    values["latitude"], values["longitude"] = place.latitude, place.longitude
    values["located_by_postal_code"] = True
    return values


def _entered_values(row: dict[str, Any], *, slug: str, default_time_zone: str) -> dict[str, Any]:
    """Check an entered meeting's row; its values, or ValidationError naming the fields."""
    checked = check_row({**row, "slug": slug}, 1, default_time_zone=default_time_zone)
    errors: dict[str, list[str]] = {}
    for problem in checked.problems:
        errors.setdefault(problem.field, []).append(problem.reason)
    for key, messages in _entered_errors(checked.values).items():
        errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return {key: checked.values[key] for key in ENTERED_FIELDS}


def meeting_slug_base(name: str, days: list[int], start: time) -> str:
    """name + first day + time, URL-safe: "hope-on-main-monday-1900" (room left for "-99")."""
    tail = f"-{DAY_NAMES[min(days)].lower()}-{start.strftime(SLUG_TIME_FORMAT)}"
    head = slugify(name)[: 60 - len(tail)].strip("-") or "meeting"
    return head + tail


def _free_slug(base: str, organization: Organization, values: dict[str, Any]) -> str:
    """The first of base, base-2, base-3 ... no meeting uses. When the organization itself
    already keeps a meeting under one of them, that is the same meeting entered twice: an error
    (a feed's or another organization's meeting at the same time just moves on to a suffix)."""
    taken = dict(
        Meeting.objects.filter(slug__startswith=base).values_list("slug", "organization_id")
    )
    for number in range(1, 100):
        candidate = base if number == 1 else f"{base}-{number}"
        if candidate not in taken:
            return candidate
        if taken[candidate] == organization.pk:
            day = DAY_NAMES[min(values["days"])]
            raise ValidationError(
                {
                    "name": (
                        f"{organization.name} already has “{values['name']}” on {day} at "
                        f"{values['time'].strftime('%H:%M')}: edit that meeting instead."
                    )
                }
            )
    raise ValidationError({"name": "Too many meetings share this name, day and time."})


@transaction.atomic
def meeting_add(
    *, actor: Auditable | None, organization: Organization, row: dict[str, Any]
) -> Meeting:
    """A meeting the organization hosts, entered by its staff as a Meeting Guide row without a
    slug (made here from name, first day and time). Bad values raise ValidationError by field,
    nothing saved."""
    values = _entered_values(row, slug="entered", default_time_zone=organization.time_zone)
    values["slug"] = _free_slug(
        meeting_slug_base(values["name"], values["days"], values["time"]), organization, values
    )
    meeting = Meeting.objects.create(
        organization=organization, feed=None, **_place_by_postal_code(_derive(values))
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=meeting,
        record_organization_id=organization.public_id,
    )
    return meeting


@transaction.atomic
def meeting_update(*, actor: Auditable | None, meeting: Meeting, row: dict[str, Any]) -> list[str]:
    """Change a meeting the organization entered (the slug, its address on the web, stays).
    Returns the names of the fields that changed. A new address drops old coordinates."""
    if meeting.feed_id is not None or meeting.organization is None:
        raise ValidationError("Meetings from a feed are kept by their feed.")
    values = _entered_values(row, slug=meeting.slug, default_time_zone=meeting.time_zone)
    changed = [key for key in ENTERED_FIELDS if getattr(meeting, key) != values[key]]
    if not changed:
        return []
    if any(key in changed for key in ADDRESS_FIELDS) or meeting.located_by_postal_code:
        values["latitude"] = values["longitude"] = None
        values["formatted_address"] = ""
    else:
        values["latitude"], values["longitude"] = meeting.latitude, meeting.longitude
    values["approximate"] = meeting.approximate
    for key, value in _place_by_postal_code(_derive(values)).items():
        setattr(meeting, key, value)
    meeting.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=meeting,
        record_organization_id=meeting.organization.public_id,
        detail={"changed": changed},
    )
    return changed


@transaction.atomic
def meeting_set_active(*, actor: Auditable | None, meeting: Meeting, active: bool) -> bool:
    """Deactivate (not meeting for now: off the finder and the feed) or reactivate an entered
    meeting. False when it already was so (nothing written)."""
    if meeting.feed_id is not None or meeting.organization is None:
        raise ValidationError("Meetings from a feed are kept by their feed.")
    if meeting.active == active:
        return False
    meeting.active = active
    meeting.save(update_fields=["active", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE if active else AuditEvent.Action.DEACTIVATE,
        record=meeting,
        record_organization_id=meeting.organization.public_id,
        detail={"active": active},
    )
    return True


@transaction.atomic
def meeting_feed_create(
    *,
    actor: Auditable | None,
    url: str,
    name: str = "",
    time_zone: str = "",
    refresh_hours: int = 24,
) -> MeetingFeed:
    feed = MeetingFeed.objects.create(
        url=url,
        name=name or url[-200:],
        time_zone=time_zone or settings.TIME_ZONE,
        refresh_hours=max(1, refresh_hours),
    )
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, record=feed)
    return feed


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    problems: list[Problem] = field(default_factory=list)
    error: str = ""  # the feed as a whole could not be read

    @property
    def skipped(self) -> int:
        return len({p.row for p in self.problems if p.skipped})

    @property
    def ok(self) -> bool:
        return not self.error

    def summary(self) -> str:
        if self.error:
            return f"Nothing imported: {self.error}"
        return (
            f"{self.created} meetings added, {self.updated} changed, {self.unchanged} unchanged, "
            f"{self.deactivated} no longer listed (deactivated), {self.skipped} rows skipped."
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deactivated": self.deactivated,
            "skipped": self.skipped,
            "error": self.error,
            "problems": [str(p) for p in self.problems[:500]],
        }


def _slugs_elsewhere(slugs: list[str], feed: MeetingFeed) -> set[str]:
    taken: set[str] = set()
    for start in range(0, len(slugs), BATCH):
        chunk = slugs[start : start + BATCH]
        taken.update(
            Meeting.objects.filter(slug__in=chunk).exclude(feed=feed).values_list("slug", flat=True)
        )
    return taken


@transaction.atomic
def meetings_import(*, actor: Auditable | None, feed: MeetingFeed, rows: list[Any]) -> ImportReport:
    """Upsert a feed's rows by (feed, slug); keep good rows, report bad ones; deactivate the
    feed's meetings that are no longer in it. Bad rows leave their meeting as it was."""
    report = ImportReport()
    checked_rows = [
        check_row(raw, i, default_time_zone=feed.time_zone) for i, raw in enumerate(rows, 1)
    ]
    seen: dict[str, int] = {}
    good = []
    for checked in checked_rows:
        report.problems.extend(checked.problems)
        if checked.slug and checked.slug in seen:
            report.problems.append(
                Problem(
                    checked.row,
                    checked.slug,
                    "slug",
                    f"the same slug as row {seen[checked.slug]} (slugs must be unique)",
                    True,
                )
            )
            continue
        if checked.slug:
            seen[checked.slug] = checked.row
        if checked.ok:
            good.append(checked)
    taken = _slugs_elsewhere([c.slug for c in good], feed)
    existing = {m.slug: m for m in Meeting.objects.filter(feed=feed)}
    to_create, to_update = [], []
    update_fields: set[str] = {"active", "updated_at"}
    for checked in good:
        if checked.slug in taken:
            report.problems.append(
                Problem(
                    checked.row,
                    checked.slug,
                    "slug",
                    "another source (or a meeting entered here) already uses this slug",
                    True,
                )
            )
            continue
        values = _derive(checked.values)
        values["active"] = True
        meeting = existing.get(checked.slug)
        if meeting is None:
            to_create.append(Meeting(feed=feed, **values))
            continue
        if all(getattr(meeting, k) == v for k, v in values.items()):
            report.unchanged += 1
            continue
        for key, value in values.items():
            setattr(meeting, key, value)
        update_fields.update(values)
        meeting.updated_at = timezone.now()
        to_update.append(meeting)
    Meeting.objects.bulk_create(to_create, batch_size=BATCH)
    if to_update:
        Meeting.objects.bulk_update(to_update, sorted(update_fields), batch_size=BATCH)
    report.created, report.updated = len(to_create), len(to_update)
    gone = [m.pk for slug, m in existing.items() if slug not in seen and m.active]
    for start in range(0, len(gone), BATCH):
        Meeting.objects.filter(pk__in=gone[start : start + BATCH]).update(
            active=False, updated_at=timezone.now()
        )
    report.deactivated = len(gone)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=feed,
        detail={k: v for k, v in report.as_json().items() if k != "problems"},
    )
    return report


def meeting_feed_refresh(*, actor: Auditable | None, feed: MeetingFeed) -> ImportReport:
    """Fetch the feed and import it; the outcome is kept on the feed either way.

    Not atomic itself: a feed that cannot be read still records its failed run."""
    try:
        rows = read_feed(feed.url)
    except FeedReadError as exc:
        report = ImportReport(error=str(exc))
    else:
        report = meetings_import(actor=actor, feed=feed, rows=rows)
    feed.last_run_at = timezone.now()
    feed.last_ok = report.ok
    feed.last_report = report.as_json()
    feed.save(update_fields=["last_run_at", "last_ok", "last_report", "updated_at"])
    return report


def meeting_feeds_refresh_all(*, actor: Auditable | None) -> dict[str, ImportReport]:
    """Refresh every active feed (the cron entry point); one failing feed does not stop others."""
    reports = {}
    for feed in MeetingFeed.objects.filter(active=True):
        try:
            reports[feed.url] = meeting_feed_refresh(actor=actor, feed=feed)
        except Exception:
            logger.exception("Meeting feed %s failed", feed.url)
            reports[feed.url] = ImportReport(error="stopped on an unexpected error")
    return reports


def meeting_feed_is_due(feed: MeetingFeed) -> bool:
    if not feed.active:
        return False
    if feed.last_run_at is None:
        return True
    # A little slack, so a run scheduled for exactly refresh_hours later is due.
    return timezone.now() - feed.last_run_at >= timedelta(hours=feed.refresh_hours * 0.9)


def meeting_feed_schedule(*, feed: MeetingFeed, delay: timedelta | None = None) -> bool:
    """Queue the feed's next refresh (the task queues the one after). False when the task
    backend cannot run tasks later (the immediate backend of some tests): use cron then."""
    from rosc.meetings.tasks import meeting_feed_refresh_run

    if not meeting_feed_refresh_run.get_backend().supports_defer:
        return False
    when = timezone.now() + (delay if delay is not None else timedelta(hours=feed.refresh_hours))
    feed_id = str(feed.public_id)
    transaction.on_commit(
        lambda: meeting_feed_refresh_run.using(run_after=when).enqueue(feed_id=feed_id)
    )
    return True
