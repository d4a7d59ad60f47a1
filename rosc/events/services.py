"""Every write of rosc/events: events, registrations (with the waitlist) and check-in.

Capacity is race-safe: each write that changes who holds a place locks the event row first
(`select_for_update`), so two people registering for the last place at the same moment cannot
both get it. The public (signed-out) writes are audited with no actor.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.councils.models import Council
from rosc.events.models import Event, EventStatus, Registration, RegistrationStatus

TOKEN_SALT = "rosc.events.registration"
DUPLICATE_MESSAGE = (
    "This e-mail address is already registered for this event. The e-mail we sent you has "
    "a link to see or cancel your registration."
)
CLOSED_MESSAGE = "Registration for this event is closed."

# Changing any of these bumps the event's iCalendar SEQUENCE.
EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "council",
    "starts_at",
    "ends_at",
    "time_zone",
    "venue",
    "address",
    "postal_code",
    "latitude",
    "longitude",
    "online_url",
    "capacity",
    "registration_open",
    "status",
    "published",
)


@dataclass(frozen=True)
class EventData:
    kind: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    venue: str = ""
    address: str = ""
    postal_code: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    online_url: str = ""
    capacity: int | None = None
    registration_open: bool = True
    status: str = EventStatus.SCHEDULED
    published: bool = False
    council: Council | None = None


def registration_token(registration: Registration) -> str:
    """The signed token in the person's link to see or cancel their registration."""
    return signing.dumps(str(registration.public_id), salt=TOKEN_SALT)


def registration_id_from_token(token: str) -> str | None:
    try:
        value = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) else None


def event_errors(data: EventData) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.starts_at.tzinfo is None or data.ends_at.tzinfo is None:
        errors["starts_at"] = "Times must carry a time zone."
    elif data.ends_at <= data.starts_at:
        errors["ends_at"] = "The event must end after it starts."
    if not (data.venue.strip() or data.address.strip() or data.online_url.strip()):
        errors["address"] = "Give a place, an online link, or both."
    if (data.latitude is None) != (data.longitude is None):
        errors["longitude"] = "Give both latitude and longitude, or neither."
    if data.capacity is not None and data.capacity < 1:
        errors["capacity"] = "Capacity must be at least 1, or left empty for no limit."
    return errors


def _unique_slug(title: str, starts_at: datetime, time_zone: str) -> str:
    base = slugify(f"{title} {starts_at.astimezone(ZoneInfo(time_zone)):%Y-%m-%d}")[:200]
    base = base or "event"
    slug, n = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _host_organization_id(event: Event) -> Any:
    host = event.hosts.order_by("pk").first()
    if host is None and event.council is not None:
        host = event.council.host
    return host.public_id if host else None


@transaction.atomic
def event_create(
    *,
    actor: Actor,
    organization: Organization,
    data: EventData,
    other_hosts: list[Organization] | None = None,
) -> Event:
    """A new event hosted by `organization` (and any `other_hosts`)."""
    errors = event_errors(data)
    if errors:
        raise ValidationError(errors)
    values = {f: getattr(data, f) for f in EVENT_FIELDS}
    event = Event.objects.create(
        slug=_unique_slug(data.title, data.starts_at, data.time_zone), **values
    )
    event.hosts.set({organization, *(other_hosts or [])})
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=event,
        record_organization_id=organization.public_id,
        detail={"slug": event.slug},
    )
    return event


@transaction.atomic
def event_update(
    *,
    actor: Actor,
    event: Event,
    data: EventData,
    other_hosts: list[Organization] | None = None,
    organization: Organization,
) -> list[str]:
    """Change an event; returns the names of the fields that changed. Any change bumps SEQUENCE.

    `organization` (the acting host) always stays a host.
    """
    errors = event_errors(data)
    if errors:
        raise ValidationError(errors)
    event = Event.objects.select_for_update().get(pk=event.pk)
    changed = [f for f in EVENT_FIELDS if getattr(event, f) != getattr(data, f)]
    hosts = {organization, *(other_hosts or [])}
    if {h.pk for h in hosts} != set(event.hosts.values_list("pk", flat=True)):
        event.hosts.set(hosts)
        changed.append("hosts")
    if not changed:
        return []
    for f in EVENT_FIELDS:
        setattr(event, f, getattr(data, f))
    event.sequence += 1
    event.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=event,
        record_organization_id=organization.public_id,
        detail={"changed": changed, "sequence": event.sequence},
    )
    if "capacity" in changed:
        _fill_from_waitlist(event)
    if "status" in changed and event.status == EventStatus.CANCELLED:
        _notify_cancelled(event)
    return changed


