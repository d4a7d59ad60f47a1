"""Thin views for a participant's page, their consents and the disclosures made under them.

The participant's page lives here because it shows consents: consent may read people, not the
other way round.
"""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from rosc.accounts.actor import Actor, request_actor
from rosc.accounts.selectors import deny
from rosc.accounts.services import PermissionDenied
from rosc.consent import selectors, services
from rosc.consent.forms import ConsentForm, RevokeForm
from rosc.consent.models import Category, Consent, SignatureMethod
from rosc.consent.notices import CONSENT_STATEMENTS, IRREVOCABILITY_STATEMENT, REDISCLOSURE_NOTICE
from rosc.core.models import AuditEvent
from rosc.people.models import LifeDomain, RecoveryPathway
from rosc.people.selectors import participant_get


def _status(consent: Consent) -> str:
    if consent.revoked_at is not None:
        return "revoked"
    return "active" if consent.is_in_force(timezone.now()) else "expired"


def _category_labels(categories: list[str]) -> list[str]:
    return [Category(c).label if c in Category.values else c for c in categories]


def _consent_of(actor: Actor, participant_id: UUID, consent_id: UUID) -> Consent:
    """The consent, when it is this participant's and the actor may open it; else 404."""
    consent = selectors.consent_get(actor=actor, consent_id=consent_id)
    if consent.participant.public_id != participant_id:
        raise deny(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type=selectors.CONSENT,
            record_id=str(consent_id),
            record_organization_id=consent.disclosing_organization.public_id,
        )
    return consent


@login_required
def participant_detail_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    participant = participant_get(actor=actor, participant_id=participant_id)
    consents = selectors.consent_list_for_participant(actor=actor, participant_id=participant_id)
    return render(
        request,
        "consent/participant_detail.html",
        {
            "participant": participant,
            "consents": [(c, _status(c)) for c in consents],
            "pathway_labels": [
                RecoveryPathway(p).label
                for p in participant.recovery_pathways
                if p in RecoveryPathway.values
            ],
            "need_labels": [
                LifeDomain(d).label for d in participant.intake_needs if d in LifeDomain.values
            ],
        },
    )


@login_required
def consent_new_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    participant = participant_get(actor=actor, participant_id=participant_id)
    form = ConsentForm(request.POST or None, organization=participant.organization)
    if request.method == "POST" and form.is_valid():
        try:
            consent = services.consent_record(
                actor=actor,
                participant=participant,
                signature_method=SignatureMethod.IN_PERSON,
                **form.service_arguments(),
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc)  # each message goes next to its field
        else:
            messages.success(request, f"Consent to share with {consent.recipient_label} recorded.")
            return redirect(
                "consent:detail", participant_id=participant.public_id, consent_id=consent.public_id
            )
    return render(
        request,
        "consent/consent_new.html",
        {
            "participant": participant,
            "form": form,
            "statements": CONSENT_STATEMENTS,
            "irrevocability_statement": IRREVOCABILITY_STATEMENT,
            "notice": REDISCLOSURE_NOTICE,
        },
    )


def _consent_context(consent: Consent) -> dict[str, object]:
    return {
        "participant": consent.participant,
        "consent": consent,
        "status": _status(consent),
        "category_labels": _category_labels(consent.categories),
        "notice": REDISCLOSURE_NOTICE,
    }


@login_required
def consent_detail_view(
    request: HttpRequest, participant_id: UUID, consent_id: UUID
) -> HttpResponse:
    consent = _consent_of(request_actor(request), participant_id, consent_id)
    context = _consent_context(consent)
    context["revoke_form"] = RevokeForm()
    return render(request, "consent/consent_detail.html", context)


@login_required
def consent_print_view(
    request: HttpRequest, participant_id: UUID, consent_id: UUID
) -> HttpResponse:
    consent = _consent_of(request_actor(request), participant_id, consent_id)
    return render(request, "consent/consent_print.html", _consent_context(consent))


@require_POST
@login_required
def consent_revoke_view(
    request: HttpRequest, participant_id: UUID, consent_id: UUID
) -> HttpResponse:
    actor = request_actor(request)
    consent = _consent_of(actor, participant_id, consent_id)
    form = RevokeForm(request.POST)
    form.is_valid()
    try:
        services.consent_revoke(
            actor=actor,
            consent=consent,
            note=form.cleaned_data.get("note", ""),
            irrevocability_event_occurred=form.cleaned_data.get(
                "irrevocability_event_occurred", False
            ),
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The consent is revoked. Nothing more is shared under it.")
    return redirect("consent:detail", participant_id=participant_id, consent_id=consent_id)


@login_required
def disclosure_list_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    participant = participant_get(actor=actor, participant_id=participant_id)
    disclosures = selectors.disclosure_list_for_participant(
        actor=actor, participant_id=participant_id
    )
    return render(
        request,
        "consent/disclosure_list.html",
        {
            "participant": participant,
            "disclosures": [(d, _category_labels(d.categories)) for d in disclosures],
        },
    )
