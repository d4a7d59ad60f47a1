"""Staff pages that keep the directory true: listings, duplicates and HSDS uploads. Thin: the
reads are in curation_selectors (which refuse with a 404 after a denied audit event), the writes
in services."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rosc.accounts.actor import request_actor
from rosc.accounts.models import Organization
from rosc.core.models import AuditEvent
from rosc.directory import curation_selectors as selectors
from rosc.directory import services
from rosc.directory.curation_forms import (
    ListingForm,
    LocationForm,
    ManagerSearchForm,
    MergeForm,
    PhoneFormSet,
    ScheduleForm,
    ScheduleFormSet,
    ServiceForm,
    UploadForm,
    kept_rows,
)
from rosc.directory.models import DirectoryImport, Location, Service


def _service_errors(form: Form, exc: ValidationError) -> None:
    """A check the service made (the forms make the same ones first) shown on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def manage_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    search = ManagerSearchForm(request.GET or None)
    text = search.cleaned_data["q"].strip() if search.is_valid() else ""
    listings = selectors.listing_manager(actor=actor, search=text)
    return render(
        request,
        "directory/manage.html",
        {
            "search": search,
            "listings": listings,
            "steward": selectors.may_curate(actor),
            "searched": text,
        },
    )


def _listing_context(org: Organization) -> dict[str, Any]:
    return {
        "org": org,
        "services": selectors.listing_services(org),
        "locations": selectors.listing_locations(org),
    }


