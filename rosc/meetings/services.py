"""Every write of the meetings app: meetings entered here, feeds, imports and refreshes."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rosc.accounts.models import Organization
from rosc.core.audit import Auditable, audit_record
from rosc.core.models import AuditEvent
from rosc.meetings.meeting_guide import (
    FeedReadError,
    Problem,
    attendance_of,
    check_row,
    read_feed,
)
from rosc.meetings.models import Meeting, MeetingFeed

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
