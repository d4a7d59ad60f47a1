"""Self-assessment pages: thin views over rosc.fidelity.services and selectors."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rosc.accounts.actor import request_actor
from rosc.accounts.roles import Perm
from rosc.accounts.services import PermissionDenied
from rosc.core.models import AuditEvent
from rosc.fidelity import selectors, services
from rosc.fidelity.charts import column_chart
from rosc.fidelity.forms import (
    CouncilAssessmentForm,
    RcoAssessmentForm,
    ReviewForm,
    add_service_errors,
    rco_initial,
)
from rosc.fidelity.models import AssessmentStatus
from rosc.fidelity.standards import MAX_ELEMENT_SCORE, MAX_TOTAL, RCO_STANDARDS, ROSC_ELEMENTS

# --- an RCO's own self-assessments -----------------------------------------------------------


@login_required
def rco_list(request: HttpRequest, org_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    org, assessments = selectors.rco_assessment_list(actor=actor, organization_id=org_id)
    open_one = next(
        (a for a in assessments if a.status != AssessmentStatus.ACCEPTED),
        None,
    )
    return render(
        request,
        "fidelity/rco_list.html",
        {
            "org": org,
            "assessments": assessments,
            "eligible": services.assesses_rco_standards(org),
            "can_edit": actor.can(Perm.FIDELITY_EDIT),
            "open_one": open_one,
            "standard_count": len(RCO_STANDARDS),
            "standards": RCO_STANDARDS,
        },
    )


@login_required
@require_POST
def rco_start(request: HttpRequest, org_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    org = selectors.rco_organization(
        actor=actor,
        organization_id=org_id,
        perm=Perm.FIDELITY_EDIT,
        action=AuditEvent.Action.CREATE,
    )
    try:
        assessment = services.rco_assessment_start(actor=actor, organization=org)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("fidelity:rco_list", org_id=org.public_id)
    messages.success(request, "A new self-assessment was started from your latest answers.")
    return redirect(
        "fidelity:rco_edit", org_id=org.public_id, rco_assessment_id=assessment.public_id
    )


@login_required
def rco_detail(request: HttpRequest, org_id: UUID, rco_assessment_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    assessment = selectors.rco_assessment_get(
        actor=actor, organization_id=org_id, assessment_id=rco_assessment_id
    )
    previous = selectors.rco_assessment_previous(assessment)
    return render(
        request,
        "fidelity/rco_detail.html",
        {
            "org": assessment.organization,
            "assessment": assessment,
            "previous": previous,
            "rows": selectors.rco_compare(assessment, previous),
            "reviews": list(assessment.reviews.select_related("reviewed_by")),
            "can_edit": actor.can(Perm.FIDELITY_EDIT) and assessment.is_editable,
        },
    )


@login_required
def rco_edit(request: HttpRequest, org_id: UUID, rco_assessment_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    assessment = selectors.rco_assessment_get(
        actor=actor,
        organization_id=org_id,
        assessment_id=rco_assessment_id,
        perm=Perm.FIDELITY_EDIT,
    )
    org = assessment.organization
    form = RcoAssessmentForm(
        request.POST if request.method == "POST" and assessment.is_editable else None,
        initial=rco_initial(assessment.answers.all()),
    )
    if request.method == "POST" and assessment.is_editable and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.rco_assessment_save(
                actor=actor, assessment=assessment, answers=form.answers(), submit=submit
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if submit:
                messages.success(request, "Submitted. The network will review it.")
                return redirect(
                    "fidelity:rco_detail",
                    org_id=org.public_id,
                    rco_assessment_id=assessment.public_id,
                )
            messages.success(request, "Draft saved.")
            return redirect(
                "fidelity:rco_edit", org_id=org.public_id, rco_assessment_id=assessment.public_id
            )
    return render(
        request,
        "fidelity/rco_edit.html",
        {
            "org": org,
            "assessment": assessment,
            "form": form,
            "rows": form.rows(),
            "last_review": assessment.reviews.select_related("reviewed_by").first(),
        },
    )


# --- the network's review --------------------------------------------------------------------


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    queue = selectors.review_queue(actor=actor)
    return render(request, "fidelity/review_queue.html", {"queue": queue})


@login_required
def review_detail(request: HttpRequest, rco_assessment_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    assessment = selectors.rco_assessment_for_review(actor=actor, assessment_id=rco_assessment_id)
    previous = selectors.rco_assessment_previous(assessment)
    waiting = assessment.status == AssessmentStatus.SUBMITTED
    form = ReviewForm(request.POST if request.method == "POST" and waiting else None)
    if request.method == "POST" and waiting and form.is_valid():
        try:
            services.rco_assessment_review(
                actor=actor,
                assessment=assessment,
                decision=form.cleaned_data["decision"],
                comments=form.cleaned_data["comments"],
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Review of {assessment.organization.name} saved.")
            return redirect("fidelity:review_queue")
    return render(
        request,
        "fidelity/review_detail.html",
        {
            "org": assessment.organization,
            "assessment": assessment,
            "previous": previous,
            "rows": selectors.rco_compare(assessment, previous),
            "reviews": list(assessment.reviews.select_related("reviewed_by")),
            "form": form,
            "waiting": waiting,
        },
    )


# --- council ROSC self-assessments -----------------------------------------------------------


@login_required
def council_list(request: HttpRequest, org_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    org, histories = selectors.council_histories(actor=actor, organization_id=org_id)
    charts = [
        (
            history,
            column_chart(
                [(f"{a.assessed_on:%b %Y}", a.total) for a in history.assessments[-8:]],
                MAX_TOTAL,
            ),
        )
        for history in histories
    ]
    return render(
        request,
        "fidelity/council_list.html",
        {"org": org, "charts": charts, "max_total": MAX_TOTAL, "max_score": MAX_ELEMENT_SCORE},
    )


@login_required
def council_new(request: HttpRequest, org_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    org = selectors.council_organization(
        actor=actor, organization_id=org_id, action=AuditEvent.Action.CREATE
    )
    councils = selectors.councils_hosted(org)
    first = councils.filter(slug=request.GET.get("council", "")).first() or councils.first()
    form = CouncilAssessmentForm(
        request.POST or None,
        councils=councils,
        initial={
            "council": first.slug if first else None,
            "assessed_on": services.council_today(first) if first else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.council_assessment_record(
                actor=actor,
                council=form.cleaned_data["council"],
                assessed_on=form.cleaned_data["assessed_on"],
                scores=form.scores(),
                notes=form.cleaned_data["notes"],
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Self-assessment saved.")
            return redirect(
                "fidelity:council_detail",
                org_id=org.public_id,
                council_assessment_id=assessment.public_id,
            )
    return render(
        request,
        "fidelity/council_new.html",
        {"org": org, "form": form, "rows": form.rows(), "has_councils": first is not None},
    )


@login_required
def council_detail(request: HttpRequest, org_id: UUID, council_assessment_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    assessment = selectors.council_assessment_get(
        actor=actor, organization_id=org_id, assessment_id=council_assessment_id
    )
    previous = selectors.council_assessment_previous(assessment)
    now = {s.element: s for s in assessment.scores.all()}
    before = {s.element: s.score for s in previous.scores.all()} if previous else {}
    rows = [(number, title, now.get(number), before.get(number)) for number, title in ROSC_ELEMENTS]
    return render(
        request,
        "fidelity/council_detail.html",
        {
            "org_id": org_id,
            "assessment": assessment,
            "council": assessment.council,
            "previous": previous,
            "rows": rows,
            "max_total": MAX_TOTAL,
            "max_score": MAX_ELEMENT_SCORE,
        },
    )


@login_required
def network_councils(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    overview = selectors.network_council_overview(actor=actor)
    return render(
        request,
        "fidelity/network_councils.html",
        {"overview": overview, "max_total": MAX_TOTAL, "max_score": MAX_ELEMENT_SCORE},
    )
