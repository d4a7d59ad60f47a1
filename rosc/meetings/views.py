"""Public meeting pages and the Meeting Guide feed (no sign-in needed), and the pages where an
organization's staff enter and keep the meetings it hosts (404 with a denied audit event for
anyone else)."""

import json
from urllib.parse import quote, urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rosc.accounts.actor import request_actor
from rosc.core.models import AuditEvent
from rosc.meetings import selectors, services
from rosc.meetings.forms import MeetingFindForm, MeetingForm

PER_PAGE = 20


@require_GET
def find_view(request: HttpRequest) -> HttpResponse:
    form = MeetingFindForm(request.GET or None)
    results = None
    searched = bool(request.GET) and form.is_valid()
    if searched:
        page = request.GET.get("page", "1")
        results = selectors.meeting_search(
            form.filters(),
            page=int(page) if page.isdecimal() and len(page) < 7 else 1,
            per_page=PER_PAGE,
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meetings/find.html",
        {
            "form": form,
            "results": results,
            "searched": searched,
            "query": query.urlencode(),
            "place": form.cleaned_data.get("near") if searched else None,
            "feed_url": request.build_absolute_uri("/meetings.json"),
        },
    )


@require_GET
def meeting_view(request: HttpRequest, meeting_slug: str) -> HttpResponse:
    meeting = selectors.meeting_listing(meeting_slug)
    pinned = meeting.latitude is not None and not meeting.located_by_postal_code
    if pinned and meeting.longitude is not None and not meeting.approximate:
        lat, lng = f"{meeting.latitude:.5f}", f"{meeting.longitude:.5f}"
        query = urlencode({"mlat": lat, "mlon": lng})
        map_url = f"https://www.openstreetmap.org/?{query}#map=17/{lat}/{lng}"
    elif meeting.full_address and not meeting.approximate:
        map_url = f"https://www.openstreetmap.org/search?query={quote(meeting.full_address)}"
    else:
        map_url = ""
    return render(
        request,
        "meetings/meeting.html",
        {
            "meeting": meeting,
            "next_start": selectors.next_start(meeting, timezone.now()),
            "map_url": map_url,
        },
    )


@require_GET
def feed_view(request: HttpRequest) -> HttpResponse:
    """The Meeting Guide JSON feed of every active meeting (for the Meeting Guide app, TSML)."""
    body = json.dumps(list(selectors.feed_rows()), ensure_ascii=False, separators=(",", ":"))
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


# --- staff of an organization that hosts meetings ---------------------------------------------


def _form_errors(form: MeetingForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            form.add_error(form.error_field(key), errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_GET
def manage_view(request: HttpRequest, org_id: UUID) -> HttpResponse:
    org = selectors.organization_for_meetings(
        actor=request_actor(request), organization_id=org_id, action=AuditEvent.Action.LIST
    )
    return render(
        request,
        "meetings/manage.html",
        {"org": org, "meetings": selectors.meetings_kept_by(org)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new_view(request: HttpRequest, org_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    org = selectors.organization_for_meetings(
        actor=actor, organization_id=org_id, action=AuditEvent.Action.CREATE
    )
    form = MeetingForm(request.POST if request.method == "POST" else None, time_zone=org.time_zone)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_add(actor=actor, organization=org, row=form.row())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"“{meeting.name}” is saved and listed in the finder.")
            return redirect("meetings:manage", org_id=org.public_id)
    return render(request, "meetings/meeting_form.html", {"org": org, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit_view(request: HttpRequest, org_id: UUID, support_meeting_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    org, meeting = selectors.meeting_for_staff(
        actor=actor,
        organization_id=org_id,
        meeting_id=support_meeting_id,
        action=AuditEvent.Action.UPDATE,
    )
    if request.method == "POST":
        form = MeetingForm(request.POST, time_zone=meeting.time_zone)
    else:
        form = MeetingForm(time_zone=meeting.time_zone, initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.meeting_update(actor=actor, meeting=meeting, row=form.row())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if changed:
                messages.success(request, f"“{meeting.name}” is saved.")
            else:
                messages.info(request, "Nothing changed.")
            return redirect("meetings:manage", org_id=org.public_id)
    return render(
        request, "meetings/meeting_form.html", {"org": org, "form": form, "meeting": meeting}
    )


@login_required
@require_POST
def meeting_active_view(
    request: HttpRequest, org_id: UUID, support_meeting_id: UUID
) -> HttpResponse:
    """Deactivate ("active=no": not meeting for now) or reactivate ("active=yes") a meeting."""
    actor = request_actor(request)
    org, meeting = selectors.meeting_for_staff(
        actor=actor,
        organization_id=org_id,
        meeting_id=support_meeting_id,
        action=AuditEvent.Action.UPDATE,
    )
    wanted = request.POST.get("active")
    if wanted not in {"yes", "no"}:
        messages.error(request, "Nothing changed: choose to pause or restart the meeting.")
    elif services.meeting_set_active(actor=actor, meeting=meeting, active=wanted == "yes"):
        if meeting.active:
            messages.success(request, f"“{meeting.name}” is meeting again and back in the finder.")
        else:
            messages.success(
                request,
                f"“{meeting.name}” is marked as not meeting for now: it is off the finder and "
                "the feed until you restart it.",
            )
    return redirect("meetings:manage", org_id=org.public_id)
