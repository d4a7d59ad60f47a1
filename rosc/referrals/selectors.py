"""Reads of referrals, through the gate: only the two sides see a referral; others get 404."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.db.models.fields.json import KT
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization, User
from rosc.accounts.roles import Perm
from rosc.accounts.selectors import deny
from rosc.consent.models import Category, Consent, Disclosure
from rosc.consent.notices import REDISCLOSURE_NOTICE
from rosc.consent.services import consent_covers
from rosc.core.audit import audit_record
from rosc.core.ids import uuid_or_none
from rosc.core.models import AuditEvent
from rosc.people.models import Participant
from rosc.referrals.models import (
    CLOSED_STATUSES,
    NAME_NOT_SHARED,
    OPEN_STATUSES,
    Notification,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from rosc.referrals.overdue import (
    Thresholds,
    overdue_cutoff,
    overdue_flags,
    thresholds_of,
    thresholds_of_recipient,
)
from rosc.referrals.services import referral_side

RECORD_TYPE = "referrals.referral"


def referral_in_reach(
    *, actor: Actor, referral_id: UUID | str, action: str = AuditEvent.Action.VIEW
) -> tuple[Referral, str]:
    """The referral and the actor's side of it (sender or recipient); a denied event and
    Http404 otherwise. Writes no "ok" event: the caller records the read it makes."""
    key = uuid_or_none(referral_id)
    referral: Referral | None = None
    if key is not None:
        found = Referral.objects.select_related(
            "sender_organization",
            "sender_user",
            "recipient_organization",
            "recipient_service",
            "participant",
            "assigned_to",
            "consent",
        ).filter(public_id=key)
        # public_id is unique: no ORDER BY (.first() would add one, to compile and to sort).
        referral = next(iter(found.order_by()[:1]), None)
    side = referral_side(actor, referral) if referral is not None else None
    if referral is None or side is None:
        raise deny(
            actor,
            action=action,
            record_type=RECORD_TYPE,
            record_id=str(referral_id)[:64],
        )
    # A draft is the sender's alone.
    if side == "recipient" and referral.status == "draft":
        raise deny(actor, action=action, record_type=RECORD_TYPE, record_id=str(referral_id)[:64])
    return referral, side


def referral_get(*, actor: Actor, referral_id: UUID | str) -> tuple[Referral, str]:
    """Open one referral (audited)."""
    referral, side = referral_in_reach(actor=actor, referral_id=referral_id)
    org = referral.sender_organization or referral.recipient_organization
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=referral,
        record_organization_id=org.public_id,
        subject=referral.participant if side == "sender" else None,
    )
    return referral, side


# --- inbox and outbox ------------------------------------------------------------------------

PAGE_SIZE = 50
STATUS_FILTERS: dict[str, str] = {
    "open": "Open",
    "closed": "Closed",
    "all": "All",
    **{s.value: s.label for s in ReferralStatus if s != ReferralStatus.DRAFT},
}
LIST_RECORD_TYPE = "referrals.referral_list"


@dataclass
class ReferralRow:
    referral: Referral
    flags: list[str]


@dataclass(slots=True)
class InboxRow:
    """One row of the inbox page: the columns it shows, read as values (no model instances;
    not the `shared` snapshot, only the name in it, read in SQL)."""

    public_id: UUID
    source: str
    need: str
    urgency: str
    status: str
    sent_at: datetime | None
    opened_at: datetime | None
    sender_organization_id: int | None
    sender_name: str | None
    service_name: str | None  # None when the referral names no service
    person: str
    flags: list[str] = field(default_factory=list)


@dataclass
class ReferralPage[R: (ReferralRow, InboxRow)]:
    """One page of an inbox or outbox: no total (a COUNT over a large inbox costs more than
    the page), only whether a next page exists."""

    box: str  # "inbox" or "sent"
    organization: Organization
    rows: list[R]
    page: int
    has_next: bool
    status: str
    overdue_only: bool
    drafts: list[Referral] = field(default_factory=list)
    thresholds: Thresholds | None = None

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _status_filter(rows: QuerySet[Referral], status: str) -> QuerySet[Referral]:
    if status == "open":
        return rows.filter(status__in=OPEN_STATUSES)
    if status == "closed":
        return rows.filter(status__in=CLOSED_STATUSES)
    if status == "all":
        return rows.exclude(status=ReferralStatus.DRAFT)
    return rows.filter(status=status)


def _box_organization(actor: Actor, box: str) -> Organization:
    org = actor.organization
    if org is None or not actor.can(Perm.PARTICIPANTS_OPEN):
        raise deny(
            actor,
            action=AuditEvent.Action.LIST,
            record_type=LIST_RECORD_TYPE,
            record_id=box,
            record_organization_id=org.public_id if org else None,
        )
    return org


def _audit_list(actor: Actor, org: Organization, box: str, page: ReferralPage[Any]) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.LIST,
        record_type=LIST_RECORD_TYPE,
        record_label=f"Referrals {'to' if box == 'inbox' else 'from'} {org.name}",
        record_organization_id=org.public_id,
        detail={
            "box": box,
            "status": page.status,
            "overdue_only": page.overdue_only,
            "page": page.page,
            "count": len(page.rows),
        },
    )


def _clean(status: str, page: int) -> tuple[str, int]:
    status = status if status in STATUS_FILTERS else "open"
    return status, max(1, min(int(page or 1), 100_000))


def _inbox_query(
    actor: Actor, status: str, overdue_only: bool, page: int
) -> tuple[Organization, Thresholds, datetime, str, int, QuerySet[Referral]]:
    """The inbox's organization, its rules, now, the cleaned status and page, and the rows
    (unordered, unsliced)."""
    org = _box_organization(actor, "inbox")
    status, page = _clean(status, page)
    now = timezone.now()
    rules = thresholds_of(org)
    rows = Referral.objects.filter(recipient_organization=org)
    if overdue_only:
        not_opened_before, no_reply_before = rules.cutoffs(now)
        rows = rows.filter(
            Q(opened_at__isnull=True, sent_at__lt=not_opened_before)
            | Q(sent_at__lt=no_reply_before),
            status=ReferralStatus.REQUESTED,
            sent_at__lt=max(not_opened_before, no_reply_before),
        )
        status = ReferralStatus.REQUESTED.value
    else:
        rows = _status_filter(rows, status)
    return org, rules, now, status, page, rows


def referral_inbox(
    *, actor: Actor, status: str = "open", overdue_only: bool = False, page: int = 1
) -> ReferralPage[ReferralRow]:
    """Referrals sent to the actor's organization, newest first, 50 a page (audited LIST).

    Two queries: the organization's overdue rules, then the page on the (recipient, status,
    sent_at) indexes. "Overdue only" is a range on sent_at below a precomputed cutoff.
    """
    org, rules, now, status, page, rows = _inbox_query(actor, status, overdue_only, page)
    start = (page - 1) * PAGE_SIZE
    found = list(
        rows.select_related("sender_organization", "recipient_service").order_by("-sent_at", "-id")[
            start : start + PAGE_SIZE + 1
        ]
    )
    cutoffs = rules.cutoffs(now)
    for r in found:
        r.recipient_organization = org  # every row's: the one in hand, not a query per row
    result = ReferralPage(
        box="inbox",
        organization=org,
        rows=[
            ReferralRow(r, overdue_flags(r, rules, now, cutoffs=cutoffs)) for r in found[:PAGE_SIZE]
        ],
        page=page,
        has_next=len(found) > PAGE_SIZE,
        status=status,
        overdue_only=overdue_only,
        thresholds=rules,
    )
    _audit_list(actor, org, "inbox", result)
    return result


def referral_inbox_rows(
    *, actor: Actor, status: str = "open", overdue_only: bool = False, page: int = 1
) -> ReferralPage[InboxRow]:
    """The inbox page's rows: as referral_inbox (the same rows, the same audited LIST), with
    only the columns the page shows, read as values (InboxRow)."""
    org, rules, now, status, page, rows = _inbox_query(actor, status, overdue_only, page)
    start = (page - 1) * PAGE_SIZE
    found = list(
        rows.order_by("-sent_at", "-id").values_list(
            "public_id",
            "source",
            "need",
            "urgency",
            "status",
            "sent_at",
            "opened_at",
            "sender_organization_id",
            "sender_organization__name",
            "recipient_service__name",
            KT("shared__identity_and_contact__name"),
        )[start : start + PAGE_SIZE + 1]
    )
    cutoffs = rules.cutoffs(now)
    items = []
    for (
        public_id,
        source,
        need,
        urgency,
        row_status,
        sent_at,
        opened_at,
        sender_id,
        sender_name,
        service_name,
        name,
    ) in found[:PAGE_SIZE]:
        item = InboxRow(
            public_id=public_id,
            source=source,
            need=need,
            urgency=urgency,
            status=row_status,
            sent_at=sent_at,
            opened_at=opened_at,
            sender_organization_id=sender_id,
            sender_name=sender_name,
            service_name=service_name,
            person=str(name or NAME_NOT_SHARED),
        )
        item.flags = overdue_flags(item, rules, now, cutoffs=cutoffs)
        items.append(item)
    result = ReferralPage(
        box="inbox",
        organization=org,
        rows=items,
        page=page,
        has_next=len(found) > PAGE_SIZE,
        status=status,
        overdue_only=overdue_only,
        thresholds=rules,
    )
    _audit_list(actor, org, "inbox", result)
    return result


DRAFTS_SHOWN = 20


def referral_outbox(
    *, actor: Actor, status: str = "open", overdue_only: bool = False, page: int = 1
) -> ReferralPage[ReferralRow]:
    """Referrals the actor's organization sent, newest first, 50 a page (audited LIST), with
    its drafts apart. Overdue follows each recipient's own rules (selected with the row)."""
    org = _box_organization(actor, "sent")
    status, page = _clean(status, page)
    now = timezone.now()
    rows = Referral.objects.filter(sender_organization=org).select_related(
        "recipient_organization__referral_settings", "recipient_service", "participant"
    )
    start = (page - 1) * PAGE_SIZE
    if overdue_only:
        # Each recipient has its own rules: narrow on the index to what could be overdue under
        # the shortest rule (a day's slack for time zones), then check each exactly.
        earliest = overdue_cutoff(now, 1, ZoneInfo(org.time_zone)) + timedelta(days=1)
        candidates = rows.filter(status=ReferralStatus.REQUESTED, sent_at__lt=earliest).order_by(
            "-sent_at", "-id"
        )
        matched: list[ReferralRow] = []
        for r in candidates.iterator(chunk_size=500):
            flags = overdue_flags(r, thresholds_of_recipient(r), now)
            if flags:
                matched.append(ReferralRow(r, flags))
                if len(matched) > start + PAGE_SIZE:
                    break
        shown = matched[start:]
        status = ReferralStatus.REQUESTED.value
    else:
        found = list(
            _status_filter(rows, status).order_by("-sent_at", "-id")[start : start + PAGE_SIZE + 1]
        )
        shown = [ReferralRow(r, overdue_flags(r, thresholds_of_recipient(r), now)) for r in found]
    drafts: list[Referral] = []
    if page == 1 and not overdue_only:
        drafts = list(
            rows.filter(status=ReferralStatus.DRAFT).order_by("-created_at")[:DRAFTS_SHOWN]
        )
    result = ReferralPage(
        box="sent",
        organization=org,
        rows=shown[:PAGE_SIZE],
        page=page,
        has_next=len(shown) > PAGE_SIZE,
        status=status,
        overdue_only=overdue_only,
        drafts=drafts,
    )
    _audit_list(actor, org, "sent", result)
    return result


