"""`{% contact_me_link org service %}`: the "Ask them to contact me" section of a listing."""

from typing import Any

from django import template
from django.urls import reverse

from rosc.accounts.models import Organization
from rosc.directory.models import Service
from rosc.referrals.contact import accepts_contact_requests

register = template.Library()


@register.inclusion_tag("referrals/contact_link.html")
def contact_me_link(organization: Organization, service: Service | None = None) -> dict[str, Any]:
    """Shown only for organizations whose staff use ROSC Hub (someone reads the request)."""
    if not accepts_contact_requests(organization):
        return {"show": False}
    if service is not None and service.status == Service.Status.ACTIVE:
        url = reverse("referrals:contact_service", kwargs={"service_id": service.public_id})
    else:
        url = reverse(
            "referrals:contact_organization", kwargs={"organization_id": organization.public_id}
        )
    return {"show": True, "url": url, "org": organization}
