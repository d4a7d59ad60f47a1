from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

from rosc.accounts.roles import Perm

# The header's fixed links, by the name the template uses. Reversed once per script prefix
# rather than with a {% url %} tag per link on every page (a dozen reverses a request).
NAV_ROUTES = {
    "home": "accounts:home",
    "caseload": "care:caseload",
    "referrals": "referrals:inbox",
    "listings": "directory:manage",
    "training": "training:mine",
    "account": "accounts:account",
    "find": "directory:find",
    "events": "events:list",
    "councils": "councils:network",
    "meetings": "meetings:find",
    "login": "accounts:login",
    "logout": "accounts:logout",
    "switch": "accounts:switch",
}


@cache
def _nav_urls(prefix: str) -> dict[str, str]:
    return {name: reverse(route) for name, route in NAV_ROUTES.items()}


def actor(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "actor", None)
    match = request.resolver_match
    return {
        "actor": current,
        "demo_mode": settings.ROSC_DEMO_MODE,
        # Navigation shows only what the role can open (the views decide access, not this).
        "nav_caseload": current is not None and current.can(Perm.PARTICIPANTS_OPEN),
        "nav_listings": current is not None and current.can(Perm.DIRECTORY_EDIT),
        "nav_url": _nav_urls(get_script_prefix()),
        # Which link is the current page (aria-current): by view name, or by app for sections.
        "nav_view": match.view_name if match else "",
        "nav_app": match.app_name if match else "",
    }
