"""Thin views: take a check-in, a person's check-in history and one check-in; the organization
admin's instruments and check-in settings."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from rosc.accounts.actor import request_actor
from rosc.accounts.roles import Perm
from rosc.accounts.selectors import organization_for
from rosc.accounts.services import PermissionDenied
from rosc.assessments import selectors, services
from rosc.assessments.charts import trend_chart
from rosc.assessments.forms import CheckinForm, CheckinSettingsForm, InstrumentForm
from rosc.assessments.models import Instrument, Occasion
from rosc.core.models import AuditEvent
from rosc.people.models import Participant
from rosc.people.selectors import participant_get


def _instrument_asked(request: HttpRequest, participant: Participant) -> Instrument:
    """The instrument named by ?instrument= (code or id), else the organization's check-in one."""
    actor = request_actor(request)
    wanted = request.GET.get("instrument", "").strip()[:64]
    if not wanted:
        return selectors.checkin_plan_for(participant.organization).instrument
    return selectors.instrument_get(actor=actor, instrument=wanted)


@login_required
def checkin_new_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    participant = participant_get(actor=actor, participant_id=participant_id)
    instrument = _instrument_asked(request, participant)
    first = not selectors.has_checked_in(participant=participant, instrument=instrument)
    initial = {
        "taken_on": services.organization_today(participant.organization),
        "occasion": Occasion.INTAKE if first else Occasion.ROUTINE,
    }
    form = CheckinForm(request.POST or None, instrument=instrument, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_record(
                actor=actor,
                participant=participant,
                instrument=instrument,
                **form.service_arguments(),
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc)  # each message goes next to its field
        else:
            messages.success(
                request,
                f"Check-in recorded: {instrument.code} total {assessment.total} "
                f"(possible {instrument.score_min} to {instrument.score_max}).",
            )
            url = reverse("assessments:history", args=[participant.public_id])
            return redirect(f"{url}?instrument={instrument.public_id}")
    return render(
        request,
        "assessments/checkin_new.html",
        {
            "participant": participant,
            "instrument": instrument,
            "form": form,
            # Phones show the answers in two columns: the first half, then the second half.
            "likert_rows": (len(instrument.scale) + 1) // 2,
        },
    )


@login_required
def checkin_history_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    participant = participant_get(actor=actor, participant_id=participant_id)
    instrument = _instrument_asked(request, participant)
    history = selectors.assessment_list_for_participant(
        actor=actor, participant_id=participant.public_id, instrument=instrument
    )
    others = [
        i for i in selectors.instruments_for(participant.organization) if i.pk != instrument.pk
    ]
    return render(
        request,
        "assessments/checkin_history.html",
        {
            "participant": participant,
            "instrument": instrument,
            "history": history,
            "chart": trend_chart(instrument, history) if history else None,
            "other_instruments": others,
        },
    )


@login_required
def checkin_detail_view(
    request: HttpRequest, participant_id: UUID, assessment_id: UUID
) -> HttpResponse:
    assessment = selectors.assessment_get(
        actor=request_actor(request), participant_id=participant_id, assessment_id=assessment_id
    )
    instrument = assessment.instrument
    answers = [
        (
            position,
            item,
            assessment.answers.get(item["key"]),
            instrument.scale_label(assessment.answers.get(item["key"])),
        )
        for position, item in enumerate(instrument.items, 1)
    ]
    return render(
        request,
        "assessments/checkin_detail.html",
        {
            "participant": assessment.participant,
            "assessment": assessment,
            "instrument": instrument,
            "answers": answers,
            "band": instrument.band_for(assessment.total),
        },
    )


# --- the organization admin's pages ------------------------------------------------------------


@login_required
def instrument_list_view(request: HttpRequest, org_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    instruments = selectors.instrument_list(
        actor=actor, organization_id=org_id, perm=Perm.STAFF_MANAGE
    )
    plan = selectors.checkin_plan_for(actor.organization) if actor.organization else None
    return render(
        request,
        "assessments/instrument_list.html",
        {"org_id": org_id, "instruments": instruments, "plan": plan},
    )


@login_required
def instrument_new_view(request: HttpRequest, org_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    organization_for(
        actor=actor,
        organization_id=org_id,
        perm=Perm.STAFF_MANAGE,
        action=AuditEvent.Action.CREATE,
        record_type=selectors.INSTRUMENT,
    )
    form = InstrumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            instrument = services.instrument_create(actor=actor, **form.service_arguments())
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{instrument.name} is ready for your staff to use.")
            return redirect("assessments:instruments", org_id=org_id)
    return render(request, "assessments/instrument_new.html", {"org_id": org_id, "form": form})


@login_required
def checkin_settings_view(request: HttpRequest, org_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    org = organization_for(
        actor=actor,
        organization_id=org_id,
        perm=Perm.STAFF_MANAGE,
        action=AuditEvent.Action.UPDATE,
        record_type="assessments.organizationassessmentsettings",
    )
    plan = selectors.checkin_plan_for(org)
    form = CheckinSettingsForm(
        request.POST or None,
        instruments=selectors.instruments_for(org),
        initial={
            "checkin_interval_days": plan.interval_days,
            "checkin_instrument": plan.instrument.public_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_settings_set(
                actor=actor,
                checkin_interval_days=form.cleaned_data.get("checkin_interval_days"),
                checkin_instrument=form.cleaned_data.get("checkin_instrument"),
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Check-in settings saved.")
            return redirect("assessments:settings", org_id=org_id)
    return render(request, "assessments/checkin_settings.html", {"org_id": org_id, "form": form})
