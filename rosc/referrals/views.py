"""Referral pages: thin views over rosc.referrals.services and selectors.

Making a referral (from the person's page), the outbox of the sending organization, the inbox
of the receiving one, a referral's page with the moves the actor's side may make, notes and
enrolment, the staff member's notifications, and the organization's overdue settings.
"""

from datetime import date
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from rosc.accounts.actor import Actor, request_actor
from rosc.accounts.models import Organization
from rosc.accounts.roles import Perm
from rosc.accounts.selectors import organization_for
from rosc.accounts.services import PermissionDenied
from rosc.consent.models import Category, Consent
from rosc.consent.selectors import consent_list_for_participant
from rosc.core.ids import uuid_or_none
from rosc.core.models import AuditEvent
from rosc.directory.models import Service
from rosc.people.models import Participant
from rosc.people.selectors import participant_get, participant_likely_duplicates
from rosc.referrals import selectors, services
from rosc.referrals.forms import (
    EnrolForm,
    MoveForm,
    NoteForm,
    ReferralForm,
    ReferralSettingsForm,
    add_service_errors,
)
from rosc.referrals.models import Referral, ReferralStatus
from rosc.referrals.overdue import overdue_flags, thresholds_of, thresholds_of_recipient
from rosc.referrals.presenters import inbox_rows_html, outbox_rows_html
from rosc.referrals.transitions import RECIPIENT, SENDER, move_for, moves_for

# --- making a referral -------------------------------------------------------------------------

MAX_ORGANIZATIONS_LISTED = 1000


def _consents_in_force(actor: Actor, participant: Participant) -> list[Consent]:
    now = timezone.now()
    consents = consent_list_for_participant(actor=actor, participant_id=participant.public_id)
    return [c for c in consents if c.recipient_organization_id is not None and c.is_in_force(now)]


def _organization_choices(
    participant: Participant, consented: list[Organization], search: str, selected: str
) -> list[tuple[str, Any]]:
    consented_ids = {o.pk for o in consented}
    others = (
        Organization.objects.filter(is_active=True)
        .exclude(pk=participant.organization_id)
        .exclude(pk__in=consented_ids)
    )
    if search:
        others = others.filter(name__icontains=search)
    listed = list(
        others.order_by("name").values_list("public_id", "name")[:MAX_ORGANIZATIONS_LISTED]
    )
    known = {str(pk) for pk, _ in listed} | {str(o.public_id) for o in consented}
    key = uuid_or_none(selected)
    if key is not None and selected not in known:
        extra = (
            Organization.objects.filter(public_id=key, is_active=True)
            .exclude(pk=participant.organization_id)
            .values_list("public_id", "name")
            .first()
        )
        if extra is not None:
            listed.insert(0, extra)
    groups: list[tuple[str, Any]] = []
    if consented:
        groups.append(
            (
                f"With {participant.display_name}'s consent",
                [(str(o.public_id), o.name) for o in consented],
            )
        )
    label = f"Other organizations matching “{search}”" if search else "Other organizations"
    groups.append((label, [(str(pk), name) for pk, name in listed]))
    return groups


