"""Staff API: who am I, and my organization's staff. Same selectors as the pages."""

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import HttpBearer

from rosc.accounts import selectors
from rosc.accounts.actor import Actor, client_ip
from rosc.accounts.models import Membership
from rosc.accounts.services import api_token_authenticate

router = Router(tags=["accounts"])


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`: act as the key's owner in the key's organization and role."""

    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        found = api_token_authenticate(token)
        if found is None:
            return None
        membership = found.membership
        request.user = membership.user
        request.actor = Actor(  # type: ignore[attr-defined]
            user=membership.user,
            membership=membership,
            memberships=(membership,),
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            extra={"api_token": str(found.public_id)},
        )
        return found


api_token_auth = ApiTokenAuth()


class MembershipOut(Schema):
    id: UUID
    organization_id: UUID
    organization_name: str
    role: str
    role_label: str
    title: str
    is_active: bool


class MeOut(Schema):
    id: UUID
    username: str
    display_name: str
    active_membership: MembershipOut | None
    memberships: list[MembershipOut]


class StaffOut(Schema):
    id: UUID
    user_id: UUID
    display_name: str
    email: str
    role: str
    role_label: str
    title: str
    is_active: bool
    created_at: datetime


def _membership_out(m: Membership) -> MembershipOut:
    return MembershipOut(
        id=m.public_id,
        organization_id=m.organization.public_id,
        organization_name=m.organization.name,
        role=m.role,
        role_label=m.get_role_display(),
        title=m.title,
        is_active=m.is_active,
    )


def _staff_out(m: Membership) -> StaffOut:
    return StaffOut(
        id=m.public_id,
        user_id=m.user.public_id,
        display_name=m.user.display_name,
        email=m.user.email,
        role=m.role,
        role_label=m.get_role_display(),
        title=m.title,
        is_active=m.is_active,
        created_at=m.created_at,
    )


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


@router.get("/me", response=MeOut, summary="The signed-in user and their organizations")
def me(request: HttpRequest) -> MeOut:
    actor = _actor(request)
    return MeOut(
        id=actor.user.public_id,
        username=actor.user.username,
        display_name=actor.user.display_name,
        active_membership=_membership_out(actor.membership) if actor.membership else None,
        memberships=[_membership_out(m) for m in actor.memberships],
    )


@router.get("/orgs/{org_id}/staff", response=list[StaffOut], summary="The organization's staff")
def staff_list(request: HttpRequest, org_id: UUID) -> list[StaffOut]:
    rows = selectors.membership_list(actor=_actor(request), organization_id=org_id)
    return [_staff_out(m) for m in rows]


@router.get("/orgs/{org_id}/staff/{membership_id}", response=StaffOut, summary="One staff member")
def staff_get(request: HttpRequest, org_id: UUID, membership_id: UUID) -> StaffOut:
    m = selectors.membership_get(
        actor=_actor(request), organization_id=org_id, membership_id=membership_id
    )
    return _staff_out(m)
