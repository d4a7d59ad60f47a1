"""Thin views: the quick contact form, a participant's contacts, one note, marking in error.

Times are shown and typed in the participant's organization's time zone.
"""

from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from rosc.accounts.actor import request_actor
from rosc.accounts.models import Organization
from rosc.accounts.services import PermissionDenied
from rosc.encounters import selectors, services
from rosc.encounters.forms import EncounterForm, VoidForm
from rosc.people.selectors import participant_get

# The participant's page (served by rosc.care since the lead moved it from consent).
PARTICIPANT_PAGE = "care:participant"


def _zone(organization: Organization) -> ZoneInfo:
    return ZoneInfo(organization.time_zone or settings.TIME_ZONE)


@login_required
def encounter_new_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    """Log a contact: now, and the staff member's last kind, length and place, are filled in."""
    actor = request_actor(request)
    participant = participant_get(actor=actor, participant_id=participant_id)
    org = participant.organization
    with timezone.override(_zone(org)):
        # The user's last kind, length and place prefill the empty form; a posted form shows
        # what was posted, so it needs no defaults (one query fewer per contact logged).
        data = request.POST or None
        defaults = (
            None
            if data is not None
            else selectors.encounter_defaults_for(user=actor.user, organization=org)
        )
        form = EncounterForm(data, defaults=defaults)
        if request.method != "POST":
            now = timezone.localtime().replace(second=0, microsecond=0)
            form.initial["occurred_at"] = now
        elif form.is_valid():
            try:
                encounter = services.encounter_log(
                    actor=actor, participant=participant, **form.cleaned_data
                )
            except PermissionDenied as exc:
                raise Http404 from exc
            except ValidationError as exc:
                form.add_error(None, exc)  # each message goes next to its field
            else:
                messages.success(
                    request,
                    f"Contact with {participant.display_name} logged: "
                    f"{encounter.get_kind_display().lower()}, {encounter.duration_minutes} min.",
                )
                return redirect(PARTICIPANT_PAGE, participant_id=participant.public_id)
        return render(
            request,
            "encounters/encounter_new.html",
            {"participant": participant, "form": form, "participant_page": PARTICIPANT_PAGE},
        )


@login_required
def encounter_list_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    found = selectors.encounter_list(
        actor=actor, participant_id=participant_id, page=request.GET.get("page", 1)
    )
    with timezone.override(_zone(found.participant.organization)):
        return render(
            request,
            "encounters/encounter_list.html",
            {
                "participant": found.participant,
                "page": found.page,
                "participant_page": PARTICIPANT_PAGE,
            },
        )


@login_required
def encounter_note_view(
    request: HttpRequest, participant_id: UUID, encounter_id: UUID
) -> HttpResponse:
    encounter = selectors.encounter_note_get(
        actor=request_actor(request), participant_id=participant_id, encounter_id=encounter_id
    )
    with timezone.override(_zone(encounter.participant.organization)):
        response = render(
            request,
            "encounters/encounter_note.html",
            {"participant": encounter.participant, "encounter": encounter},
        )
    # A note is not kept in shared caches or the browser's back-forward cache.
    response["Cache-Control"] = "no-store"
    return response


@login_required
def encounter_void_view(
    request: HttpRequest, participant_id: UUID, encounter_id: UUID
) -> HttpResponse:
    """Mark a contact as entered in error (it stays in the record, marked, with the reason)."""
    actor = request_actor(request)
    encounter = selectors.encounter_get(
        actor=actor, participant_id=participant_id, encounter_id=encounter_id
    )
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not encounter.is_voided:
        try:
            services.encounter_void(
                actor=actor, encounter=encounter, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "The contact is marked as entered in error.")
            return redirect("encounters:list", participant_id=encounter.participant.public_id)
    with timezone.override(_zone(encounter.participant.organization)):
        return render(
            request,
            "encounters/encounter_void.html",
            {
                "participant": encounter.participant,
                "encounter": encounter,
                "form": form,
            },
        )
