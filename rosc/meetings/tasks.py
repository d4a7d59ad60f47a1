"""Background work of meetings (Django's task framework; `manage.py db_worker` runs it).

A feed refreshes itself: each run imports the feed, then queues the next run `refresh_hours`
later. A run that finds its feed refreshed recently (a second chain, or cron got there first)
does nothing and queues nothing, so chains never multiply. Cron can do the same work with
`rosc import-meetings --refresh-all`.
"""

from django.tasks import task

from rosc.meetings import services
from rosc.meetings.models import MeetingFeed


@task()
def meeting_feed_refresh_run(feed_id: str) -> str:
    """Refresh one feed if it is due, and queue its next refresh; returns what happened."""
    feed = MeetingFeed.objects.filter(public_id=feed_id).first()
    if feed is None or not feed.active:
        return "no such active feed"
    if not services.meeting_feed_is_due(feed):
        return "not due"
    report = services.meeting_feed_refresh(actor=None, feed=feed)
    services.meeting_feed_schedule(feed=feed)
    return report.summary()