# --- one referral's page -----------------------------------------------------------------------


def referral_events(referral: Referral) -> list[ReferralEvent]:
    """The referral's history, oldest first (one query on the (referral, at) index)."""
    return list(referral.events.select_related("by_organization").order_by("at", "id"))


@dataclass(frozen=True)
class SharingTerms:
    """Under which consent the referral's information was shared, and whether it still is."""

    in_force: bool
    notice: str
    scope: str
    shared_at: datetime | None


def _share_known_rows(consent: Consent, referral: Referral) -> None:
    """Give the consent the person and organizations the referral already holds (the same rows:
    not read again for its scope text or its expiry)."""
    if consent.participant_id == referral.participant_id and referral.participant is not None:
        consent.participant = referral.participant
    sender = referral.sender_organization
    if sender is not None and consent.disclosing_organization_id == sender.pk:
        consent.disclosing_organization = sender
    if consent.recipient_organization_id == referral.recipient_organization_id:
        consent.recipient_organization = referral.recipient_organization


def referral_sharing_terms(referral: Referral, side: str) -> SharingTerms | None:
    """The §2.32 notice and the consent's scope as disclosed to the recipient, and whether a
    consent still covers new information (None when nothing was shared under a consent).

    The recipient is not told the person's name through the scope unless identity was shared.
    """
    consent = referral.consent
    if consent is None or referral.participant is None:
        return None
    _share_known_rows(consent, referral)
    disclosure = (
        Disclosure.objects.filter(
            consent=consent,
            to_organization_id=referral.recipient_organization_id,
            at=referral.sent_at,
        )
        .only("notice_text", "consent_scope", "at")
        .first()
        if referral.sent_at is not None
        else None
    )
    scope = disclosure.consent_scope if disclosure else consent.scope_text()
    if side == "recipient" and Category.IDENTITY_CONTACT not in referral.shared:
        _name, sep, rest = scope.partition(" consented on ")
        scope = f"The person consented on {rest}" if sep else scope
    now = timezone.now()
    # consent_covers finds the newest covering consent; whether there is one at all is known
    # without a query when the referral's own consent covers it.
    in_force = consent.covers(
        participant=referral.participant,
        recipient_id=referral.recipient_organization_id,
        purpose=referral.purpose,
        category=Category.REFERRAL_DETAILS,
        at=now,
    ) or (
        consent_covers(
            participant=referral.participant,
            recipient=referral.recipient_organization,
            purpose=referral.purpose,
            category=Category.REFERRAL_DETAILS,
            at=now,
        )
        is not None
    )
    return SharingTerms(
        in_force=in_force,
        notice=disclosure.notice_text if disclosure else REDISCLOSURE_NOTICE,
        scope=scope,
        shared_at=disclosure.at if disclosure else referral.sent_at,
    )


