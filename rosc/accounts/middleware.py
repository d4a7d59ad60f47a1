"""Resolve the Actor once per request, and hold staff to their second factor."""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from rosc.accounts.actor import actor_for_request
from rosc.accounts.models import User
from rosc.accounts.selectors import user_has_confirmed_device, user_requires_second_factor

# Paths a signed-in user may reach before passing the second factor.
SECOND_FACTOR_OPEN_PREFIXES = (
    "/login/",
    "/logout/",
    "/account/two-factor/",
    "/static/",
    "/healthz",
    "/password-reset/",
)


SESSION_TOUCHED_KEY = "rosc_touched"
TOUCH_EVERY_SECONDS = 60


class SlidingSessionMiddleware:
    """Sessions end after SESSION_COOKIE_AGE idle seconds (ROSC_SESSION_IDLE_MINUTES).

    Each request of a signed-in session pushes the end back, but the session row is rewritten
    at most once a minute rather than on every page (a write and a commit per request), so the
    idle limit holds to within a minute.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if not session.is_empty():
            now = int(time.time())
            if now - int(session.get(SESSION_TOUCHED_KEY, 0)) >= TOUCH_EVERY_SECONDS:
                session[SESSION_TOUCHED_KEY] = now  # saved, with a new end, with the response
        return self.get_response(request)


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = actor_for_request(request)  # type: ignore[attr-defined]
        return self.get_response(request)


def otp_verified(user: object) -> bool:
    """django-otp's OTPMiddleware adds is_verified() to the request's user."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def second_factor_passed(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return True
    if settings.ROSC_DEMO_MODE and getattr(user, "is_demo", False):
        return True
    if otp_verified(user):
        return True
    return not user_requires_second_factor(user)


class SecondFactorRequiredMiddleware:
    """Staff whose role can open participant records must pass TOTP before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(SECOND_FACTOR_OPEN_PREFIXES) or second_factor_passed(request):
            return self.get_response(request)
        if request.path.startswith(("/api/", "/fhir/")):
            return JsonResponse({"detail": "A second factor is required."}, status=401)
        if isinstance(request.user, User) and user_has_confirmed_device(request.user):
            return redirect(f"/login/verify/?next={request.get_full_path()}")
        return redirect("/account/two-factor/")
