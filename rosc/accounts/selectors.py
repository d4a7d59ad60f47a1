"""Every read of organization-private data. Each takes the acting user; default deny.

A record of another organization, a record that does not exist, and a record the actor's role
may not see all raise the same Http404, and every such attempt is written to the audit trail.
"""

from datetime import date
from uuid import UUID

from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from rosc.accounts.actor import Actor
from rosc.accounts.models import ApiToken, Membership, Organization, User
from rosc.accounts.roles import Perm, role_requires_second_factor
from rosc.core.audit import audit_record
from rosc.core.ids import uuid_or_none
from rosc.core.models import AuditEvent


def user_requires_second_factor(user: User) -> bool:
    roles = Membership.objects.active().filter(user=user).values_list("role", flat=True)
    return user.is_superuser or any(role_requires_second_factor(r) for r in roles)


def user_has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def deny(
    actor: Actor,
    *,
    action: str,
    record_type: str,
    record_id: str,
    record_organization_id: UUID | None = None,
) -> Http404:
    """Record a refused attempt (committed on its own) and give the 404 to raise."""
    audit_record(
        actor=actor,
        action=action,
        record_type=record_type,
        record_id=record_id,
        record_organization_id=record_organization_id,
        outcome=AuditEvent.Outcome.DENIED,
    )
    return Http404("Not found")


def record_or_deny[R: Model](
    actor: Actor,
    *,
    rows: QuerySet[R],
    record_id: UUID | str,
    action: str,
    record_type: str,
    record_organization_id: UUID | None = None,
    allowed: bool = True,
) -> R:
    """One record of `rows` (already scoped to what the actor may reach) by its public id.

    A malformed or unknown id, a record outside `rows`, and `allowed=False` all write the same
    "denied" event and raise the same Http404.
    """
    key = uuid_or_none(record_id)
    record = rows.filter(public_id=key).first() if key else None
    if record is None or not allowed:
        raise deny(
            actor,
            action=action,
            record_type=record_type,
            record_id=str(record_id)[:64],
            record_organization_id=record_organization_id,
        )
    return record


def organization_for(
    *, actor: Actor, organization_id: UUID, perm: str, action: str, record_type: str
) -> Organization:
    """The actor's active organization, when it is the one asked for and the role allows `perm`."""
    org = actor.organization
    if org is None or org.public_id != organization_id or not actor.can(perm):
        raise deny(
            actor,
            action=action,
            record_type=record_type,
            record_id=str(organization_id),
            record_organization_id=organization_id,
        )
    return org


def membership_list(*, actor: Actor, organization_id: UUID) -> list[Membership]:
    org = organization_for(
        actor=actor,
        organization_id=organization_id,
        perm=Perm.STAFF_VIEW,
        action=AuditEvent.Action.LIST,
        record_type="accounts.membership",
    )
    with transaction.atomic():
        rows = list(
            Membership.objects.filter(organization=org)
            .select_related("user", "organization")
            .order_by("-is_active", "user__last_name", "user__first_name")
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.LIST,
            record_type="accounts.membership",
            record_label=f"Staff of {org.name}",
            record_organization_id=org.public_id,
            detail={"count": len(rows)},
        )
    return rows


def membership_get(*, actor: Actor, organization_id: UUID, membership_id: UUID) -> Membership:
    membership = (
        Membership.objects.select_related("user", "organization")
        .filter(public_id=membership_id)
        .first()
    )
    org = actor.organization
    if (
        membership is None
        or org is None
        or membership.organization_id != org.pk
        or org.public_id != organization_id
        or not actor.can(Perm.STAFF_VIEW)
    ):
        raise deny(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type="accounts.membership",
            record_id=str(membership_id),
            record_organization_id=membership.organization.public_id if membership else None,
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=membership,
        record_organization_id=org.public_id,
        subject=membership.user,
    )
    return membership


def membership_to_switch_to(*, actor: Actor, membership_id: str) -> Membership:
    """One of the actor's own active memberships; asking for any other is refused and audited."""
    chosen = next((m for m in actor.memberships if str(m.public_id) == membership_id), None)
    if chosen is None:
        try:
            owner = (
                Membership.objects.filter(public_id=UUID(membership_id))
                .values_list("organization__public_id", flat=True)
                .first()
            )
        except ValueError:
            owner = None
        raise deny(
            actor,
            action=AuditEvent.Action.SWITCH,
            record_type="accounts.membership",
            record_id=membership_id[:64],
            record_organization_id=owner,
        )
    return chosen


def audit_event_list(
    *,
    actor: Actor,
    organization_id: UUID,
    username: str = "",
    action: str = "",
    outcome: str = "",
    since: date | None = None,
    until: date | None = None,
    purpose: str = AuditEvent.Action.LIST,
) -> QuerySet[AuditEvent]:
    """The organization's trail: what its people did, and what anyone tried on its records."""
    org = organization_for(
        actor=actor,
        organization_id=organization_id,
        perm=Perm.AUDIT_VIEW,
        action=purpose,
        record_type="core.auditevent",
    )
    events = AuditEvent.objects.filter(
        Q(organization_id=org.public_id) | Q(record_organization_id=org.public_id)
    )
    if username:
        events = events.filter(username__iexact=username)
    if action:
        events = events.filter(action=action)
    if outcome:
        events = events.filter(outcome=outcome)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    audit_record(
        actor=actor,
        action=purpose,
        record_type="core.auditevent",
        record_label=f"Audit trail of {org.name}",
        record_organization_id=org.public_id,
        detail={
            k: str(v)
            for k, v in {
                "username": username,
                "action": action,
                "outcome": outcome,
                "since": since,
                "until": until,
            }.items()
            if v
        },
    )
    return events


def audit_event_get(*, actor: Actor, organization_id: UUID, event_id: UUID) -> AuditEvent:
    org = actor.organization
    event = AuditEvent.objects.filter(public_id=event_id).first()
    visible = (
        event is not None
        and org is not None
        and org.public_id == organization_id
        and actor.can(Perm.AUDIT_VIEW)
        and org.public_id in (event.organization_id, event.record_organization_id)
    )
    if not visible or event is None:
        raise deny(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type="core.auditevent",
            record_id=str(event_id),
            record_organization_id=event.organization_id if event else None,
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=event,
        record_organization_id=organization_id,
    )
    return event


def api_token_list(*, actor: Actor) -> list[ApiToken]:
    """The actor's own API keys, in every organization (never anyone else's)."""
    return list(
        ApiToken.objects.filter(membership__user=actor.user).select_related(
            "membership__organization"
        )
    )
