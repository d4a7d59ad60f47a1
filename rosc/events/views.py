"""Pages of rosc/events. Public (no sign-in): the events list, an event with its registration
form, a person's own registration (by their signed link) and the iCalendar feeds. Host staff:
their events, the event form, registrations with the waitlist, and the check-in list.

Thin: reads in selectors (the staff ones refuse with a 404 after a denied audit event), writes
in services.
"""

import uuid
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from rosc.accounts.actor import request_actor
from rosc.core.models import AuditEvent
from rosc.events import selectors, services
from rosc.events.feeds import calendar_of
from rosc.events.forms import EventFilterForm, EventForm, RegistrationForm
from rosc.events.models import Event, RegistrationStatus

PER_PAGE = 20
HONEYPOT_MESSAGE = "Thank you. Check your e-mail for your confirmation."


def _form_errors(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- public -----------------------------------------------------------------------------------


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    kind = postal = ""
    if form.is_bound and form.is_valid():
        kind, postal = form.cleaned_data["kind"], form.cleaned_data["zip"]
    events = selectors.events_upcoming(kind=kind, postal_code=postal)
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/event_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "filtered": bool(kind or postal)},
    )


@require_http_methods(["GET", "POST"])
def event_detail(request: HttpRequest, event_slug: str) -> HttpResponse:
    event = selectors.event_public(event_slug)
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.honeypot_filled:
            messages.success(request, HONEYPOT_MESSAGE)
            return redirect("events:detail", event_slug=event.slug)
        if form.is_valid():
            try:
                registration = services.registration_create(
                    event=event,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                token = services.registration_token(registration)
                return redirect("events:registration", event_slug=event.slug, token=token)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "form": form,
            "open": services.registration_is_open(event),
            "places_left": selectors.places_left(event),
        },
    )


@require_http_methods(["GET", "POST"])
def registration_view(request: HttpRequest, event_slug: str, token: str) -> HttpResponse:
    registration = selectors.registration_for_token(slug=event_slug, token=token)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        services.registration_cancel(registration=registration)
        messages.success(
            request, "Thank you for letting us know: your place is free for someone else."
        )
        return redirect("events:registration", event_slug=event_slug, token=token)
    return render(
        request,
        "events/registration.html",
        {
            "registration": registration,
            "event": registration.event,
            "position": selectors.waitlist_position(registration),
            "statuses": RegistrationStatus,
        },
    )


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def calendar_feed(request: HttpRequest) -> HttpResponse:
    events = selectors.events_upcoming()
    return _ics(calendar_of(events, name="ROSC Hub public events"), "events.ics")


@require_GET
def event_ics(request: HttpRequest, event_slug: str) -> HttpResponse:
    event = selectors.event_public(event_slug)
    return _ics(calendar_of([event], name=event.title), f"{event.slug}.ics")


# --- host staff -------------------------------------------------------------------------------


@login_required
@require_GET
def manage(request: HttpRequest, org_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    org = selectors.organization_for_events(
        actor=actor, organization_id=org_id, action=AuditEvent.Action.LIST
    )
    return render(
        request,
        "events/manage.html",
        {"org": org, "events": selectors.events_run_by(org)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest, org_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    org = selectors.organization_for_events(
        actor=actor, organization_id=org_id, action=AuditEvent.Action.CREATE
    )
    form = EventForm(
        request.POST if request.method == "POST" else None,
        organization=org,
        initial={"registration_open": True},
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                actor=actor,
                organization=org,
                data=form.event_data(),
                other_hosts=form.chosen_hosts(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"“{event.title}” is saved.")
            return redirect(
                "events:registrations", org_id=org.public_id, community_event_id=event.public_id
            )
    return render(request, "events/event_form.html", {"org": org, "form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, org_id: UUID, community_event_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    org, event = selectors.event_for_staff(
        actor=actor,
        organization_id=org_id,
        event_id=community_event_id,
        action=AuditEvent.Action.UPDATE,
    )
    if request.method == "POST":
        form = EventForm(request.POST, organization=org)
    else:
        form = EventForm(organization=org, initial=EventForm.initial_for(event, org))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.event_update(
                actor=actor,
                event=event,
                data=form.event_data(),
                other_hosts=form.chosen_hosts(),
                organization=org,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "The event is saved." if changed else "Nothing was changed.")
            return redirect(
                "events:registrations", org_id=org.public_id, community_event_id=event.public_id
            )
    return render(request, "events/event_form.html", {"org": org, "form": form, "event": event})


@login_required
@require_GET
def event_registrations(
    request: HttpRequest, org_id: UUID, community_event_id: UUID
) -> HttpResponse:
    actor = request_actor(request)
    org, event = selectors.event_for_staff(
        actor=actor,
        organization_id=org_id,
        event_id=community_event_id,
        action=AuditEvent.Action.VIEW,
    )
    rows = selectors.event_registrations(actor=actor, event=event, purpose="registrations")
    return render(
        request,
        "events/registrations.html",
        {
            "org": org,
            "event": event,
            "registered": [r for r in rows if r.status == RegistrationStatus.REGISTERED],
            "waitlisted": [r for r in rows if r.status == RegistrationStatus.WAITLISTED],
            "counts": selectors.attendance(event),
        },
    )


def _check_in_post(request: HttpRequest, event: Event) -> None:
    actor = request_actor(request)
    action = request.POST.get("action", "")
    if action in ("walk_in", "walk_in_undo"):
        services.event_walk_in_record(
            actor=actor, event=event, change=1 if action == "walk_in" else -1
        )
        messages.success(
            request, "Walk-in counted." if action == "walk_in" else "Walk-in taken back."
        )
        return
    try:
        wanted = str(uuid.UUID(request.POST.get("registration", "")))
    except ValueError:
        messages.error(request, "Choose a person to check in.")
        return
    registration = selectors.registration_for_staff(
        actor=actor, event=event, registration_id=wanted
    )
    try:
        services.registration_check_in(
            actor=actor, registration=registration, attended=action != "undo"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return
    if action == "undo":
        messages.success(request, f"{registration.name} is no longer checked in.")
    else:
        messages.success(request, f"{registration.name} is checked in.")


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, org_id: UUID, community_event_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    org, event = selectors.event_for_staff(
        actor=actor,
        organization_id=org_id,
        event_id=community_event_id,
        action=AuditEvent.Action.UPDATE if request.method == "POST" else AuditEvent.Action.VIEW,
    )
    if request.method == "POST":
        _check_in_post(request, event)
        url = reverse(
            "events:check_in",
            kwargs={"org_id": org.public_id, "community_event_id": event.public_id},
        )
        anchor = request.POST.get("registration", "")
        return redirect(f"{url}#r-{anchor}" if anchor else url)
    rows = selectors.event_registrations(actor=actor, event=event, purpose="check-in")
    event.refresh_from_db()
    return render(
        request,
        "events/check_in.html",
        {
            "org": org,
            "event": event,
            "people": [r for r in rows if r.status == RegistrationStatus.REGISTERED],
            "counts": selectors.attendance(event),
        },
    )
