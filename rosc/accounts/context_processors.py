from typing import Any

from django.conf import settings
from django.http import HttpRequest


def actor(request: HttpRequest) -> dict[str, Any]:
    return {
        "actor": getattr(request, "actor", None),
        "demo_mode": settings.ROSC_DEMO_MODE,
    }
