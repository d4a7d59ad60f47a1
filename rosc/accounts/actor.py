"""The Actor of a request: who acts, for which organization, in which role. Resolved once."""

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpRequest

from rosc.accounts.models import Membership, Organization, User
from rosc.accounts.roles import role_has_perm

ACTIVE_MEMBERSHIP_SESSION_KEY = "rosc_active_membership"


@dataclass(frozen=True)
class Actor:
    user: User
    membership: Membership | None
    memberships: tuple[Membership, ...] = ()
    ip: str | None = None
    user_agent: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def organization(self) -> Organization | None:
        return self.membership.organization if self.membership else None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    def can(self, perm: str) -> bool:
        return role_has_perm(self.role, perm)

    def audit_fields(self) -> dict[str, Any]:
        org = self.organization
        return {
            "user_id": self.user.pk,
            "username": self.user.username,
            "role": self.role or "",
            "organization_id": org.public_id if org else None,
            "organization_name": org.name if org else "",
            "ip": self.ip,
            "user_agent": self.user_agent[:300],
        }


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _memberships_of(user: User) -> tuple[Membership, ...]:
    """The signed-in user's active memberships with their organizations, by organization name.

    Every page asks this, so it is written without the join on the user: the session already
    holds an active user (the auth backend refuses inactive ones), which `.active()` checks."""
    return tuple(
        Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
        .select_related("organization")
        .order_by("organization__name", "pk")
    )


def actor_for_request(request: HttpRequest) -> Actor | None:
    """Resolve the acting user, their active membership and role. None when signed out."""
    user = request.user
    if not user.is_authenticated:
        return None
    assert isinstance(user, User)
    memberships = _memberships_of(user)
    wanted = request.session.get(ACTIVE_MEMBERSHIP_SESSION_KEY) or str(user.last_membership_id)
    active = next((m for m in memberships if str(m.public_id) == wanted), None)
    if active is None and memberships:
        active = memberships[0]
    return Actor(
        user=user,
        membership=active,
        memberships=memberships,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


def actor_for_user(user: User, organization: Organization | None = None) -> Actor:
    """An Actor outside a request (commands, tasks, tests)."""
    memberships = tuple(
        Membership.objects.active().filter(user=user).select_related("organization")
    )
    active = next(
        (m for m in memberships if organization is None or m.organization_id == organization.pk),
        None,
    )
    return Actor(user=user, membership=active, memberships=memberships)


def request_actor(request: HttpRequest) -> Actor:
    """The Actor the middleware resolved for this request; signed-out requests get a 404."""
    actor = getattr(request, "actor", None)
    if actor is None:
        raise Http404
    return actor
