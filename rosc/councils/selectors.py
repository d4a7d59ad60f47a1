"""Reads of councils. Rosters and meeting records are read through a gate that takes the actor.

The coordinator of a council (COUNCIL_MANAGE in the host organization) reads and edits it; a
network administrator (NETWORK_VIEW) reads every council. Everyone else gets the same 404 as for
a council that does not exist, and the attempt is in the audit trail. The public pages read only
what is public: councils, their counties, schedules and published minutes.
"""

import hashlib
from datetime import datetime, timedelta
from uuid import UUID

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.roles import Perm
from rosc.accounts.selectors import deny, record_or_deny
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.councils.models import (
    ActionItem,
    Council,
    CouncilMember,
    MeetingSeries,
    MinutesStatus,
    Occurrence,
)
from rosc.councils.recurrence import Meeting, meetings_between


def may_manage(actor: Actor, council: Council) -> bool:
    org = actor.organization
    return org is not None and council.host_id == org.pk and actor.can(Perm.COUNCIL_MANAGE)


def may_read(actor: Actor, council: Council) -> bool:
    return may_manage(actor, council) or actor.can(Perm.NETWORK_VIEW)


def managed_councils(*, actor: Actor) -> list[Council]:
    """The councils the actor coordinates (all councils for a network administrator)."""
    org = actor.organization
    if actor.can(Perm.NETWORK_VIEW):
        return list(Council.objects.select_related("host"))
    if org is None or not actor.can(Perm.COUNCIL_MANAGE):
        return []
    return list(Council.objects.filter(host=org).select_related("host"))


def council_get(*, actor: Actor, council_id: UUID, manage: bool, action: str) -> Council:
    """The council, if the actor may read it (manage=False) or run it (manage=True)."""
    council = Council.objects.select_related("host").filter(public_id=council_id).first()
    allowed = council is not None and (
        may_manage(actor, council) if manage else may_read(actor, council)
    )
    if council is None or not allowed:
        raise deny(
            actor,
            action=action,
            record_type="councils.council",
            record_id=str(council_id),
            record_organization_id=council.host.public_id if council else None,
        )
    return council


def roster(*, actor: Actor, council: Council) -> list[CouncilMember]:
    """The council's roster (names and e-mails: an audited read)."""
    if not may_read(actor, council):
        raise Http404("Not found")
    with transaction.atomic():
        rows = list(
            council.members.select_related("organization", "user").order_by("council_role", "name")
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.LIST,
            record_type="councils.councilmember",
            record_label=f"Roster of {council.name}",
            record_organization_id=council.host.public_id,
            detail={"count": len(rows), "council": str(council.public_id)},
        )
    return rows


def member_get(*, actor: Actor, council: Council, member_id: UUID) -> CouncilMember:
    member = record_or_deny(
        actor,
        rows=council.members.select_related("organization"),
        record_id=member_id,
        action=AuditEvent.Action.VIEW,
        record_type="councils.councilmember",
        record_organization_id=council.host.public_id,
        allowed=may_manage(actor, council),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=member,
        record_organization_id=council.host.public_id,
    )
    return member


def series_get(*, actor: Actor, council: Council, series_id: UUID) -> MeetingSeries:
    return record_or_deny(
        actor,
        rows=council.series.all(),
        record_id=series_id,
        action=AuditEvent.Action.VIEW,
        record_type="councils.meetingseries",
        record_organization_id=council.host.public_id,
        allowed=may_manage(actor, council),
    )


def occurrence_get(*, actor: Actor, council: Council, meeting_id: UUID, manage: bool) -> Occurrence:
    occurrence = record_or_deny(
        actor,
        rows=Occurrence.objects.select_related("series__council__host").filter(
            series__council=council
        ),
        record_id=meeting_id,
        action=AuditEvent.Action.VIEW,
        record_type="councils.occurrence",
        record_organization_id=council.host.public_id,
        allowed=may_manage(actor, council) if manage else may_read(actor, council),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=occurrence,
        record_organization_id=council.host.public_id,
    )
    return occurrence


def open_actions_before(occurrence: Occurrence) -> list[ActionItem]:
    """Open action items of the council's earlier meetings: carried to this one."""
    return list(
        ActionItem.objects.filter(
            occurrence__series__council=occurrence.series.council,
            done_on__isnull=True,
        )
        .exclude(occurrence=occurrence)
        .select_related("owner", "occurrence__series__council")
        .order_by("due_on", "created_at")
    )


# --- public reads --------------------------------------------------------------------------


def _series_prefetch() -> Prefetch:
    return Prefetch(
        "series",
        queryset=MeetingSeries.objects.select_related("council").prefetch_related("occurrences"),
    )


def public_councils() -> QuerySet[Council]:
    return Council.objects.select_related("host").prefetch_related("counties", _series_prefetch())


def public_council(slug: str) -> Council:
    council = public_councils().filter(slug=slug).first()
    if council is None:
        raise Http404("Not found")
    return council


def all_series() -> QuerySet[MeetingSeries]:
    return MeetingSeries.objects.select_related("council").prefetch_related("occurrences")


def upcoming_meetings(
    council: Council, *, limit: int = 12, since: datetime | None = None
) -> list[Meeting]:
    """The council's next dates ("save the dates"), cancelled ones included and marked."""
    start = since or timezone.now()
    found: list[Meeting] = []
    for years in (1, 3):
        found = meetings_between(council.series.all(), start, start + timedelta(days=366 * years))
        if len(found) >= limit:
            break
    return found[:limit]


def next_meeting(council: Council) -> Meeting | None:
    start = timezone.now()
    for days in (120, 800):
        found = meetings_between(
            council.series.all(), start, start + timedelta(days=days), include_cancelled=False
        )
        if found:
            return found[0]
    return None


def published_minutes(council: Council) -> list[Occurrence]:
    """Only published minutes are public; the latest meeting first. Their action items go
    without their owners: the roster is not public (a member may be there as a person in
    recovery), so neither is who took on what; the council's own pages show it."""
    rows = (
        Occurrence.objects.filter(series__council=council, minutes_status=MinutesStatus.PUBLISHED)
        .select_related("series__council")
        .prefetch_related("actions")
    )
    return sorted(rows, key=lambda o: o.start_local, reverse=True)


def member_by_feed_token(token: str) -> CouncilMember:
    if not token or len(token) > 100:
        raise Http404("Not found")
    digest = hashlib.sha256(token.encode()).hexdigest()
    member = CouncilMember.objects.select_related("council").filter(feed_token_hash=digest).first()
    if member is None:
        raise Http404("Not found")
    return member
