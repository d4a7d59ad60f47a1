"""The caseload: a peer's own people and what is due, and a supervisor's view of the team.

Built from each case-work app's unaudited building blocks; the access decision and the audit
event are made here, once per page.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.models import Membership, Organization, User
from rosc.accounts.roles import Perm, role_has_perm
from rosc.accounts.selectors import deny
from rosc.assessments.selectors import checkins_due
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.encounters.models import Encounter
from rosc.encounters.selectors import (
    contact_counts_by_staff,
    last_contact_by_participant,
    recent_encounters,
)
from rosc.followups.models import FollowUpState
from rosc.followups.selectors import FollowUpItem, followups_in_window
from rosc.people.models import Participant, ParticipantStatus
from rosc.people.selectors import participant_organization
from rosc.plans.models import PlanVersion
from rosc.plans.selectors import plans_awaiting_review

CASELOAD = "care.caseload"
TEAM = "care.team"


@dataclass
class CaseloadRow:
    participant: Participant
    last_contact: datetime | None
    checkin_due: date | None


@dataclass
class Caseload:
    rows: list[CaseloadRow]
    checkins_due: list[CaseloadRow]
    followups: list[FollowUpItem]
    recent: list[Encounter]
    on: date


def caseload_for(*, actor: Actor, on: date | None = None) -> Caseload:
    """The actor's own people (they are the primary peer), what is due, their recent contacts."""
    org = participant_organization(actor=actor, action=AuditEvent.Action.LIST, record_type=CASELOAD)
    on = on or timezone.localdate()
    people = list(
        Participant.objects.filter(
            organization=org, primary_peer=actor.user, status=ParticipantStatus.ACTIVE
        )
        # The five columns the page shows (not the whole 30-column record), the organization
        # is the one in hand.
        .only(
            "public_id", "organization_id", "legal_first_name", "legal_last_name", "preferred_name"
        )
        .order_by("legal_last_name", "legal_first_name")
    )
    for p in people:
        p.organization = org
    ids = [p.pk for p in people]
    last = last_contact_by_participant(organization=org, participant_ids=ids)
    due = checkins_due(organization=org, on=on, participant_ids=ids)
    rows = [CaseloadRow(p, last.get(p.pk), due.get(p.pk)) for p in people]
    with transaction.atomic():
        caseload = Caseload(
            rows=rows,
            checkins_due=sorted(
                (r for r in rows if r.checkin_due is not None),
                key=lambda r: (r.checkin_due or on, r.participant.legal_last_name),
            ),
            followups=followups_in_window(organization=org, on=on, participant_ids=ids),
            recent=recent_encounters(organization=org, staff_user=actor.user, limit=8),
            on=on,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.LIST,
            record_type=CASELOAD,
            record_label=f"Caseload of {actor.user.display_name}",
            record_organization_id=org.public_id,
            detail={"count": len(rows)},
        )
    return caseload


@dataclass
class PeerWorkload:
    user: User | None  # None: people with no primary peer
    people: int = 0
    contacts_30_days: int = 0
    checkins_due: int = 0
    followups_open: int = 0
    followups_overdue: int = 0


@dataclass
class Team:
    organization: Organization
    peers: list[PeerWorkload]
    awaiting_review: list[PlanVersion]
    followups: list[FollowUpItem] = field(default_factory=list)
    on: date = field(default_factory=timezone.localdate)


def team_for(*, actor: Actor, on: date | None = None) -> Team:
    """A supervisor's view: each peer's caseload and workload, and plans waiting for review."""
    org = actor.organization
    if org is None or not actor.can(Perm.TEAM_VIEW):
        raise deny(
            actor,
            action=AuditEvent.Action.LIST,
            record_type=TEAM,
            record_id="",
            record_organization_id=org.public_id if org else None,
        )
    on = on or timezone.localdate()
    staff = {
        m.user_id: m.user
        for m in Membership.objects.active().filter(organization=org).select_related("user")
        if role_has_perm(m.role, Perm.PARTICIPANTS_OPEN)
    }
    by_peer: dict[int | None, PeerWorkload] = {pk: PeerWorkload(user) for pk, user in staff.items()}

    def row(pk: int | None) -> PeerWorkload:
        if pk not in by_peer:
            by_peer[pk] = PeerWorkload(None if pk is None else staff.get(pk))
        return by_peer[pk]

    active = Participant.objects.filter(organization=org, status=ParticipantStatus.ACTIVE)
    peer_of = dict(active.values_list("pk", "primary_peer_id"))
    for peer_pk, n in (
        active.order_by()
        .values("primary_peer_id")
        .annotate(n=Count("id"))
        .values_list("primary_peer_id", "n")
    ):
        row(peer_pk).people = n
    for user_pk, n in contact_counts_by_staff(
        organization=org, since=timezone.now() - timedelta(days=30)
    ).items():
        if user_pk in by_peer:
            row(user_pk).contacts_30_days = n
    for participant_pk in checkins_due(organization=org, on=on):
        row(peer_of.get(participant_pk)).checkins_due += 1
    followups = followups_in_window(organization=org, on=on)
    for item in followups:
        workload = row(peer_of.get(item.participant.pk))
        if item.state == FollowUpState.OVERDUE:
            workload.followups_overdue += 1
        else:
            workload.followups_open += 1
    with transaction.atomic():
        team = Team(
            organization=org,
            peers=sorted(
                by_peer.values(),
                key=lambda w: (w.user is None, w.user.display_name if w.user else ""),
            ),
            awaiting_review=plans_awaiting_review(organization=org),
            followups=followups,
            on=on,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.LIST,
            record_type=TEAM,
            record_label=f"Team caseload of {org.name}",
            record_organization_id=org.public_id,
            detail={"peers": len(team.peers), "awaiting_review": len(team.awaiting_review)},
        )
    return team
