"""Thin views for participants: the caseload list and enrolment.

The participant's own page shows their consents, so it lives in rosc.consent (which may read
people; people may not read consent).
"""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from rosc.accounts.actor import request_actor
from rosc.accounts.services import PermissionDenied
from rosc.core.models import AuditEvent
from rosc.people import selectors, services
from rosc.people.forms import ParticipantForm, PrimaryPeerForm
from rosc.people.models import Participant


@login_required
def participant_list_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    search = request.GET.get("q", "").strip()[:100]
    participants = selectors.participant_list(actor=actor, search=search)
    return render(
        request, "people/participant_list.html", {"participants": participants, "search": search}
    )


@login_required
def participant_new_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    # Refuse (and audit) a role that may not enrol before showing the form.
    selectors.participant_organization(
        actor=actor, action=AuditEvent.Action.CREATE, record_type=selectors.RECORD_TYPE
    )
    form = ParticipantForm(request.POST or None)
    duplicates: list[Participant] = []
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            participant = services.participant_enrol(actor=actor, **arguments)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc)  # each message goes next to its field
            if "confirmed_not_duplicate" in form.errors:
                form.ask_about_duplicates()
                duplicates = selectors.participant_likely_duplicates(
                    actor=actor,
                    first_name=arguments["legal_first_name"],
                    last_name=arguments["legal_last_name"],
                    date_of_birth=arguments["date_of_birth"],
                )
        else:
            messages.success(request, f"{participant.display_name} is enrolled.")
            return redirect("care:participant", participant_id=participant.public_id)
    return render(request, "people/participant_new.html", {"form": form, "duplicates": duplicates})


@login_required
def primary_peer_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    """Change who the person mainly works with (any of the organization's staff may)."""
    actor = request_actor(request)
    participant = selectors.participant_get(actor=actor, participant_id=participant_id)
    candidates = selectors.primary_peer_candidates(organization=participant.organization)
    initial = {"primary_peer": participant.primary_peer_id}
    form = PrimaryPeerForm(request.POST or None, initial=initial, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["primary_peer"]
        try:
            services.participant_primary_peer_set(
                actor=actor, participant=participant, peer=form.candidates.get(chosen)
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            peer = participant.primary_peer
            messages.success(
                request,
                f"{peer.display_name} is now {participant.display_name}'s primary peer specialist."
                if peer
                else f"{participant.display_name} has no primary peer specialist now.",
            )
            return redirect("care:participant", participant_id=participant.public_id)
    return render(request, "people/primary_peer.html", {"participant": participant, "form": form})