# --- the person's page -------------------------------------------------------------------------

SECTION_SHOWN = 10


def participant_section(*, actor: Actor, participant: Participant) -> dict[str, Any]:
    """The referrals section of the person's page: referrals made about them (and any that
    brought them to this organization). The page has read and audited the person already."""
    org = actor.organization
    if (
        org is None
        or participant.organization_id != org.pk
        or not actor.can(Perm.PARTICIPANTS_OPEN)
    ):
        raise deny(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type=RECORD_TYPE,
            record_id=str(participant.public_id),
            record_organization_id=participant.organization.public_id,
        )
    now = timezone.now()
    sent = list(
        Referral.objects.filter(participant=participant, sender_organization=org)
        .select_related("recipient_organization__referral_settings", "recipient_service")
        .order_by("-created_at")[:SECTION_SHOWN]
    )
    came_from = list(
        Referral.objects.filter(recipient_participant=participant, recipient_organization=org)
        .select_related("sender_organization")
        .order_by("-created_at")[:3]
    )
    return {
        "referral_rows": [
            ReferralRow(r, overdue_flags(r, thresholds_of_recipient(r), now)) for r in sent
        ],
        "referrals_received": came_from,
    }


# --- notifications -----------------------------------------------------------------------------

NOTIFICATION_RECORD_TYPE = "referrals.notification"
UNREAD_SHOWN_UP_TO = 99


