"""Every write to organizations, users, memberships and second factors."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django_otp.plugins.otp_totp.models import TOTPDevice

from rosc.accounts.actor import Actor
from rosc.accounts.models import ApiToken, Membership, Organization, User
from rosc.accounts.roles import Perm, Role
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent


class PermissionDenied(Exception):
    """The actor may not make this change (views answer 404, like a missing record)."""


def organization_free_slug(text: str) -> str:
    """A slug from `text` that no organization has yet (-2, -3 … appended when needed)."""
    base = slugify(text)[:190] or "organization"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def organization_create(
    *,
    name: str,
    kind: str,
    slug: str = "",
    email: str = "",
    url: str = "",
    description: str = "",
    time_zone: str = "",
) -> Organization:
    return Organization.objects.create(
        name=name,
        slug=organization_free_slug(slug or name),
        kind=kind,
        email=email,
        url=url,
        description=description,
        time_zone=time_zone or settings.TIME_ZONE,
    )


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    is_superuser: bool = False,
    is_demo: bool = False,
) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "That username is taken."})
    if email and User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Another account already uses this e-mail."})
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_superuser=is_superuser,
        is_staff=is_superuser,
        is_demo=is_demo,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def membership_create(
    *,
    user: User,
    organization: Organization,
    role: str,
    title: str = "",
    invited_by: User | None = None,
) -> Membership:
    return Membership.objects.create(
        user=user, organization=organization, role=role, title=title, invited_by=invited_by
    )


def invite_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:invite_accept", kwargs={"uidb64": uid, "token": token})


def membership_grantable_roles(organization: Organization) -> list[tuple[str, str]]:
    """Roles an organization's admin may give. Network-wide roles belong to the state office."""
    network_wide = {Role.NETWORK_ADMIN}
    if organization.kind == Organization.Kind.STATE_OFFICE:
        network_wide = set()
    return [(value, label) for value, label in Role.choices if value not in network_wide]


@transaction.atomic
def membership_invite(
    *,
    actor: Actor,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    title: str = "",
    base_url: str = "",
) -> Membership:
    """An organization admin invites a colleague; they set a password from the e-mailed link."""
    org = actor.organization
    if org is None or not actor.can(Perm.STAFF_MANAGE):
        raise PermissionDenied
    if role not in dict(membership_grantable_roles(org)):
        raise ValidationError({"role": "This organization cannot give that role."})
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        base = slugify(email.split("@")[0]).replace("-", ".") or "user"
        username, n = base, 1
        while User.objects.filter(username__iexact=username).exists():
            n += 1
            username = f"{base}{n}"
        user = user_create(
            username=username,
            email=email,
            password=None,
            first_name=first_name,
            last_name=last_name,
        )
    existing = Membership.objects.filter(user=user, organization=org).first()
    if existing is not None and existing.is_active:
        raise ValidationError({"email": "This person is already on your staff."})
    if existing is not None:
        existing.is_active, existing.role, existing.title = True, role, title
        existing.deactivated_at = None
        existing.save(update_fields=["is_active", "role", "title", "deactivated_at", "updated_at"])
        membership = existing
    else:
        membership = membership_create(
            user=user, organization=org, role=role, title=title, invited_by=actor.user
        )
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    link = f"{base_url}{invite_link(user)}" if not user.has_usable_password() else base_url + "/"
    send_mail(
        subject=f"You are invited to ROSC Hub by {org.name}",
        message=(
            f"{actor.user.display_name} has added you to {org.name} on ROSC Hub as "
            f"{membership.get_role_display()}.\n\n"
            f"Open this link to choose your password and sign in:\n{link}\n"
        ),
        from_email=None,
        recipient_list=[email],
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=membership,
        record_organization_id=org.public_id,
        subject=user,
        detail={"role": role},
    )
    return membership


@transaction.atomic
def membership_deactivate(*, actor: Actor, membership: Membership) -> Membership:
    """End a colleague's access to this organization, and end every session they have."""
    org = actor.organization
    if org is None or not actor.can(Perm.STAFF_MANAGE) or membership.organization_id != org.pk:
        raise PermissionDenied
    if membership.user_id == actor.user.pk:
        raise ValidationError("You cannot deactivate yourself; ask another admin.")
    membership.is_active = False
    membership.deactivated_at = timezone.now()
    membership.save(update_fields=["is_active", "deactivated_at", "updated_at"])
    user = membership.user
    user.session_version += 1
    if not Membership.objects.active().filter(user=user).exists():
        user.is_active = False
    user.save(update_fields=["session_version", "is_active"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DEACTIVATE,
        record=membership,
        record_organization_id=org.public_id,
        subject=user,
    )
    return membership


def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device, made when first asked for."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, actor: Actor, device: TOTPDevice, token: str) -> bool:
    """Confirm a new device with a code from it; the user's older devices are removed."""
    if not device.verify_token(token.strip().replace(" ", "")):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=actor, action=AuditEvent.Action.ENROL_2FA, record=device.user)
    return True


@transaction.atomic
def user_update_profile(*, actor: Actor, first_name: str, last_name: str, email: str) -> User:
    user = actor.user
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": "Another account already uses this e-mail."})
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.save(update_fields=["first_name", "last_name", "email"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, record=user, subject=user)
    return user


@transaction.atomic
def membership_switch(*, actor: Actor, membership: Membership) -> Membership:
    """Work as another of one's own memberships; remembered for the next sign-in too."""
    if membership not in actor.memberships:
        raise PermissionDenied
    actor.user.last_membership_id = membership.public_id
    actor.user.save(update_fields=["last_membership_id"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SWITCH,
        record=membership,
        record_organization_id=membership.organization.public_id,
        subject=actor.user,
    )
    return membership


def session_event(*, actor: Actor, action: str, detail: dict[str, str] | None = None) -> None:
    """Sign-in and sign-out go in the trail too."""
    audit_record(actor=actor, action=action, record=actor.user, subject=actor.user, detail=detail)


API_TOKEN_DAYS = 365


def api_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """A new API key acting as the actor in their active organization. Returns the key once."""
    if actor.membership is None:
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Name the tool or script that will use this key."})
    key = "rosc_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        membership=actor.membership,
        name=name[:100],
        key_hash=api_key_hash(key),
        key_prefix=key[5:13],
        expires_at=timezone.now() + timedelta(days=API_TOKEN_DAYS),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=token,
        record_organization_id=actor.membership.organization.public_id,
        subject=actor.user,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Actor, token_id: str) -> ApiToken:
    """Revoke one of the actor's own keys; anyone else's answers PermissionDenied."""
    token = (
        ApiToken.objects.select_for_update()
        .select_related("membership__organization")
        .filter(public_id=token_id, membership__user=actor.user)
        .first()
    )
    if token is None:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            record=token,
            record_organization_id=token.membership.organization.public_id,
            subject=actor.user,
            detail={"revoked": True},
        )
    return token


def api_token_authenticate(key: str) -> ApiToken | None:
    """The live token for this key (its membership, user and organization active), or None."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("membership__user", "membership__organization")
        .filter(
            key_hash=api_key_hash(key),
            revoked_at__isnull=True,
            expires_at__gt=now,
            membership__in=Membership.objects.active(),
        )
        .first()
    )
    if token is None:
        return None
    # Write the last use at most once a minute: a sync tool may call many times a second.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
