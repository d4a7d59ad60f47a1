"""FHIR answers: application/fhir+json, errors as OperationOutcome, and who is asking.

`fhir_view` wraps a plain Django view. A protected endpoint accepts a signed-in session or an
API key (`Authorization: Bearer <key>`, the same keys as the JSON API: the key's owner, in the
key's organization and role); without either it answers 401. A session's writes still pass
Django's CSRF check; a request with a key has no ambient authority, so it needs none. Errors
never leave as HTML or a 500: Http404 (a refusal or a missing record, after the selector's
"denied" audit event) is one identical 404 OperationOutcome; FhirProblem is its own status.
"""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from rosc.accounts.actor import Actor, client_ip
from rosc.accounts.services import PermissionDenied, api_token_authenticate
from rosc.fhir.problems import FhirProblem, Issue
from rosc.fhir.resources import operation_outcome

FHIR_JSON = "application/fhir+json; charset=utf-8"
NOT_FOUND: list[Issue] = [
    ("not-found", "Not found: no such resource, or not one you may see.", None)
]
SAFE_METHODS = ("GET", "HEAD")


def fhir_response(
    data: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, ensure_ascii=False),
        status=status,
        content_type=FHIR_JSON,
        headers=headers,
    )


def outcome(
    status: int, issues: list[Issue], headers: dict[str, str] | None = None
) -> HttpResponse:
    return fhir_response(operation_outcome(issues), status, headers)


def _unauthorized(text: str) -> HttpResponse:
    return outcome(401, [("login", text, None)], {"WWW-Authenticate": 'Bearer realm="ROSC Hub"'})


def _csrf_passes(request: HttpRequest) -> bool:
    check = CsrfViewMiddleware(lambda _request: HttpResponse())
    return check.process_view(request, lambda _request: HttpResponse(), (), {}) is None


def request_fhir_actor(request: HttpRequest) -> Actor | HttpResponse:
    """The Actor for an API key or the signed-in session, or the 401/403 answer to send."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header:
        scheme, _, key = header.partition(" ")
        token = (
            api_token_authenticate(key.strip())
            if scheme.lower() == "bearer" and key.strip()
            else None
        )
        if token is None:
            return _unauthorized("The API key is missing, unknown, expired or revoked.")
        membership = token.membership
        request.user = membership.user
        actor = Actor(
            user=membership.user,
            membership=membership,
            memberships=(membership,),
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            extra={"api_token": str(token.public_id)},
        )
        request.actor = actor  # type: ignore[attr-defined]
        return actor
    signed_in = getattr(request, "actor", None)
    if not isinstance(signed_in, Actor):
        return _unauthorized("Sign in, or send an API key: Authorization: Bearer <key>.")
    if request.method not in SAFE_METHODS and not _csrf_passes(request):
        return outcome(403, [("security", "The CSRF check failed; systems use an API key.", None)])
    return signed_in


def fhir_view(
    *, methods: tuple[str, ...] = ("GET",), public: bool = False
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A FHIR endpoint. Protected views are called as view(request, actor, **kwargs)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                return outcome(
                    405,
                    [("not-supported", f"{request.method} is not supported here.", None)],
                    {"Allow": ", ".join(methods)},
                )
            try:
                if public:
                    return view(request, **kwargs)
                found = request_fhir_actor(request)
                if isinstance(found, HttpResponse):
                    return found
                return view(request, found, **kwargs)
            except (Http404, PermissionDenied):
                return outcome(404, NOT_FOUND)
            except FhirProblem as problem:
                return outcome(problem.status, problem.issues)
            except ValidationError as exc:
                return outcome(422, [("invalid", text, None) for text in exc.messages])

        return wrapper

    return decorate
