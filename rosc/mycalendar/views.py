"""The personal feed (public, at a secret address) and the button on "Your account"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from rosc.accounts.actor import request_actor
from rosc.mycalendar import selectors, services
from rosc.mycalendar.feeds import personal_calendar

# The new address is shown once, on the next "Your account" page, then forgotten.
NEW_FEED_SESSION_KEY = "mycalendar_new_feed_url"


def calendar(request: HttpRequest, token: str) -> HttpResponse:
    """What the person attends, at their secret address (no sign-in)."""
    user = selectors.feed_owner(token)
    body = personal_calendar(
        name=f"ROSC Hub: {user.display_name}",
        series=selectors.council_series_of(user),
        registrations=selectors.registrations_of(user),
        enrolments=selectors.enrolments_of(user),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="my-calendar.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
@login_required
def feed_manage(request: HttpRequest) -> HttpResponse:
    """Make or replace the address (action=issue), or turn it off (action=revoke)."""
    actor = request_actor(request)
    if request.POST.get("action") == "revoke":
        if services.personal_feed_revoke(actor=actor):
            messages.success(
                request, "Your calendar feed is turned off. Its address no longer works."
            )
    else:
        token = services.personal_feed_issue(actor=actor)
        request.session[NEW_FEED_SESSION_KEY] = request.build_absolute_uri(
            reverse("mycalendar:calendar", args=[token])
        )
    return redirect(reverse("accounts:account") + "#calendar-feed")
