"""Events for tests, made through the services (so they are audited like real ones)."""

from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization
from rosc.events.models import Event, EventKind
from rosc.events.services import EventData, event_create


def make_event(
    actor: Actor,
    organization: Organization,
    *,
    title: str = "Recovery Month Rally",
    starts_at: datetime | None = None,
    hours: int = 2,
    **fields: Any,
) -> Event:
    starts = starts_at or (timezone.now() + timedelta(days=10)).replace(
        minute=0, second=0, microsecond=0
    )
    values: dict[str, Any] = {
        "kind": EventKind.RALLY,
        "title": title,
        "description": "Celebrate every pathway to recovery.",
        "starts_at": starts.astimezone(UTC),
        "ends_at": (starts + timedelta(hours=hours)).astimezone(UTC),
        "time_zone": "America/Chicago",
        "venue": "Riverside Park",
        "address": "100 River St, Springfield, IL",
        "postal_code": "62701",
        "published": True,
        "registration_open": True,
    }
    values.update(fields)
    return event_create(actor=actor, organization=organization, data=EventData(**values))


def matrix_event(organization: Organization, key: str) -> Event:
    """For the authorization matrix: a published upcoming event the organization hosts."""
    starts = timezone.now() + timedelta(days=30)
    event = Event.objects.create(
        kind=EventKind.EDUCATION,
        title=f"Recovery open house {key}",
        slug=f"recovery-open-house-{key}",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        time_zone="America/Chicago",
        venue=f"Community hall {key}",
        published=True,
    )
    event.hosts.add(organization)
    return event
