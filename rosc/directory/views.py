"""Public directory pages: search and listings. No sign-in needed."""

from uuid import UUID

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rosc.directory import selectors
from rosc.directory.forms import FindForm

PER_PAGE = 20


def find_view(request: HttpRequest) -> HttpResponse:
    form = FindForm(request.GET or None)
    results = None
    searched = bool(request.GET) and form.is_valid()
    if searched:
        page = request.GET.get("page", "1")
        results = selectors.service_search(
            form.filters(),
            page=int(page) if page.isdecimal() and len(page) < 7 else 1,
            per_page=PER_PAGE,
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/find.html",
        {
            "form": form,
            "results": results,
            "searched": searched,
            "query": query.urlencode(),
            "place": form.cleaned_data.get("near") if searched else None,
            "tile_url": settings.MAP_TILE_URL,
        },
    )


def organization_view(request: HttpRequest, organization_id: UUID) -> HttpResponse:
    org = selectors.organization_listing(organization_id)
    return render(
        request, "directory/organization.html", {"org": org, "stale": selectors.is_stale(org)}
    )


def service_view(request: HttpRequest, service_id: UUID) -> HttpResponse:
    service = selectors.service_listing(service_id)
    return render(
        request,
        "directory/service.html",
        {
            "service": service,
            "org": service.organization,
            "terms": selectors.service_terms(service),
            "stale": selectors.is_stale(service.organization),
        },
    )