def unread_notification_count(*, user: User, organization: Organization) -> int:
    """How many unread notices the user has in the organization, up to 100 (shown as "99+").

    One query on the (user, read_at) index reading at most 100 ids (on every staff page, so
    a plain LIMITed select rather than the ORM's costlier COUNT over a subquery)."""
    return len(
        Notification.objects.filter(user=user, read_at__isnull=True, organization=organization)
        .order_by()
        .values_list("id", flat=True)[: UNREAD_SHOWN_UP_TO + 1]
    )


@dataclass
class NotificationPage:
    items: list[Notification]
    page: int
    has_next: bool


def notification_list(*, actor: Actor, page: int = 1) -> NotificationPage:
    """The actor's own notices in their active organization, newest first. Notices never name
    the person, so the list itself reads nothing protected."""
    org = actor.organization
    if org is None or not actor.can(Perm.PARTICIPANTS_OPEN):
        raise deny(
            actor,
            action=AuditEvent.Action.LIST,
            record_type=NOTIFICATION_RECORD_TYPE,
            record_id="",
            record_organization_id=org.public_id if org else None,
        )
    page = max(1, min(int(page or 1), 100_000))
    start = (page - 1) * PAGE_SIZE
    found = list(
        Notification.objects.filter(user=actor.user, organization=org)
        .select_related("referral")
        .only("public_id", "message", "created_at", "read_at", "referral__public_id")
        .order_by("-created_at", "-id")[start : start + PAGE_SIZE + 1]
    )
    return NotificationPage(items=found[:PAGE_SIZE], page=page, has_next=len(found) > PAGE_SIZE)
