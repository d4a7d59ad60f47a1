"""Thin views: parse the request, call a selector or service, render."""

import base64
import csv
from collections.abc import Iterator
from uuid import UUID

import django_otp
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.views.decorators.http import require_POST

from rosc.accounts import selectors, services
from rosc.accounts.actor import (
    ACTIVE_MEMBERSHIP_SESSION_KEY,
    actor_for_request,
    request_actor,
)
from rosc.accounts.forms import (
    AccountForm,
    ApiTokenForm,
    AuditFilterForm,
    InviteForm,
    LoginForm,
    TokenForm,
)
from rosc.accounts.middleware import otp_verified
from rosc.accounts.models import User
from rosc.accounts.roles import Perm
from rosc.core.models import AuditEvent
from rosc.core.qr import qr_data_uri


def _safe_next(request: HttpRequest, fallback: str = "/") -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}, request.is_secure()):
        return nxt
    return fallback


# --- signing in and out ---------------------------------------------------------------------


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.get_user())
        request.actor = actor_for_request(request)  # type: ignore[attr-defined]
        services.session_event(actor=request.actor, action=AuditEvent.Action.LOGIN)  # type: ignore[attr-defined]
        return redirect(_safe_next(request))
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request, "")})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    actor = getattr(request, "actor", None)
    if actor is not None:
        services.session_event(actor=actor, action=AuditEvent.Action.LOGOUT)
    auth_logout(request)
    messages.info(request, "You are signed out.")
    return redirect("accounts:login")


@login_required
def verify_view(request: HttpRequest) -> HttpResponse:
    """Second step of signing in: a code from the user's authenticator app."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = django_otp.match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", "That code did not match. Codes change every 30 seconds.")
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request, "")})


@login_required
def two_factor_view(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the code (or type the key), then confirm a code."""
    user = request.user
    assert isinstance(user, User)
    confirmed = selectors.user_has_confirmed_device(user)
    if confirmed and not otp_verified(user):
        # Replacing a device needs the current one first: a password alone is not enough.
        return redirect("accounts:verify")
    device = services.totp_device_for_enrolment(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = actor_for_request(request)
        assert actor is not None
        if services.totp_device_confirm(
            actor=actor, device=device, token=form.cleaned_data["token"]
        ):
            django_otp.login(request, device)
            messages.success(request, "Your second factor is set up.")
            return redirect("accounts:home")
        form.add_error(
            "token", "That code did not match. Check the time on your phone and try again."
        )
    key = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "qr_data_uri": qr_data_uri(device.config_url),
            "key_groups": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        },
    )


def invite_accept_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/invite_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your password is set. Sign in to continue.")
        return redirect("accounts:login")
    return render(request, "accounts/invite_accept.html", {"form": form, "invitee": user})


# --- home, account, organization switcher ---------------------------------------------------


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    return render(request, "accounts/home.html", {"can_manage_staff": actor.can(Perm.STAFF_MANAGE)})


@login_required
def account_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    user = actor.user
    form = AccountForm(
        request.POST or None,
        initial={"first_name": user.first_name, "last_name": user.last_name, "email": user.email},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)  # each message goes next to its field
        else:
            messages.success(request, "Your details are saved.")
            return redirect("accounts:account")
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "has_second_factor": selectors.user_has_confirmed_device(user),
            "needs_second_factor": selectors.user_requires_second_factor(user),
        },
    )


@require_POST
@login_required
def switch_organization_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    chosen = selectors.membership_to_switch_to(
        actor=actor, membership_id=request.POST.get("membership", "")
    )
    request.session[ACTIVE_MEMBERSHIP_SESSION_KEY] = str(chosen.public_id)
    new_actor = actor_for_request(request)
    assert new_actor is not None
    services.membership_switch(actor=new_actor, membership=chosen)
    messages.info(
        request,
        f"You are now working as {chosen.get_role_display()} at {chosen.organization.name}.",
    )
    return redirect("accounts:home")


# --- staff ----------------------------------------------------------------------------------


