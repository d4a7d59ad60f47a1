"""Thin views: a peer's caseload, a supervisor's team view, and a person's page.

The person's page gathers every case-work section (consents, check-ins, plan, contacts,
follow-ups); each app renders its own section from its own selector.
"""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rosc.accounts.actor import request_actor
from rosc.accounts.roles import Perm
from rosc.assessments import selectors as assessments
from rosc.care import presenters, selectors
from rosc.consent import selectors as consent
from rosc.core.audit import audit_batch
from rosc.encounters import selectors as encounters
from rosc.followups import selectors as followups
from rosc.people.models import LifeDomain, RecoveryPathway
from rosc.people.selectors import participant_get
from rosc.plans import selectors as plans
from rosc.referrals import selectors as referrals

SECTIONS = (consent, followups, encounters, assessments, plans, referrals)


@login_required
def caseload_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    caseload = selectors.caseload_for(actor=actor)
    return render(
        request,
        "care/caseload.html",
        {
            "caseload": caseload,
            "perms_team": actor.can(Perm.TEAM_VIEW),
            **presenters.caseload_lists(caseload),
        },
    )


@login_required
def team_view(request: HttpRequest) -> HttpResponse:
    team = selectors.team_for(actor=request_actor(request))
    return render(request, "care/team.html", {"team": team})


@login_required
def participant_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    # The person, their consents, check-ins and plan are each read and audited; the four events
    # are written together (one INSERT) before the page is rendered.
    with audit_batch():
        # The follow-ups section shows the primary peer: read with the person, not after.
        participant = participant_get(
            actor=actor, participant_id=participant_id, related=("primary_peer",)
        )
        context: dict[str, object] = {
            "participant": participant,
            "pathway_labels": [
                RecoveryPathway(p).label
                for p in participant.recovery_pathways
                if p in RecoveryPathway.values
            ],
            "need_labels": [
                LifeDomain(d).label for d in participant.intake_needs if d in LifeDomain.values
            ],
        }
        for section in SECTIONS:
            context.update(section.participant_section(actor=actor, participant=participant))
    return render(request, "care/participant.html", context)
