"""The JSON API: one NinjaAPI, each app's router mounted under its own prefix."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from rosc.accounts.api import router as accounts_router

api = NinjaAPI(
    title="ROSC Hub API",
    version="1",
    description="Staff API of ROSC Hub. Every operation acts as the signed-in user "
    "in their active organization; records of other organizations answer 404.",
    auth=django_auth,
)
api.add_router("/", accounts_router)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "Invalid input", "errors": errors}, status=422)
