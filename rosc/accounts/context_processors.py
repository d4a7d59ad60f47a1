from typing import Any

from django.conf import settings
from django.http import HttpRequest

from rosc.accounts.roles import Perm


def actor(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "actor", None)
    return {
        "actor": current,
        "demo_mode": settings.ROSC_DEMO_MODE,
        # Navigation shows only what the role can open (the views decide access, not this).
        "nav_caseload": current is not None and current.can(Perm.PARTICIPANTS_OPEN),
        "nav_listings": current is not None and current.can(Perm.DIRECTORY_EDIT),
    }
