"""Public meeting pages and the Meeting Guide feed. No sign-in needed."""

import json
from urllib.parse import quote, urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from rosc.meetings import selectors
from rosc.meetings.forms import MeetingFindForm

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
    if meeting.latitude is not None and meeting.longitude is not None and not meeting.approximate:
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