def _notify_cancelled(event: Event) -> None:
    """Tell everyone holding a place or waiting that the event is cancelled (by e-mail)."""
    from rosc.events.tasks import event_cancelled_email

    public_id = str(event.public_id)
    transaction.on_commit(lambda: event_cancelled_email.enqueue(event_id=public_id))


def _places_taken(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def _has_room(event: Event) -> bool:
    return event.capacity is None or _places_taken(event) < event.capacity


def registration_is_open(event: Event) -> bool:
    return (
        event.published
        and event.registration_open
        and event.status == EventStatus.SCHEDULED
        and event.ends_at > timezone.now()
    )


def _notify(registration: Registration, kind: str) -> None:
    from rosc.events.tasks import registration_email

    public_id = str(registration.public_id)
    transaction.on_commit(lambda: registration_email.enqueue(registration_id=public_id, kind=kind))


def _fill_from_waitlist(event: Event) -> list[Registration]:
    """Give free places to the waitlist, first come first served (the event row is locked)."""
    promoted: list[Registration] = []
    if event.status != EventStatus.SCHEDULED:
        return promoted
    now = timezone.now()
    while _has_room(event):
        first = (
            event.registrations.filter(status=RegistrationStatus.WAITLISTED)
            .order_by("queued_at", "id")
            .first()
        )
        if first is None:
            break
        first.status = RegistrationStatus.REGISTERED
        first.promoted_at = now
        first.save(update_fields=["status", "promoted_at", "updated_at"])
        audit_record(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            record=first,
            record_organization_id=_host_organization_id(event),
            detail={"status": "registered", "from": "waitlisted", "event": str(event.public_id)},
        )
        _notify(first, "promoted")
        promoted.append(first)
    return promoted


@transaction.atomic
def registration_create(*, event: Event, name: str, email: str, phone: str = "") -> Registration:
    """A person registers (signed out). Past capacity they go on the waitlist.

    Raises ValidationError: registration closed (no field), or the e-mail already registered
    (on `email`; no second row). A person who cancelled may register again with the same row.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not registration_is_open(event):
        raise ValidationError(CLOSED_MESSAGE)
    email = email.strip().lower()
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Please tell us your name."})
    existing = Registration.objects.filter(event=event, email=email).first()
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        raise ValidationError({"email": DUPLICATE_MESSAGE})
    status = RegistrationStatus.REGISTERED if _has_room(event) else RegistrationStatus.WAITLISTED
    now = timezone.now()
    if existing is not None:
        registration = existing
        registration.name, registration.phone = name, phone.strip()
        registration.status, registration.queued_at = status, now
        registration.cancelled_at = registration.promoted_at = None
        registration.save()
    else:
        registration = Registration.objects.create(
            event=event, name=name, email=email, phone=phone.strip(), status=status, queued_at=now
        )
    audit_record(
        actor=None,
        action=AuditEvent.Action.CREATE,
        record=registration,
        record_organization_id=_host_organization_id(event),
        detail={"status": str(status), "event": str(event.public_id)},
    )
    _notify(registration, "confirmation")
    return registration


@transaction.atomic
def registration_cancel(
    *, registration: Registration, actor: Actor | None = None
) -> list[Registration]:
    """Cancel a place (by the person's link, or by host staff); the first on the waitlist moves
    up and is told by e-mail. Returns who was promoted. Cancelling twice changes nothing."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return []
    before = registration.status
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=registration,
        record_organization_id=_host_organization_id(event),
        detail={"status": "cancelled", "from": before, "event": str(event.public_id)},
    )
    return _fill_from_waitlist(event)


@transaction.atomic
def registration_check_in(
    *, actor: Actor, registration: Registration, attended: bool = True
) -> Registration:
    """Mark a registered person as here (or undo it)."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.REGISTERED:
        raise ValidationError("Only people with a place can be checked in.")
    registration.checked_in_at = timezone.now() if attended else None
    registration.save(update_fields=["checked_in_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=registration,
        record_organization_id=_host_organization_id(registration.event),
        detail={"checked_in": attended},
    )
    return registration


@transaction.atomic
def event_walk_in_record(*, actor: Actor, event: Event, change: int = 1) -> Event:
    """Count a walk-in (someone who came without registering), or take one back (-1)."""
    if change not in (1, -1):
        raise ValidationError("A walk-in is counted one at a time.")
    event = Event.objects.select_for_update().get(pk=event.pk)
    event.walk_ins = max(0, event.walk_ins + change)
    event.save(update_fields=["walk_ins", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=event,
        record_organization_id=_host_organization_id(event),
        detail={"walk_ins": event.walk_ins},
    )
    return event
