"""Thin views for participants: the caseload list and enrolment.

The participant's own page shows their consents, so it lives in rosc.consent (which may read
people; people may not read consent).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from rosc.accounts.actor import request_actor
from rosc.accounts.services import PermissionDenied
from rosc.core.models import AuditEvent
from rosc.people import selectors, services
from rosc.people.forms import ParticipantForm
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
            return redirect("consent:participant", participant_id=participant.public_id)
    return render(request, "people/participant_new.html", {"form": form, "duplicates": duplicates})
