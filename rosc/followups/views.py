"""Thin views: a person's follow-ups, recording an attempt, completing, discharge, re-enrolment."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from rosc.accounts.actor import request_actor
from rosc.accounts.services import PermissionDenied
from rosc.followups import selectors, services
from rosc.followups.forms import AttemptForm, CompleteForm, DischargeForm, ReenrolForm
from rosc.followups.models import AttemptOutcome, InterviewType
from rosc.followups.schedule import day_text
from rosc.people.models import ParticipantStatus
from rosc.people.selectors import participant_get


@login_required
def followup_list_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    participant, items = selectors.followup_list(actor=actor, participant_id=participant_id)
    episodes = sorted(
        {i.episode.pk: i.episode for i in items}.values(), key=lambda e: -e.intake_seq
    )
    current = selectors.current_episode(participant)
    if current is not None and current not in episodes:
        episodes.insert(0, current)
    return render(
        request,
        "followups/followup_list.html",
        {
            "participant": participant,
            "episodes": [(e, [i for i in items if i.episode.pk == e.pk]) for e in episodes],
            "next": selectors.next_followup(items),
            "discharged": participant.status == ParticipantStatus.DISCHARGED,
        },
    )


def _selected(request: HttpRequest) -> dict[str, str]:
    wanted = request.GET.get("followup", "")
    return {"followup": wanted} if selectors.parse_key(wanted) else {}


def _record_form(
    request: HttpRequest,
    participant_id: UUID,
    *,
    form_class: type[AttemptForm] | type[CompleteForm],
    can: Callable[[selectors.FollowUpItem], bool],
    record: Callable[..., str],
    template: str,
) -> HttpResponse:
    """A follow-up form of a person (an attempt or a completion): the items it may be recorded
    for, the service call, its errors next to the form, and the way back to the list."""
    actor = request_actor(request)
    participant = participant_get(actor=actor, participant_id=participant_id)
    items = [i for i in selectors.participant_followups(participant) if can(i)]
    form = form_class(request.POST or None, items=items, initial=_selected(request))
    if request.method == "POST" and form.is_valid():
        try:
            done = record(
                actor=actor,
                participant=participant,
                **form.cleaned_data_for_service(),
                **form.followup_arguments(),
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("followups:list", participant_id=participant.public_id)
    return render(request, template, {"participant": participant, "form": form, "items": items})


def _attempt(**kwargs: Any) -> str:
    attempt = services.followup_attempt_record(**kwargs)
    label = InterviewType(attempt.followup.kind).label.lower()
    return f"Attempt recorded for the {label}: {attempt.get_outcome_display()}."


def _complete(**kwargs: Any) -> str:
    row = services.followup_complete(**kwargs)
    done = "completed" if row.outcome == AttemptOutcome.REACHED else "closed: declined"
    assert row.completed_on is not None
    return f"{InterviewType(row.kind).label} {done} on {day_text(row.completed_on)}."


@login_required
def followup_attempt_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    return _record_form(
        request,
        participant_id,
        form_class=AttemptForm,
        can=lambda item: item.can_record_attempt,
        record=_attempt,
        template="followups/attempt_form.html",
    )


@login_required
def followup_complete_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    return _record_form(
        request,
        participant_id,
        form_class=CompleteForm,
        can=lambda item: item.can_complete,
        record=_complete,
        template="followups/complete_form.html",
    )


@login_required
def participant_discharge_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    participant = participant_get(actor=actor, participant_id=participant_id)
    form = DischargeForm(request.POST or None)
    discharged = participant.status == ParticipantStatus.DISCHARGED
    if request.method == "POST" and not discharged and form.is_valid():
        try:
            episode = services.participant_discharge(
                actor=actor, participant=participant, **form.cleaned_data
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            interview = selectors.followup_find(
                participant, intake_seq=episode.intake_seq, kind=InterviewType.DISCHARGE
            )
            messages.success(
                request,
                f"{participant.display_name} is discharged."
                + (
                    f" Their discharge interview is due by {day_text(interview.window_closes_on)}."
                    if interview
                    else ""
                ),
            )
            return redirect("followups:list", participant_id=participant.public_id)
    return render(
        request,
        "followups/discharge_form.html",
        {"participant": participant, "form": form, "discharged": discharged},
    )


@login_required
def participant_reenrol_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    participant = participant_get(actor=actor, participant_id=participant_id)
    form = ReenrolForm(request.POST or None)
    discharged = participant.status == ParticipantStatus.DISCHARGED
    if request.method == "POST" and discharged and form.is_valid():
        try:
            episode = services.participant_reenrol(
                actor=actor, participant=participant, **form.cleaned_data
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"Welcome back: {participant.display_name} is enrolled again "
                f"(intake {episode.intake_seq}). Their intake interview is open now.",
            )
            return redirect("followups:list", participant_id=participant.public_id)
    return render(
        request,
        "followups/reenrol_form.html",
        {"participant": participant, "form": form, "discharged": discharged},
    )
