"""Thin views for reentry and diversion referrals and the court's portal."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rosc.accounts.actor import Actor, request_actor
from rosc.accounts.services import PermissionDenied
from rosc.core.models import AuditEvent
from rosc.justice import selectors, services
from rosc.justice.forms import (
    ChecklistForm,
    ContactForm,
    DiversionReferralForm,
    ReentryReferralForm,
    ReleaseForm,
)
from rosc.justice.models import ChecklistItem, ReportEvery
from rosc.justice.reentry import MISSED, NOT_YET
from rosc.people.selectors import participant_get, participant_organization
from rosc.referrals.transitions import RECIPIENT


def _add_errors(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- sending: a jail's reentry referral, a court's diversion referral -------------------------


def _referral_new(
    request: HttpRequest,
    participant_id: UUID,
    *,
    form_class: type[ReentryReferralForm] | type[DiversionReferralForm],
    allowed: Any,
    create: Any,
    own_fields: tuple[str, ...],
    template: str,
) -> HttpResponse:
    actor = request_actor(request)
    participant = participant_get(actor=actor, participant_id=participant_id)
    may_send = allowed(actor)
    form = form_class(
        request.POST if request.method == "POST" and may_send else None,
        organization=participant.organization,
    )
    if request.method == "POST" and may_send and form.is_valid():
        try:
            record = create(
                actor=actor,
                participant=participant,
                **form.referral_arguments(),
                **{name: form.cleaned_data[name] for name in own_fields},
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, f"Referral sent to {record.referral.recipient_organization.name}."
            )
            return redirect(record)
    return render(
        request,
        template,
        {"participant": participant, "form": form, "may_send": may_send},
    )


@login_required
def reentry_new_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    return _referral_new(
        request,
        participant_id,
        form_class=ReentryReferralForm,
        allowed=services.can_send_reentry,
        create=services.reentry_referral_create,
        own_fields=("facility_name", "expected_release_on"),
        template="justice/reentry_new.html",
    )


@login_required
def diversion_new_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    return _referral_new(
        request,
        participant_id,
        form_class=DiversionReferralForm,
        allowed=services.can_send_diversion,
        create=services.diversion_referral_create,
        own_fields=("pathway", "report_every_days"),
        template="justice/diversion_new.html",
    )


# --- reentry ---------------------------------------------------------------------------------


@login_required
def reentry_list_view(request: HttpRequest) -> HttpResponse:
    flagged_only = request.GET.get("show") == "not_met"
    received, sent = selectors.reentry_list(actor=request_actor(request), flagged_only=flagged_only)
    return render(
        request,
        "justice/reentry_list.html",
        {"received": received, "sent": sent, "flagged_only": flagged_only},
    )


def _render_reentry(request: HttpRequest, reentry_id: UUID, **forms: Form) -> HttpResponse:
    view = selectors.reentry_get(actor=request_actor(request), referral_id=reentry_id)
    plan = view.plan
    release = forms.get("release_form") or ReleaseForm(
        initial={"released_on": plan.released_on, "released_time": plan.released_time}
    )
    checklist_error = forms.get("checklist_form")
    checklist = []
    for item in ChecklistItem:
        bound = (
            checklist_error
            if checklist_error is not None and checklist_error.prefix == item.value
            else ChecklistForm(prefix=item.value)
        )
        checklist.append((item, view.ticks.get(item.value), bound))
    return render(
        request,
        "justice/reentry_detail.html",
        {
            "view": view,
            "plan": plan,
            "referral": plan.referral,
            "is_recipient": view.side == RECIPIENT,
            "release_form": release,
            "contact_form": forms.get("contact_form") or ContactForm(),
            "checklist": checklist,
            "NOT_YET": NOT_YET,
            "MISSED": MISSED,
        },
    )


@login_required
def reentry_detail_view(request: HttpRequest, reentry_id: UUID) -> HttpResponse:
    return _render_reentry(request, reentry_id)


def _reentry_post(
    request: HttpRequest,
    reentry_id: UUID,
    form: Form,
    form_name: str,
    write: Any,
    done: str,
) -> HttpResponse:
    actor = request_actor(request)
    plan, _side = selectors.reentry_in_reach(actor=actor, referral_id=reentry_id)
    if form.is_valid():
        try:
            write(actor, plan, form.cleaned_data)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("justice:reentry_detail", reentry_id=reentry_id)
    return _render_reentry(request, reentry_id, **{form_name: form})


@require_POST
@login_required
def reentry_release_view(request: HttpRequest, reentry_id: UUID) -> HttpResponse:
    return _reentry_post(
        request,
        reentry_id,
        ReleaseForm(request.POST),
        "release_form",
        lambda actor, plan, data: services.reentry_release_record(
            actor=actor,
            plan=plan,
            released_on=data["released_on"],
            released_time=data["released_time"],
        ),
        "The release is recorded.",
    )


@require_POST
@login_required
def reentry_checklist_view(request: HttpRequest, reentry_id: UUID) -> HttpResponse:
    item = request.POST.get("item", "")
    done = request.POST.get("done", "1") == "1"
    if item not in ChecklistItem.values:
        selectors.reentry_in_reach(actor=request_actor(request), referral_id=reentry_id)
        messages.error(request, "Choose an item of the checklist.")
        return _render_reentry(request, reentry_id)
    form = ChecklistForm(request.POST, prefix=item)
    return _reentry_post(
        request,
        reentry_id,
        form,
        "checklist_form",
        lambda actor, plan, data: services.reentry_checklist_tick(
            actor=actor,
            plan=plan,
            item=item,
            done=done,
            done_on=data["done_on"],
            note=data["note"],
        ),
        "The checklist is updated.",
    )


@require_POST
@login_required
def reentry_contact_view(request: HttpRequest, reentry_id: UUID) -> HttpResponse:
    return _reentry_post(
        request,
        reentry_id,
        ContactForm(request.POST),
        "contact_form",
        lambda actor, plan, data: services.reentry_contact_record(
            actor=actor,
            plan=plan,
            occurred_at=data["occurred_at"],
            kind=data["kind"],
            note=data["note"],
        ),
        "The contact is recorded.",
    )


# --- diversion and the court's portal ------------------------------------------------------------


@login_required
def court_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    sent, received = selectors.diversion_list(actor=actor)
    return render(
        request,
        "justice/court.html",
        {"sent": sent, "received": received, "may_send": services.can_send_diversion(actor)},
    )


@login_required
def diversion_detail_view(request: HttpRequest, diversion_id: UUID) -> HttpResponse:
    view = selectors.diversion_get(actor=request_actor(request), referral_id=diversion_id)
    return render(
        request,
        "justice/diversion_detail.html",
        {
            "view": view,
            "agreement": view.agreement,
            "referral": view.agreement.referral,
            "is_recipient": view.side == RECIPIENT,
            "report_every": ReportEvery,
        },
    )


@require_POST
@login_required
def report_send_view(request: HttpRequest, diversion_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    agreement, _side = selectors.diversion_in_reach(actor=actor, referral_id=diversion_id)
    try:
        report = services.progress_report_create(actor=actor, referral=agreement.referral)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, "The report was not sent. " + " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Progress report sent to {report.disclosure.to_organization.name} "
            f"({report.period_start:%b %-d} to {report.period_end:%b %-d, %Y}).",
        )
    return redirect("justice:diversion_detail", diversion_id=diversion_id)


@require_POST
@login_required
def reports_run_view(request: HttpRequest) -> HttpResponse:
    """The RCO asks for every report now due on its referrals (a background task)."""
    actor: Actor = request_actor(request)
    org = participant_organization(
        actor=actor, action=AuditEvent.Action.CREATE, record_type=selectors.REPORT_RECORD
    )
    from rosc.justice.tasks import progress_reports_run

    organization_id = str(org.public_id)
    transaction.on_commit(lambda: progress_reports_run.enqueue(organization_id=organization_id))
    messages.success(
        request,
        "Due progress reports are being prepared; they appear on each referral in a minute.",
    )
    return redirect("justice:court")


@login_required
def report_detail_view(request: HttpRequest, report_id: UUID) -> HttpResponse:
    report, side = selectors.progress_report_get(actor=request_actor(request), report_id=report_id)
    return render(
        request,
        "justice/report_detail.html",
        {"report": report, "referral": report.referral, "c": report.content, "side": side},
    )
