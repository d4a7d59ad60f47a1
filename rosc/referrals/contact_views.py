"""The public contact-me pages (no sign-in): the form on its own page, and the thank-you page.

Thin views over `rosc.referrals.contact`. A filled honeypot and a form sent too fast get the
same thank-you page as a real request, with nothing saved.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from rosc.accounts.actor import client_ip
from rosc.accounts.models import Organization
from rosc.directory.models import Service
from rosc.referrals.contact import (
    PER_ADDRESS_PER_HOUR,
    ContactLimitReached,
    client_hash,
    contact_limit_reached,
    contact_organization,
    contact_service,
    organization_phone,
    self_referral_create,
)
from rosc.referrals.contact_forms import (
    ContactForm,
    TokenCheck,
    form_token,
    listing_key,
    token_check,
)

STALE_MESSAGE = (
    "This form was open for more than a day, so it was not sent. Your answers are still here: "
    "please check them and send the form again."
)
INVALID_MESSAGE = (
    "Something went wrong with this form, so it was not sent. Your answers are still here: "
    "please check them and send the form again."
)


@require_http_methods(["GET", "POST"])
def contact_organization_view(request: HttpRequest, organization_id: UUID) -> HttpResponse:
    return _contact(request, contact_organization(organization_id), None)


@require_http_methods(["GET", "POST"])
def contact_service_view(request: HttpRequest, service_id: UUID) -> HttpResponse:
    service = contact_service(service_id)
    return _contact(request, service.organization, service)


def contact_sent_view(request: HttpRequest, organization_id: UUID) -> HttpResponse:
    organization = contact_organization(organization_id)
    return render(
        request,
        "referrals/contact_sent.html",
        {"org": organization, "phone": organization_phone(organization)},
    )


def _too_many(request: HttpRequest, organization: Organization) -> HttpResponse:
    return render(
        request,
        "referrals/contact_limit.html",
        {
            "org": organization,
            "phone": organization_phone(organization),
            "per_hour": PER_ADDRESS_PER_HOUR,
        },
        status=429,
    )


def _contact(
    request: HttpRequest, organization: Organization, service: Service | None
) -> HttpResponse:
    listing = listing_key(organization, service)
    sent = redirect("referrals:contact_sent", organization_id=organization.public_id)
    if request.method != "POST":
        form = ContactForm(organization=organization, initial={"token": form_token(listing)})
        return _page(request, organization, service, form)

    ip_hash = client_hash(client_ip(request))
    if contact_limit_reached(organization=organization, ip_hash=ip_hash):
        return _too_many(request, organization)
    form = ContactForm(request.POST, organization=organization)
    if form.honeypot_filled:
        return sent
    check = token_check(request.POST.get("token", ""), listing)
    if check == TokenCheck.TOO_FAST:
        return sent
    if check != TokenCheck.OK:
        # A person who took too long (or whose form got mangled): keep what they typed, give
        # the form a fresh token and ask them to send it again.
        data = request.POST.copy()
        data["token"] = form_token(listing)
        form = ContactForm(data, organization=organization)
        form.is_valid()
        form.add_error(None, STALE_MESSAGE if check == TokenCheck.STALE else INVALID_MESSAGE)
        return _page(request, organization, service, form)
    if form.is_valid():
        try:
            self_referral_create(
                organization=organization,
                service=service,
                ip_hash=ip_hash,
                **form.service_arguments(),
            )
        except ContactLimitReached:
            return _too_many(request, organization)
        except ValidationError as exc:
            form.add_error(None, exc)  # each message goes next to its field
        else:
            return sent
    return _page(request, organization, service, form)


def _page(
    request: HttpRequest, organization: Organization, service: Service | None, form: ContactForm
) -> HttpResponse:
    return render(
        request,
        "referrals/contact_form.html",
        {
            "org": organization,
            "service": service,
            "form": form,
            "phone": organization_phone(organization),
        },
    )
