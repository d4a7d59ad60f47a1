"""Reads for the personal feed. The secret address is the only key: an unknown, replaced or
turned-off token (or a deactivated account's) answers the same 404. Each read returns only the
feed owner's own things: council seats by user, registrations by their account's e-mail,
enrolments by user."""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.models import User
from rosc.councils.models import MeetingSeries
from rosc.councils.selectors import all_series
from rosc.events.models import Registration, RegistrationStatus
from rosc.mycalendar.models import PersonalFeed
from rosc.mycalendar.services import token_digest
from rosc.training.models import Enrolment

# How far back the feed reaches for one-off events and sessions (series are always whole).
HISTORY = timedelta(days=400)


def personal_feed_of(*, actor: Actor) -> PersonalFeed | None:
    return PersonalFeed.objects.filter(user=actor.user).first()


def feed_owner(token: str) -> User:
    if not token or len(token) > 100:
        raise Http404("Not found")
    feed = (
        PersonalFeed.objects.select_related("user")
        .filter(token_hash=token_digest(token), user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404("Not found")
    return feed.user


def council_series_of(user: User) -> QuerySet[MeetingSeries]:
    """The meetings of every council where the person has a seat that has not ended."""
    today = timezone.localdate()
    seats = Q(council__members__user=user) & (
        Q(council__members__active_to__isnull=True) | Q(council__members__active_to__gte=today)
    )
    ids = MeetingSeries.objects.filter(seats).values("pk")
    return all_series().filter(pk__in=ids).order_by("council__name", "first_date", "pk")


def registrations_of(user: User) -> list[Registration]:
    """The person's registrations (waitlisted ones too) for published events, not cancelled."""
    if not user.email:
        return []
    since = timezone.now() - HISTORY
    return list(
        Registration.objects.filter(
            email=user.email.strip().lower(),
            event__published=True,
            event__ends_at__gte=since,
        )
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event")
        .prefetch_related("event__hosts")
        .order_by("event__starts_at", "pk")
    )


def enrolments_of(user: User) -> list[Enrolment]:
    """The sessions the person is enrolled in, not withdrawn."""
    since = timezone.now() - HISTORY
    return list(
        Enrolment.objects.filter(user=user, withdrawn_at__isnull=True, session__ends_at__gte=since)
        .select_related("session", "session__course")
        .order_by("session__starts_at", "pk")
    )
