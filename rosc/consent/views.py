"""Thin views for a person's consents, signing links, and the disclosures made under them.

The person's own page, which lists their consents, is rosc.care's.
"""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from rosc.accounts.actor import request_actor
from rosc.accounts.models import Organization
from rosc.accounts.services import PermissionDenied
from rosc.consent import selectors, services
from rosc.consent.forms import ConsentForm, RevokeForm, SignForm, recipient_choices
from rosc.consent.models import (
    JUSTICE_SYSTEM_KINDS,
    Category,
    Consent,
    Purpose,
    SignatureMethod,
    SigningRequest,
)
from rosc.consent.notices import (
    CONSENT_STATEMENTS,
    IRREVOCABILITY_STATEMENT,
    JUSTICE_CONSENT_EXPLANATION,
    REDISCLOSURE_NOTICE,
)
from rosc.core.qr import qr_data_uri
from rosc.people.selectors import participant_get


def _category_labels(categories: list[str]) -> list[str]:
    return [Category(c).label if c in Category.values else c for c in categories]


@login_required
def consent_new_view(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    participant = participant_get(actor=actor, participant_id=participant_id)
    form = ConsentForm(
        request.POST or None,
        organization=participant.organization,
        initial=_prefilled_terms(request, participant.organization),
    )
    if request.method == "POST" and form.is_valid() and "send_link" in request.POST:
        arguments = form.service_arguments()
        try:
            signing, token = services.signing_request_create(
                actor=actor,
                participant=participant,
                **{field: arguments[field] for field in services.TERM_FIELDS},
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # The token is kept only in this staff member's session: the link is shown to them.
            request.session[_link_key(signing)] = token
            return redirect(
                "consent:signing",
                participant_id=participant.public_id,
                request_id=signing.public_id,
            )
    elif request.method == "POST" and form.is_valid():
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
            "justice_context": _is_justice_context(form),
            "justice_explanation": JUSTICE_CONSENT_EXPLANATION,
        },
    )


def _prefilled_terms(request: HttpRequest, own: Organization) -> dict[str, object]:
    """Terms a link may suggest (?purpose=justice&recipient=<id>&categories=...), such as the
    diversion page's link to the consent a court report needs. Staff still go through each."""
    if request.method != "GET":
        return {}
    initial: dict[str, object] = {}
    if request.GET.get("purpose") in Purpose.values:
        initial["purpose"] = request.GET["purpose"]
    recipient = request.GET.get("recipient", "")
    try:
        if recipient and recipient_choices(own).filter(public_id=recipient).exists():
            initial["recipient_organization"] = recipient
    except ValidationError:
        pass  # not an id: nothing suggested
    categories = [c for c in request.GET.getlist("categories") if c in Category.values]
    if categories:
        initial["categories"] = categories
    return initial


def _is_justice_context(form: ConsentForm) -> bool:
    """Whether the consent being written is for a justice-system program (§2.35 applies)."""
    purpose = form["purpose"].value()
    recipient_id = form["recipient_organization"].value()
    if purpose == Purpose.JUSTICE:
        return True
    if not recipient_id:
        return False
    try:
        return (
            recipient_choices(form.organization)
            .filter(public_id=recipient_id, kind__in=JUSTICE_SYSTEM_KINDS)
            .exists()
        )
    except ValidationError:
        return False


def _consent_context(consent: Consent) -> dict[str, object]:
    return {
        "participant": consent.participant,
        "consent": consent,
        "status": consent.status_at(timezone.now()),
        "category_labels": _category_labels(consent.categories),
        "notice": REDISCLOSURE_NOTICE,
        "justice_explanation": JUSTICE_CONSENT_EXPLANATION,
    }


@login_required
def consent_detail_view(
    request: HttpRequest, participant_id: UUID, consent_id: UUID
) -> HttpResponse:
    consent = selectors.consent_of_participant(
        actor=request_actor(request), participant_id=participant_id, consent_id=consent_id
    )
    context = _consent_context(consent)
    context["revoke_form"] = RevokeForm()
    return render(request, "consent/consent_detail.html", context)


@login_required
def consent_print_view(
    request: HttpRequest, participant_id: UUID, consent_id: UUID
) -> HttpResponse:
    consent = selectors.consent_of_participant(
        actor=request_actor(request), participant_id=participant_id, consent_id=consent_id
    )
    return render(request, "consent/consent_print.html", _consent_context(consent))


@require_POST
@login_required
def consent_revoke_view(
    request: HttpRequest, participant_id: UUID, consent_id: UUID
) -> HttpResponse:
    actor = request_actor(request)
    consent = selectors.consent_of_participant(
        actor=actor, participant_id=participant_id, consent_id=consent_id
    )
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


def _link_key(signing: SigningRequest) -> str:
    return f"consent-signing-link:{signing.public_id}"


@never_cache
@login_required
def signing_request_view(
    request: HttpRequest, participant_id: UUID, request_id: UUID
) -> HttpResponse:
    """Staff see the link to hand over (a QR code to scan) and whether the person has signed."""
    signing = selectors.signing_request_get(
        actor=request_actor(request), participant_id=participant_id, request_id=request_id
    )
    token = request.session.get(_link_key(signing)) if signing.is_open(timezone.now()) else None
    link = request.build_absolute_uri(reverse("consent:sign", args=[token])) if token else ""
    return render(
        request,
        "consent/signing_request.html",
        {
            "participant": signing.participant,
            "signing": signing,
            "is_open": signing.is_open(timezone.now()),
            "link": link,
            "qr_data_uri": qr_data_uri(link) if link else "",
        },
    )


@require_POST
@login_required
def signing_request_cancel_view(
    request: HttpRequest, participant_id: UUID, request_id: UUID
) -> HttpResponse:
    actor = request_actor(request)
    signing = selectors.signing_request_get(
        actor=actor, participant_id=participant_id, request_id=request_id
    )
    try:
        services.signing_request_cancel(actor=actor, request=signing)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        request.session.pop(_link_key(signing), None)
        messages.success(request, "The link is cancelled; it no longer opens the consent.")
    return redirect("consent:signing", participant_id=participant_id, request_id=request_id)


@never_cache
def consent_sign_view(request: HttpRequest, token: str) -> HttpResponse:
    """The person reads and signs the prepared consent on their own device (no account)."""
    signing = services.signing_request_for_token(token)
    if signing is None:
        return render(
            request,
            "consent/sign_closed.html",
            {"message": services.LINK_NO_LONGER_WORKS},
            status=404,
        )
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent = services.consent_sign_by_link(token=token, **form.cleaned_data)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return render(
                    request, "consent/sign_closed.html", {"message": exc.messages[0]}, status=404
                )
            form.add_error(None, exc)
        else:
            return render(request, "consent/sign_done.html", {"consent": consent})
    terms = services.signing_request_terms(signing)
    preview = Consent(
        participant=signing.participant,
        disclosing_organization=signing.organization,
        **terms,
    )
    irrevocable = bool(preview.irrevocable_until or preview.irrevocable_until_event)
    return render(
        request,
        "consent/sign.html",
        {
            "form": form,
            "consent": preview,
            "category_labels": _category_labels(preview.categories),
            "statements": CONSENT_STATEMENTS,
            "irrevocability_statement": IRREVOCABILITY_STATEMENT if irrevocable else "",
            "notice": REDISCLOSURE_NOTICE,
            "justice_explanation": JUSTICE_CONSENT_EXPLANATION,
        },
    )
