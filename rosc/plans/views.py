"""Thin views for a participant's recovery plan: the plan, editing it, its versions, a printable
copy for the person, and a supervisor's review."""

import contextlib
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from rosc.accounts.actor import request_actor
from rosc.accounts.roles import Perm
from rosc.accounts.services import PermissionDenied
from rosc.plans import selectors, services
from rosc.plans.forms import ADD_GOAL, ADD_STEP, PlanEditor, ReviewForm
from rosc.plans.models import PlanVersion


def _version_context(version: PlanVersion | None) -> dict[str, object]:
    return {
        "version": version,
        "domains": selectors.goals_by_domain(version),
        "goal_counts": selectors.goal_counts(version),
        "reviews": list(version.reviews.all()) if version is not None else [],
    }


@login_required
def plan_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    read = selectors.plan_current(actor=actor, participant_id=participant_id)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "participant": read.participant,
            "plan": read.plan,
            "can_review": actor.can(Perm.PLANS_REVIEW),
            **_version_context(read.version),
        },
    )


@login_required
def plan_edit_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    read = selectors.plan_current(actor=actor, participant_id=participant_id, purpose="edit")
    participant = read.participant
    conflict: services.PlanConflict | None = None
    newer: PlanVersion | None = None
    changes: list[selectors.Change] = []
    if request.method != "POST":
        editor = PlanEditor.for_version(read.version)
    else:
        editor = PlanEditor.from_post(request.POST)
        if ADD_GOAL in request.POST or ADD_STEP in request.POST:
            editor = editor.unbound_copy()
            if ADD_GOAL in request.POST:
                editor.add_goal()
            else:
                with contextlib.suppress(ValueError):
                    editor.add_step(int(request.POST.get(ADD_STEP, "")))
        elif editor.is_valid():
            try:
                version = services.plan_save(
                    actor=actor, participant=participant, **editor.service_arguments()
                )
            except PermissionDenied as exc:
                raise Http404 from exc
            except services.PlanConflict as exc:
                conflict = exc
                newer, changes = selectors.plan_conflict_changes(
                    actor=actor,
                    participant=participant,
                    base_version=exc.base_version,
                    current_version=exc.current_version,
                )
                # The same input, now based on the newer version: saving again goes on top.
                data = request.POST.copy()
                data["base_version"] = str(exc.current_version or "")
                editor = PlanEditor.from_post(data)
                editor.is_valid()
            except ValidationError as exc:
                editor.add_service_errors(exc.message_dict)
            else:
                messages.success(
                    request,
                    f"The plan is saved (version {version.number}).",
                )
                return redirect("plans:plan", participant_id=participant.public_id)
    return render(
        request,
        "plans/plan_edit.html",
        {
            "participant": participant,
            "plan": read.plan,
            "editor": editor,
            "form": editor.plan_form,
            "error_items": editor.error_items() if editor.plan_form.is_bound else [],
            "conflict": conflict,
            "newer": newer,
            "changes": changes,
        },
    )


@login_required
def plan_versions_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    participant, plan, versions = selectors.plan_version_list(
        actor=request_actor(request), participant_id=participant_id
    )
    return render(
        request,
        "plans/plan_versions.html",
        {"participant": participant, "plan": plan, "versions": versions},
    )


@login_required
def plan_version_view(
    request: HttpRequest, participant_id: UUID, plan_version_id: UUID
) -> HttpResponse:
    actor = request_actor(request)
    read = selectors.plan_version_get(
        actor=actor, participant_id=participant_id, version_id=plan_version_id
    )
    assert read.version is not None
    return render(
        request,
        "plans/plan_version.html",
        {
            "participant": read.participant,
            "plan": read.plan,
            "can_review": actor.can(Perm.PLANS_REVIEW),
            "changes": selectors.version_changes(
                selectors.previous_version(read.version), read.version
            ),
            **_version_context(read.version),
        },
    )


@login_required
def plan_print_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    read = selectors.plan_current(
        actor=request_actor(request), participant_id=participant_id, purpose="print"
    )
    return render(
        request,
        "plans/plan_print.html",
        {"participant": read.participant, "plan": read.plan, **_version_context(read.version)},
    )


@login_required
def plan_review_view(
    request: HttpRequest, participant_id: UUID, plan_version_id: UUID
) -> HttpResponse:
    actor = request_actor(request)
    read = selectors.plan_version_for_review(
        actor=actor, participant_id=participant_id, version_id=plan_version_id
    )
    version = read.version
    assert version is not None
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_review(actor=actor, version=version, comment=form.cleaned_data["comment"])
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Version {version.number} is marked as reviewed.")
            return redirect("plans:plan", participant_id=read.participant.public_id)
    return render(
        request,
        "plans/plan_review.html",
        {
            "participant": read.participant,
            "plan": read.plan,
            "form": form,
            "is_current": read.plan is not None and read.plan.current_version == version.number,
            **_version_context(version),
        },
    )
