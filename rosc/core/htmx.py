"""htmx helpers: render a whole page, or only the named partial when htmx asks for it."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """`partial` names a `{% partialdef %}` in `template`, sent alone to htmx requests."""
    if partial and getattr(request, "htmx", False):
        return render(request, f"{template}#{partial}", context, status=status)
    return render(request, template, context, status=status)
