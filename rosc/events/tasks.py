"""Background work of events (Django's task framework; `manage.py db_worker` runs it)."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import formats

from rosc.events.models import Event, EventStatus, Registration, RegistrationStatus


def registration_link(registration: Registration) -> str:
    from rosc.events.services import registration_token

    base = getattr(settings, "ROSC_BASE_URL", "").rstrip("/")
    return base + reverse(
        "events:registration",
        kwargs={"event_slug": registration.event.slug, "token": registration_token(registration)},
    )


def _when(registration: Registration) -> str:
    event = registration.event
    start = event.local_starts_at
    return f"{formats.date_format(start, 'l j F Y, g:i A')} ({event.time_zone})"


@task()
def registration_email(registration_id: str, kind: str) -> bool:
    """E-mail a person about their registration: `confirmation` (registered or waitlisted) or
    `promoted` (a place opened up). Returns whether a message was sent."""
    registration = (
        Registration.objects.select_related("event").filter(public_id=registration_id).first()
    )
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        return False
    event = registration.event
    link = registration_link(registration)
    if kind == "promoted":
        subject = f"A place opened up: {event.title}"
        opening = (
            f"Good news, {registration.name}: a place opened up and you now have a place at "
            f"{event.title}."
        )
    elif registration.status == RegistrationStatus.WAITLISTED:
        subject = f"You are on the waitlist: {event.title}"
        opening = (
            f"Thank you, {registration.name}. {event.title} is full, so you are on the "
            "waitlist. If a place opens up we will give it to you and e-mail you."
        )
    else:
        subject = f"You are registered: {event.title}"
        opening = f"Thank you, {registration.name}. You have a place at {event.title}."
    where = ", ".join(p for p in (event.venue, event.address) if p) or event.online_url
    send_mail(
        subject=subject,
        message=(
            f"{opening}\n\nWhen: {_when(registration)}\nWhere: {where}\n\n"
            f"To see or cancel your registration: {link}\n"
        ),
        from_email=None,
        recipient_list=[registration.email],
    )
    return True


@task()
def event_cancelled_email(event_id: str) -> int:
    """Tell everyone registered or on the waitlist that the event is cancelled; returns how
    many were told. Does nothing if the event was restored in the meantime."""
    event = Event.objects.filter(public_id=event_id).first()
    if event is None or event.status != EventStatus.CANCELLED:
        return 0
    told = 0
    for registration in event.registrations.exclude(status=RegistrationStatus.CANCELLED):
        send_mail(
            subject=f"Cancelled: {event.title}",
            message=(
                f"Hello {registration.name},\n\nWe are sorry: {event.title} "
                f"({_when(registration)}) is cancelled. You do not need to do anything.\n\n"
                "See other recovery events: "
                + getattr(settings, "ROSC_BASE_URL", "").rstrip("/")
                + reverse("events:list")
                + "\n"
            ),
            from_email=None,
            recipient_list=[registration.email],
        )
        told += 1
    return told
