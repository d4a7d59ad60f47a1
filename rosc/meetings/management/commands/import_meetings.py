"""`rosc import-meetings FILE-OR-URL`: import a Meeting Guide JSON feed (`--refresh-all`: cron)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rosc.meetings import services
from rosc.meetings.meeting_guide import FeedReadError, read_feed
from rosc.meetings.models import MeetingFeed


class Command(BaseCommand):
    help = (
        "Import a Meeting Guide JSON feed from a file or an http(s) URL. Meetings are matched by "
        "(source, slug): a re-import updates them, and meetings gone from the source are "
        "deactivated. Each bad row is reported on stderr as 'row N (slug s): field: reason'. "
        "A URL is remembered as a feed and refreshed by the background worker every "
        "--refresh-hours. --refresh-all refreshes every remembered feed now (for cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", nargs="?", help="A .json file or an http(s) URL.")
        parser.add_argument("--name", default="", help="A name for the feed (default: source).")
        parser.add_argument(
            "--time-zone", default="", help="For rows without a timezone (default: the site's)."
        )
        parser.add_argument("--refresh-hours", type=int, default=24)
        parser.add_argument(
            "--refresh-all", action="store_true", help="Refresh every active feed now."
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["refresh_all"]:
            if opts["source"]:
                raise CommandError("Give either a source or --refresh-all, not both.")
            self._refresh_all()
            return
        source = opts["source"]
        if not source:
            raise CommandError("Give a Meeting Guide JSON file or URL (or --refresh-all).")
        is_url = source.startswith(("http://", "https://"))
        location = source if is_url else str(Path(source).resolve())
        try:
            read_feed(location)  # fail early, before a feed is remembered
        except FeedReadError as exc:
            raise CommandError(str(exc)) from exc
        feed = MeetingFeed.objects.filter(url=location).first()
        if feed is None:
            feed = services.meeting_feed_create(
                actor=None,
                url=location,
                name=opts["name"] or source,
                time_zone=opts["time_zone"],
                refresh_hours=opts["refresh_hours"],
            )
            if is_url and services.meeting_feed_schedule(feed=feed):
                self.stderr.write(
                    f"Feed remembered; refreshed every {feed.refresh_hours} hours by the worker."
                )
        report = services.meeting_feed_refresh(actor=None, feed=feed)
        for problem in report.problems:
            self.stderr.write(f"{source}: {problem}")
        if not report.ok:
            raise CommandError(report.summary())
        self.stderr.write(report.summary())

    def _refresh_all(self) -> None:
        reports = services.meeting_feeds_refresh_all(actor=None)
        if not reports:
            self.stderr.write("No active meeting feeds.")
        failed = 0
        for url, report in reports.items():
            for problem in report.problems:
                self.stderr.write(f"{url}: {problem}")
            self.stderr.write(f"{url}: {report.summary()}")
            failed += not report.ok
        if failed:
            raise CommandError(f"{failed} of {len(reports)} feeds could not be read.")
