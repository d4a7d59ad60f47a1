"""The JSON API: one NinjaAPI, each app's router mounted under its own prefix."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from rosc.accounts.api import api_token_auth
from rosc.accounts.api import router as accounts_router
from rosc.assessments.api import router as assessments_router
from rosc.consent.api import router as consent_router
from rosc.encounters.api import router as encounters_router
from rosc.followups.api import router as followups_router
from rosc.people.api import router as people_router
from rosc.plans.api import router as plans_router
from rosc.referrals.api import router as referrals_router

api = NinjaAPI(
    title="ROSC Hub API",
    version="1",
    description="Staff API of ROSC Hub. Every operation acts as the signed-in user in their "
    "active organization, or as the owner of an API key (`Authorization: Bearer <key>`, made "
    "under Your account) in the key's organization; records of other organizations answer 404.",
    auth=[api_token_auth, django_auth],
)
api.add_router("/", accounts_router)
api.add_router("/", followups_router)
api.add_router("/", people_router)
api.add_router("/", consent_router)
api.add_router("/", assessments_router)
api.add_router("/", plans_router)
api.add_router("/", encounters_router)
api.add_router("/", referrals_router)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "Invalid input", "errors": errors}, status=422)