@login_required
def staff_list_view(request: HttpRequest, org_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    staff = selectors.membership_list(actor=actor, organization_id=org_id)
    return render(
        request,
        "accounts/staff_list.html",
        {"staff": staff, "can_manage": actor.can(Perm.STAFF_MANAGE)},
    )


@login_required
def staff_detail_view(request: HttpRequest, org_id: UUID, membership_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    membership = selectors.membership_get(
        actor=actor, organization_id=org_id, membership_id=membership_id
    )
    return render(
        request,
        "accounts/staff_detail.html",
        {"member": membership, "can_manage": actor.can(Perm.STAFF_MANAGE)},
    )


@login_required
def staff_invite_view(request: HttpRequest, org_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    org = selectors.organization_for(
        actor=actor,
        organization_id=org_id,
        perm=Perm.STAFF_MANAGE,
        action=AuditEvent.Action.CREATE,
        record_type="accounts.membership",
    )
    form = InviteForm(request.POST or None, roles=services.membership_grantable_roles(org))
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_invite(
                actor=actor,
                base_url=request.build_absolute_uri("/").rstrip("/"),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)  # each message goes next to its field
        else:
            messages.success(request, f"Invitation sent to {membership.user.email}.")
            return redirect("accounts:staff_list", org_id=org_id)
    return render(request, "accounts/staff_invite.html", {"form": form})


@require_POST
@login_required
def staff_deactivate_view(request: HttpRequest, org_id: UUID, membership_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    # Refuse (and audit) a role that may not manage staff before looking the colleague up.
    selectors.organization_for(
        actor=actor,
        organization_id=org_id,
        perm=Perm.STAFF_MANAGE,
        action=AuditEvent.Action.DEACTIVATE,
        record_type="accounts.membership",
    )
    membership = selectors.membership_get(
        actor=actor, organization_id=org_id, membership_id=membership_id
    )
    try:
        services.membership_deactivate(actor=actor, membership=membership)
    except services.PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:staff_detail", org_id=org_id, membership_id=membership_id)
    messages.success(request, f"{membership.user.display_name} is deactivated and signed out.")
    return redirect("accounts:staff_list", org_id=org_id)


# --- audit trail ----------------------------------------------------------------------------


def _audit_events(
    request: HttpRequest, org_id: UUID, purpose: str
) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_event_list(
        actor=request_actor(request),
        organization_id=org_id,
        purpose=purpose,
        **{k: v for k, v in filters.items() if v},
    )
    return form, events


@login_required
def audit_list_view(request: HttpRequest, org_id: UUID) -> HttpResponse:
    form, events = _audit_events(request, org_id, AuditEvent.Action.LIST)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "org_id": org_id},
    )


@login_required
def audit_detail_view(request: HttpRequest, org_id: UUID, event_id: UUID) -> HttpResponse:
    event = selectors.audit_event_get(
        actor=request_actor(request), organization_id=org_id, event_id=event_id
    )
    return render(request, "accounts/audit_detail.html", {"event": event, "org_id": org_id})


AUDIT_EXPORT_COLUMNS = (
    "public_id",
    "at",
    "username",
    "role",
    "organization_name",
    "action",
    "outcome",
    "record_type",
    "record_id",
    "record_label",
    "subject_type",
    "subject_id",
    "ip",
)


def _csv_cell(value: object) -> str:
    """A cell a spreadsheet will not run: text starting like a formula is quoted (CWE-1236)."""
    text = str(value)
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def audit_export_view(request: HttpRequest, org_id: UUID) -> StreamingHttpResponse:
    _form, events = _audit_events(request, org_id, AuditEvent.Action.EXPORT)
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield writer.writerow(AUDIT_EXPORT_COLUMNS)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    event.at.isoformat() if c == "at" else _csv_cell(getattr(event, c) or "")
                    for c in AUDIT_EXPORT_COLUMNS
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{org_id}.csv"'
    return response


@login_required
def api_tokens_view(request: HttpRequest) -> HttpResponse:
    """The signed-in user's API keys: make one (shown once), revoke one."""
    actor = request_actor(request)
    form = ApiTokenForm(request.POST or None)
    new_key = ""
    if request.method == "POST" and "revoke" in request.POST:
        try:
            services.api_token_revoke(actor=actor, token_id=request.POST["revoke"][:64])
        except (services.PermissionDenied, ValidationError) as exc:
            raise Http404 from exc
        messages.success(request, "The key is revoked; it no longer works.")
        return redirect("accounts:api_tokens")
    if request.method == "POST" and form.is_valid():
        try:
            _, new_key = services.api_token_create(actor=actor, name=form.cleaned_data["name"])
        except services.PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "new_key": new_key, "tokens": selectors.api_token_list(actor=actor)},
    )