def _service_choices(organization_ids: list[UUID]) -> list[tuple[str, Any]]:
    # A directory service names its organization by the organization's public id.
    keys = [str(k) for k in organization_ids]
    rows = (
        Service.objects.filter(organization_id__in=keys, status=Service.Status.ACTIVE)
        .order_by("organization__name", "name")
        .values_list("public_id", "name", "organization__name")[:500]
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    for pk, name, org_name in rows:
        groups.setdefault(org_name, []).append((str(pk), name))
    return list(groups.items())


@login_required
def referral_new(request: HttpRequest, participant_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    participant = participant_get(actor=actor, participant_id=participant_id)
    consents = _consents_in_force(actor, participant)
    consented: list[Organization] = []
    for c in consents:
        org = c.recipient_organization
        if org is not None and org.is_active and org not in consented:
            consented.append(org)
    search = request.GET.get("q", "").strip()[:100]
    selected = (request.POST.get("recipient_organization") or request.GET.get("to") or "").strip()
    service_orgs = [o.public_id for o in consented]
    chosen = uuid_or_none(selected)
    if chosen is not None:
        service_orgs.append(chosen)
    initial = {"recipient_organization": selected} if request.method == "GET" and selected else {}
    if request.method == "GET" and request.GET.get("service"):
        initial["recipient_service"] = request.GET["service"][:64]
    form = ReferralForm(
        request.POST or None,
        initial=initial,
        organization_choices=_organization_choices(participant, consented, search, selected),
        service_choices=_service_choices(service_orgs),
    )
    if request.method == "POST" and form.is_valid():
        send = request.POST.get("action") != "draft"
        try:
            referral = services.referral_create(
                actor=actor, participant=participant, send=send, **form.service_arguments()
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if send:
                messages.success(
                    request, f"Referral sent to {referral.recipient_organization.name}."
                )
            else:
                messages.success(request, "Referral saved as a draft. It is not sent yet.")
            return redirect("referrals:detail", referral_id=referral.public_id)
    return render(
        request,
        "referrals/referral_new.html",
        {
            "participant": participant,
            "form": form,
            "consents": [
                (c, [Category(k).label for k in c.categories if k in Category.values])
                for c in consents
            ],
            "search": search,
            "consent_missing": "categories" in form.errors,
            "consent_link": _consent_link(participant, form),
        },
    )


def _consent_link(participant: Participant, form: ReferralForm) -> str:
    """The consent form, with the terms this referral needs suggested (staff still go through
    each with the person)."""
    url = reverse("consent:new", args=[participant.public_id])
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    recipient = data.get("recipient_organization")
    if recipient is None:
        return url
    # A refused field leaves cleaned_data: what was asked for is in the submitted data.
    posted: Any = form.data
    wanted = [c for c in posted.getlist("categories") if c in Category.values]
    purpose = form.data.get("purpose") or "referral"
    query = {
        "recipient": str(recipient.public_id),
        "purpose": purpose,
        "categories": [*wanted, Category.REFERRAL_DETAILS],
    }
    return f"{url}?{urlencode(query, doseq=True)}"


# --- inbox, outbox -------------------------------------------------------------------------------


def _box(request: HttpRequest, box: str) -> HttpResponse:
    actor = request_actor(request)
    status = request.GET.get("status", "open")[:20]
    overdue_only = request.GET.get("overdue") == "1"
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    if box == "inbox":
        inbox = selectors.referral_inbox_rows(
            actor=actor, status=status, overdue_only=overdue_only, page=page
        )
        found: selectors.ReferralPage[Any] = inbox
        rows_html = inbox_rows_html(inbox.rows)
    else:
        outbox = selectors.referral_outbox(
            actor=actor, status=status, overdue_only=overdue_only, page=page
        )
        found, rows_html = outbox, outbox_rows_html(outbox.rows)
    return render(
        request,
        "referrals/referral_box.html",
        {
            "box": found,
            "rows_html": rows_html,
            "statuses": selectors.STATUS_FILTERS.items(),
            "can_settings": actor.can(Perm.STAFF_MANAGE),
        },
    )


@login_required
def referral_inbox(request: HttpRequest) -> HttpResponse:
    return _box(request, "inbox")


@login_required
def referral_sent(request: HttpRequest) -> HttpResponse:
    return _box(request, "sent")


# --- one referral ------------------------------------------------------------------------------

SHARED_ORDER = (
    Category.IDENTITY_CONTACT,
    Category.ENGAGEMENT,
    Category.RECOVERY_PLAN,
    Category.ASSESSMENTS,
    Category.REFERRAL_DETAILS,
)


def _shared_sections(referral: Referral) -> list[dict[str, Any]]:
    return [
        {"key": key, "title": Category(key).label, "data": referral.shared[key]}
        for key in SHARED_ORDER
        if key in referral.shared
    ]


def _can_enrol(referral: Referral, side: str) -> bool:
    identity = referral.shared.get(Category.IDENTITY_CONTACT) or {}
    return (
        side == RECIPIENT
        and referral.recipient_participant_id is None
        and referral.status in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)
        and bool(identity.get("first_name") and identity.get("last_name"))
    )


def _render_detail(
    request: HttpRequest,
    referral: Referral,
    side: str,
    *,
    bound_move: MoveForm | None = None,
    note_form: NoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    move_forms = []
    for move in moves_for(referral.status, side):
        if bound_move is not None and bound_move.move.to == move.to:
            move_forms.append(bound_move)
        else:
            move_forms.append(MoveForm(move=move))
    terms = selectors.referral_sharing_terms(referral, side)
    flags = overdue_flags(referral, thresholds_of_recipient(referral), timezone.now())
    can_note = referral.status in (
        ReferralStatus.REQUESTED,
        ReferralStatus.ACCEPTED,
        ReferralStatus.IN_PROGRESS,
        ReferralStatus.ON_HOLD,
    )
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "side": side,
            "is_sender": side == SENDER,
            "is_recipient": side == RECIPIENT,
            "sections": _shared_sections(referral),
            "events": selectors.referral_events(referral),
            "move_forms": move_forms,
            "note_form": note_form or NoteForm(),
            "can_note": can_note,
            "can_enrol": _can_enrol(referral, side),
            "terms": terms,
            "flags": flags,
        },
        status=status,
    )


@login_required
def referral_detail(request: HttpRequest, referral_id: str) -> HttpResponse:
    actor = request_actor(request)
    referral, side = selectors.referral_get(actor=actor, referral_id=referral_id)
    if side == RECIPIENT and referral.opened_at is None:
        opened = services.referral_open(actor=actor, referral=referral)
        referral.opened_at, referral.opened_by = opened.opened_at, opened.opened_by
    services.notifications_mark_read(actor=actor, referral=referral)
    return _render_detail(request, referral, side)


def _reread(actor: Actor, referral_id: str) -> tuple[Referral, str]:
    """The referral again, after a write (audited as a view: the page shows it)."""
    return selectors.referral_get(actor=actor, referral_id=referral_id)


@login_required
@require_POST
def referral_move(request: HttpRequest, referral_id: str) -> HttpResponse:
    actor = request_actor(request)
    referral, side = selectors.referral_in_reach(
        actor=actor, referral_id=referral_id, action=AuditEvent.Action.UPDATE
    )
    to_status = request.POST.get("to_status", "")[:30]
    move = move_for(referral.status, to_status, side)
    if move is None:
        messages.error(
            request,
            f"That change is not possible: the referral is “{referral.get_status_display()}” "
            "and only the moves shown on its page can be made from your side.",
        )
        return redirect("referrals:detail", referral_id=referral.public_id)
    form = MoveForm(request.POST, move=move)
    if form.is_valid():
        try:
            referral = services.referral_transition(
                actor=actor,
                referral=referral,
                to_status=to_status,
                reason=form.cleaned_data.get("reason", ""),
                text=form.cleaned_data.get("text", ""),
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The referral is now “{referral.get_status_display()}”.")
            return redirect("referrals:detail", referral_id=referral.public_id)
    referral, side = _reread(actor, referral_id)
    return _render_detail(request, referral, side, bound_move=form)


@login_required
@require_POST
def referral_note(request: HttpRequest, referral_id: str) -> HttpResponse:
    actor = request_actor(request)
    referral, side = selectors.referral_in_reach(
        actor=actor, referral_id=referral_id, action=AuditEvent.Action.UPDATE
    )
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.referral_note_add(
                actor=actor, referral=referral, text=form.cleaned_data.get("text", "")
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Note added. The other organization will see it.")
            return redirect("referrals:detail", referral_id=referral.public_id)
    referral, side = _reread(actor, referral_id)
    return _render_detail(request, referral, side, note_form=form)


@login_required
@require_POST
def referral_enrol(request: HttpRequest, referral_id: str) -> HttpResponse:
    actor = request_actor(request)
    referral, side = selectors.referral_in_reach(
        actor=actor, referral_id=referral_id, action=AuditEvent.Action.CREATE
    )
    if side != RECIPIENT:
        messages.error(
            request, "Only the organization the person was referred to can enrol them from here."
        )
        return redirect("referrals:detail", referral_id=referral.public_id)
    form = EnrolForm(request.POST)
    form.is_valid()
    try:
        participant = services.referral_enrol_person(
            actor=actor,
            referral=referral,
            confirmed_not_duplicate=bool(form.cleaned_data.get("confirmed_not_duplicate")),
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        if "confirmed_not_duplicate" not in exc.message_dict:
            messages.error(request, " ".join(exc.messages))
            return redirect("referrals:detail", referral_id=referral.public_id)
        add_service_errors(form, exc)
        form.ask_about_duplicates()
        identity = referral.shared.get(Category.IDENTITY_CONTACT) or {}
        born = identity.get("date_of_birth") or ""
        duplicates = participant_likely_duplicates(
            actor=actor,
            first_name=identity.get("first_name", ""),
            last_name=identity.get("last_name", ""),
            date_of_birth=date.fromisoformat(born) if born else None,
        )
        return render(
            request,
            "referrals/referral_enrol.html",
            {"referral": referral, "form": form, "duplicates": duplicates, "identity": identity},
        )
    messages.success(
        request, f"{participant.display_name} is enrolled in {participant.organization.name}."
    )
    return redirect("care:participant", participant_id=participant.public_id)


# --- notifications, settings -------------------------------------------------------------------


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    found = selectors.notification_list(actor=actor, page=page)
    unread = [n.pk for n in found.items if n.read_at is None]
    # Shown as new this once; read from now on.
    services.notifications_mark_read(actor=actor, notification_ids=unread)
    return render(
        request,
        "referrals/notification_list.html",
        {
            "notifications": found,
            "new_ids": set(unread),
            "can_settings": actor.can(Perm.STAFF_MANAGE),
        },
    )


@login_required
def referral_settings(request: HttpRequest, org_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    org = organization_for(
        actor=actor,
        organization_id=org_id,
        perm=Perm.STAFF_MANAGE,
        action=AuditEvent.Action.UPDATE,
        record_type="referrals.referralsettings",
    )
    rules = thresholds_of(org)
    form = ReferralSettingsForm(
        request.POST or None,
        initial={
            "open_within_business_days": rules.open_days,
            "respond_within_business_days": rules.respond_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_settings_set(
                actor=actor,
                open_within_business_days=form.cleaned_data.get("open_within_business_days"),
                respond_within_business_days=form.cleaned_data.get("respond_within_business_days"),
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Referral settings saved.")
            return redirect("referrals:settings", org_id=org_id)
    return render(
        request, "referrals/referral_settings.html", {"org": org, "form": form, "org_id": org_id}
    )