@login_required
def listing_edit_view(request: HttpRequest, org_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    org = selectors.listing_for_edit(actor=actor, organization_id=org_id)
    form = ListingForm(request.POST or None, initial=ListingForm.initial_for(org))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.organization_listing_update(
                actor=actor, organization=org, changes=form.changes()
            )
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(
                request, "The listing is saved." if changed else "Nothing was changed."
            )
            return redirect("directory:listing_edit", org_id=org.public_id)
    return render(request, "directory/listing_edit.html", {"form": form, **_listing_context(org)})


@login_required
@require_POST
def listing_verify_view(request: HttpRequest, org_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    org = selectors.listing_for_edit(actor=actor, organization_id=org_id)
    services.organization_listing_verify(actor=actor, organization=org)
    messages.success(request, "Marked as checked today.")
    return redirect("directory:listing_edit", org_id=org.public_id)


def _service_page(request: HttpRequest, org: Organization, service: Service | None) -> HttpResponse:
    actor = request_actor(request)
    data = request.POST if request.method == "POST" else None
    initial = ServiceForm.initial_for(service) if service else {"status": "active"}
    form = ServiceForm(data, initial=initial)
    phones = PhoneFormSet(
        data,
        prefix="phones",
        initial=[
            {f: getattr(p, f) for f in ("public_id", "number", "type", "description")}
            | {"extension": int(p.extension) if p.extension is not None else None}
            for p in (service.phones.all() if service else [])
        ],
    )
    schedules = ScheduleFormSet(
        data,
        prefix="schedules",
        initial=[ScheduleForm.initial_for(s) for s in (service.schedules.all() if service else [])],
    )
    if data is not None and all(x.is_valid() for x in (form, phones, schedules)):
        arguments: dict[str, Any] = {
            "changes": form.changes(),
            **form.extras(),
            "phones": kept_rows(phones),
            "schedules": kept_rows(schedules),
        }
        try:
            if service is None:
                service = services.service_create(actor=actor, organization=org, **arguments)
                messages.success(request, f"{service.name} is added to the listing.")
            else:
                changed = services.service_update(actor=actor, service=service, **arguments)
                messages.success(
                    request, f"{service.name} is saved." if changed else "Nothing was changed."
                )
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            return redirect("directory:listing_edit", org_id=org.public_id)
    return render(
        request,
        "directory/service_edit.html",
        {
            "org": org,
            "service": service,
            "form": form,
            "phones": phones,
            "schedules": schedules,
            "formsets": [phones, schedules],
        },
    )


@login_required
def service_new_view(request: HttpRequest, org_id: UUID) -> HttpResponse:
    org = selectors.listing_for_edit(
        actor=request_actor(request), organization_id=org_id, action=AuditEvent.Action.CREATE
    )
    return _service_page(request, org, None)


@login_required
def service_edit_view(request: HttpRequest, org_id: UUID, service_id: UUID) -> HttpResponse:
    service = selectors.service_for_edit(
        actor=request_actor(request), organization_id=org_id, service_id=service_id
    )
    return _service_page(request, service.organization, service)


def _location_page(
    request: HttpRequest, org: Organization, location: Location | None
) -> HttpResponse:
    actor = request_actor(request)
    data = request.POST if request.method == "POST" else None
    service_list = list(selectors.listing_services(org))
    initial: dict[str, Any] = {"country": "US"}
    phone_rows: list[dict[str, Any]] = []
    if location is not None:
        initial |= {
            f: getattr(location, f)
            for f in ("name", "description", "latitude", "longitude", "transportation")
        }
        address = location.addresses.order_by("pk").first()
        if address is not None:
            initial |= {
                f: getattr(address, f)
                for f in (
                    "address_1",
                    "address_2",
                    "city",
                    "state_province",
                    "postal_code",
                    "country",
                )
            }
        initial["services"] = [
            str(s.public_id)
            for s in Service.objects.filter(service_at_locations__location=location)
        ]
        phone_rows = [
            {f: getattr(p, f) for f in ("public_id", "number", "type", "description")}
            | {"extension": int(p.extension) if p.extension is not None else None}
            for p in location.phones.all()
        ]
    form = LocationForm(data, initial=initial, services=service_list)
    phones = PhoneFormSet(data, prefix="phones", initial=phone_rows)
    if data is not None and form.is_valid() and phones.is_valid():
        arguments: dict[str, Any] = {
            "changes": form.changes(),
            "address": form.address(),
            "phones": kept_rows(phones),
            "services": form.chosen_services(),
        }
        try:
            if location is None:
                location = services.location_create(actor=actor, organization=org, **arguments)
            else:
                services.location_update(
                    actor=actor, organization=org, location=location, **arguments
                )
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, f"{location.name} is saved.")
            return redirect("directory:listing_edit", org_id=org.public_id)
    return render(
        request,
        "directory/location_edit.html",
        {"org": org, "location": location, "form": form, "phones": phones, "formsets": [phones]},
    )


@login_required
def location_new_view(request: HttpRequest, org_id: UUID) -> HttpResponse:
    org = selectors.listing_for_edit(
        actor=request_actor(request), organization_id=org_id, action=AuditEvent.Action.CREATE
    )
    return _location_page(request, org, None)


@login_required
def location_edit_view(request: HttpRequest, org_id: UUID, location_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    location = selectors.location_for_edit(
        actor=actor, organization_id=org_id, location_id=location_id
    )
    org = selectors.listing_for_edit(actor=actor, organization_id=org_id)
    return _location_page(request, org, location)


@login_required
def duplicates_view(request: HttpRequest) -> HttpResponse:
    pairs = selectors.organization_duplicates(actor=request_actor(request))
    return render(request, "directory/duplicates.html", {"pairs": pairs})


@login_required
def merge_view(request: HttpRequest, org_id: UUID) -> HttpResponse:
    """Merge this organization (the duplicate) into the one kept, chosen by `into`."""
    actor = request_actor(request)
    duplicate = selectors.organization_to_merge(actor=actor, organization_id=org_id)
    form = MergeForm(request.POST or request.GET or None)
    survivor = None
    if form.is_valid():
        survivor = Organization.objects.filter(public_id=form.cleaned_data["into"]).first()
    if request.method == "POST" and survivor is not None:
        try:
            services.organization_merge(actor=actor, survivor=survivor, duplicate=duplicate)
        except services.MergeRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{duplicate.name} is merged into {survivor.name}.")
            return redirect("directory:listing_edit", org_id=survivor.public_id)
    return render(
        request,
        "directory/merge.html",
        {
            "duplicate": duplicate,
            "survivor": survivor,
            "form": form,
            "choices": selectors.merge_choices(duplicate) if survivor is None else [],
            "blockers": services.merge_blockers(duplicate),
            "services": selectors.listing_services(duplicate),
            "locations": selectors.listing_locations(duplicate),
        },
    )


@login_required
def import_new_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    recent = selectors.directory_import_list(actor=actor)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.directory_import_queue(actor=actor, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            return redirect("directory:import_detail", import_id=job.public_id)
    return render(request, "directory/import_new.html", {"form": form, "recent": recent})


@login_required
def import_detail_view(request: HttpRequest, import_id: UUID) -> HttpResponse:
    job = selectors.directory_import_get(actor=request_actor(request), import_id=import_id)
    done, total = (
        services.directory_import_progress(job)
        if job.status == DirectoryImport.Status.RUNNING
        else (job.rows_done, job.rows_total)
    )
    return render(
        request,
        "directory/import_detail.html",
        {"job": job, "done": done, "total": total, "refresh": not job.is_finished},
    )
