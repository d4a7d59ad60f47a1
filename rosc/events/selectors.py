"""Reads of rosc/events. Public reads take no actor; the hosts' staff reads take `actor=`.

Who runs an event (decided from rosc/accounts/roles.py, Perm.EVENTS_MANAGE): staff with that
permission in a host organization of the event, or in the organization that hosts the event's
council (its coordinator). Anyone else, and anyone naming an event their organization does not
run, gets the same 404 after a "denied" audit event. Registrants' names and e-mail addresses
are personal data: every staff read of them is audited.
"""

from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization
from rosc.accounts.roles import Perm
from rosc.accounts.selectors import deny, record_or_deny
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.events.models import Event, Registration, RegistrationStatus
from rosc.events.services import registration_id_from_token

EVENT = "events.event"


# --- public -----------------------------------------------------------------------------------


def events_upcoming(*, kind: str = "", postal_code: str = "") -> QuerySet[Event]:
    """Published events that have not ended yet, soonest first (cancelled ones stay, marked)."""
    events = Event.objects.filter(published=True, ends_at__gt=timezone.now())
    if kind:
        events = events.filter(kind=kind)
    if postal_code:
        events = events.filter(postal_code__startswith=postal_code)
    return events.prefetch_related("hosts").order_by("starts_at", "id")


def event_public(slug: str) -> Event:
    event = (
        Event.objects.filter(slug=slug, published=True)
        .select_related("council")
        .prefetch_related("hosts")
        .first()
    )
    if event is None:
        raise Http404("No such event")
    return event


def registration_for_token(*, slug: str, token: str) -> Registration:
    """The registration a person's signed link names, on that event; otherwise 404."""
    public_id = registration_id_from_token(token)
    registration = None
    if public_id is not None:
        registration = (
            Registration.objects.select_related("event")
            .filter(public_id=public_id, event__slug=slug)
            .first()
        )
    if registration is None:
        raise Http404("No such registration")
    return registration


def places_left(event: Event) -> int | None:
    if event.capacity is None:
        return None
    taken = event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    return max(0, event.capacity - taken)


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=RegistrationStatus.WAITLISTED
    ).filter(
        Q(queued_at__lt=registration.queued_at)
        | Q(queued_at=registration.queued_at, id__lt=registration.pk)
    )
    return ahead.count() + 1


# --- host staff -------------------------------------------------------------------------------


def runs_event(organization: Organization, event: Event) -> bool:
    if event.hosts.filter(pk=organization.pk).exists():
        return True
    return event.council is not None and event.council.host_id == organization.pk


def organization_for_events(*, actor: Actor, organization_id: UUID, action: str) -> Organization:
    """The actor's active organization, when it is the one named and the role runs events."""
    org = actor.organization
    if org is None or org.public_id != organization_id or not actor.can(Perm.EVENTS_MANAGE):
        raise deny(
            actor,
            action=action,
            record_type=EVENT,
            record_id=str(organization_id),
            record_organization_id=org.public_id if org else None,
        )
    return org


def event_for_staff(
    *, actor: Actor, organization_id: UUID, event_id: UUID, action: str
) -> tuple[Organization, Event]:
    """An event the actor's organization runs; otherwise 404 (audited as denied)."""
    event = Event.objects.select_related("council").filter(public_id=event_id).first()
    org = actor.organization
    allowed = (
        event is not None
        and org is not None
        and org.public_id == organization_id
        and actor.can(Perm.EVENTS_MANAGE)
        and runs_event(org, event)
    )
    if not allowed or event is None or org is None:
        raise deny(actor, action=action, record_type=EVENT, record_id=str(event_id))
    return org, event


def events_run_by(organization: Organization) -> QuerySet[Event]:
    """Every event the organization runs (as a host or through a council it hosts), newest
    first, with their registration counts."""
    return (
        Event.objects.filter(Q(hosts=organization) | Q(council__host=organization))
        .distinct()
        .annotate(
            registered=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.REGISTERED),
                distinct=True,
            ),
            waitlisted=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.WAITLISTED),
                distinct=True,
            ),
        )
        .order_by("-starts_at", "-id")
    )


def event_registrations(*, actor: Actor, event: Event, purpose: str) -> list[Registration]:
    """Everyone registered or waitlisted (not cancelled), in queue order. Audited: names and
    e-mail addresses are personal data."""
    rows = list(
        event.registrations.exclude(status=RegistrationStatus.CANCELLED).order_by("queued_at", "id")
    )
    org = actor.organization
    audit_record(
        actor=actor,
        action=AuditEvent.Action.LIST,
        record=event,
        record_organization_id=org.public_id if org else None,
        detail={"purpose": purpose, "registrations": len(rows)},
    )
    return rows


def attendance(event: Event) -> dict[str, int]:
    rows = event.registrations.aggregate(
        registered=Count("id", filter=Q(status=RegistrationStatus.REGISTERED)),
        waitlisted=Count("id", filter=Q(status=RegistrationStatus.WAITLISTED)),
        attended=Count(
            "id",
            filter=Q(status=RegistrationStatus.REGISTERED, checked_in_at__isnull=False),
        ),
    )
    rows["walk_ins"] = event.walk_ins
    rows["total"] = rows["attended"] + event.walk_ins
    return rows


def registration_for_staff(*, actor: Actor, event: Event, registration_id: str) -> Registration:
    return record_or_deny(
        actor,
        rows=event.registrations.all(),
        record_id=registration_id,
        action=AuditEvent.Action.UPDATE,
        record_type="events.registration",
    )
