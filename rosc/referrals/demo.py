"""Demo referrals: a few dozen referrals between the demo's organizations, in every status.

`build_demo_referrals(seed)` runs after the demo participants (and their plans, check-ins and
contacts) exist. Each referral is made by a peer of the person's organization to a partner
whose demo staff work with people, under a consent the person signed for it (recorded through
rosc.consent.services, so it is audited), with the snapshot of the consented categories the
recipient sees, a history of events and a few unread notifications. Referrals and their
events are written directly (invented history, not work done now): no Disclosure rows, which
are append-only and could never be removed by `rosc demo --reset`. The same seed gives the
same referrals, relative to today.
"""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rosc.accounts.actor import actor_for_user
from rosc.accounts.models import Membership, Organization, User
from rosc.accounts.roles import ROLE_PERMS, Perm
from rosc.consent.models import Category, Purpose, SignatureMethod
from rosc.consent.services import consent_record
from rosc.demo.network import demo_slugs
from rosc.people.demo import PARTNER_KINDS, demo_participant_pks
from rosc.people.models import LifeDomain, Participant
from rosc.referrals.models import (
    CLOSED_STATUSES,
    Notification,
    Referral,
    ReferralEvent,
    ReferralSettings,
    ReferralStatus,
    StatusReason,
    Urgency,
)
from rosc.referrals.snapshot import referral_snapshot

REFERRAL_COUNT = 36
WORKS_WITH_PEOPLE = [r for r, perms in ROLE_PERMS.items() if Perm.PARTICIPANTS_OPEN in perms]
S = ReferralStatus

# Where each referral ends up, in turn: every status appears, the open ones most often.
PATHS: tuple[tuple[str, ...], ...] = (
    (S.REQUESTED,),
    (S.REQUESTED,),
    (S.REQUESTED, "opened"),
    (S.REQUESTED, "opened", S.ACCEPTED),
    (S.REQUESTED, "opened", S.ACCEPTED, S.IN_PROGRESS),
    (S.REQUESTED, "opened", S.ACCEPTED, S.IN_PROGRESS, "note"),
    (S.REQUESTED, "opened", S.ACCEPTED, S.IN_PROGRESS, S.ON_HOLD),
    (S.REQUESTED, "opened", S.ACCEPTED, S.IN_PROGRESS, "note", S.COMPLETED),
    (S.REQUESTED, "opened", S.ACCEPTED, S.COMPLETED),
    (S.REQUESTED, "opened", S.REJECTED),
    (S.REQUESTED, "opened", S.ACCEPTED, S.IN_PROGRESS, S.FAILED),
    (S.REQUESTED, S.CANCELLED),
    (S.REQUESTED, S.ENTERED_IN_ERROR),
    (),  # a draft
)
NOTES_FROM_RECIPIENT = (
    "We spoke on the phone; first appointment is booked for next week.",
    "Met in person and walked through the intake together.",
    "Left a voicemail as agreed; will try again Thursday afternoon.",
)
NOTES_FOR_RECIPIENT = (
    "Prefers afternoon calls. Texting first works well.",
    "Would like someone who speaks Spanish if possible.",
    "Has a bus pass; mornings are hard because of work.",
    "Has been steady in our groups for a few months and is ready for this step.",
    "",
)
TEXTS: dict[str, str] = {
    S.ON_HOLD: "The person asked to pause for two weeks while they move.",
    S.CANCELLED: "The person found a place on their own.",
    S.ENTERED_IN_ERROR: "Sent to the wrong organization.",
}
REASONS: dict[str, str] = {
    S.REJECTED: StatusReason.NO_CAPACITY,
    S.FAILED: StatusReason.COULD_NOT_REACH,
}
NEEDS_BY_KIND: dict[str, str] = {
    Organization.Kind.HOUSING: LifeDomain.HOUSING,
    Organization.Kind.RECOVERY_RESIDENCE: LifeDomain.HOUSING,
    Organization.Kind.EMPLOYMENT: LifeDomain.EMPLOYMENT_EDUCATION,
    Organization.Kind.TRANSPORTATION: LifeDomain.TRANSPORTATION,
    Organization.Kind.LEGAL_AID: LifeDomain.LEGAL,
    Organization.Kind.TREATMENT: LifeDomain.HEALTH,
    Organization.Kind.HOSPITAL: LifeDomain.HEALTH,
    Organization.Kind.HARM_REDUCTION: LifeDomain.RECOVERY_WELLNESS,
}
SHARED: list[str] = [
    Category.IDENTITY_CONTACT,
    Category.ENGAGEMENT,
    Category.RECOVERY_PLAN,
    Category.REFERRAL_DETAILS,
]


def _staff_by_org() -> dict[int, list[User]]:
    """Demo staff who work with people, per organization, in a stable order."""
    staff: dict[int, list[User]] = {}
    for m in (
        Membership.objects.active()
        .filter(user__is_demo=True, role__in=WORKS_WITH_PEOPLE)
        .select_related("user")
        .order_by("organization_id", "role", "user__username")
    ):
        staff.setdefault(m.organization_id, []).append(m.user)
    return staff


def _by(user: User | None) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


def _step_event(
    step: str,
    *,
    before: str,
    at: datetime,
    sides: dict[str, tuple[User, Organization]],
    text: str = "",
) -> ReferralEvent:
    """One event of an invented history: a status change, the opening, or a note."""
    by_sender = step in (S.REQUESTED, S.CANCELLED, S.ENTERED_IN_ERROR)
    user, org = sides["sender"] if by_sender else sides["recipient"]
    if step in ("opened", "note"):
        return ReferralEvent(
            kind=step,
            side="recipient",
            by_user=user,
            by_name=_by(user),
            by_organization=org,
            text=text,
            at=at,
        )
    return ReferralEvent(
        kind=ReferralEvent.Kind.STATUS,
        side="sender" if by_sender else "recipient",
        by_user=user,
        by_name=_by(user),
        by_organization=org,
        from_status=before,
        to_status=step,
        reason=REASONS.get(step, ""),
        text=TEXTS.get(step, ""),
        at=at,
    )


def _apply(referral: Referral, step: str, before: str, user: User, at: datetime) -> None:
    """What a step does to the referral itself (as referral_transition / referral_open do)."""
    if step == "opened":
        referral.opened_at, referral.opened_by = at, user
        return
    if step == "note":
        return
    if step == S.REQUESTED:
        referral.sent_at = at
    if before == S.REQUESTED and step in (S.ACCEPTED, S.REJECTED):
        referral.responded_at = at
    if step == S.ACCEPTED:
        referral.assigned_to = user
    referral.status = step
    referral.status_reason = REASONS.get(step, "")
    referral.status_reason_text = TEXTS.get(step, "")
    referral.status_changed_at = at
    referral.closed_at = at if step in CLOSED_STATUSES else None


def _notice(referral: Referral, last: ReferralEvent, staff: dict[int, list[User]]) -> Notification:
    """The unread notice the other side of the last step would have."""
    to_sender = last.side == "recipient"
    if last.kind == ReferralEvent.Kind.OPENED:
        what = "opened"
    elif last.kind == ReferralEvent.Kind.NOTE:
        what = "a new progress note"
    else:
        what = referral.get_status_display()
    sender_name = referral.sender_organization.name if referral.sender_organization else ""
    user = (
        referral.sender_user
        if to_sender
        else referral.assigned_to or staff[referral.recipient_organization_id][0]
    )
    assert user is not None
    return Notification(
        user=user,
        organization=(
            referral.sender_organization if to_sender else referral.recipient_organization
        ),
        referral=referral,
        message=(
            f"Referral for {referral.get_need_display().lower()} from {sender_name} to "
            f"{referral.recipient_organization.name}: {what}."
        ),
        created_at=last.at,
        emailed_at=last.at,
    )


@transaction.atomic
def build_demo_referrals(seed: int, count: int = REFERRAL_COUNT) -> list[Referral]:
    """About three dozen referrals from the demo's recovery organizations to their partners."""
    rng = random.Random(f"referrals:{seed}")
    staff = _staff_by_org()
    partners = [
        o
        for o in Organization.objects.filter(
            slug__in=demo_slugs(), kind__in=NEEDS_BY_KIND, is_active=True
        ).order_by("slug")
        if o.pk in staff
    ]
    people = [
        p
        for p in Participant.objects.filter(pk__in=demo_participant_pks())
        .exclude(organization__kind__in=PARTNER_KINDS)
        .select_related("organization", "enrolled_by")
        .order_by("pk")
        if p.enrolled_by is not None and p.organization_id in staff
    ]
    if not partners or not people:
        return []
    now = timezone.now()
    made: list[tuple[Referral, list[ReferralEvent]]] = []
    for i, person in enumerate(rng.sample(people, min(count, len(people)))):
        sender_user = person.enrolled_by
        assert sender_user is not None
        partner = rng.choice(partners)
        recipient_user = staff[partner.pk][0]
        path = PATHS[i % len(PATHS)]
        zone = ZoneInfo(person.organization.time_zone)
        # Sent between an hour and three weeks ago, never before the person was enrolled.
        sent_at = now - timedelta(days=rng.choice((0, 0, 1, 3, 8, 20)), hours=1 + i % 20)
        sent_at = max(sent_at, datetime.combine(person.enrolled_on, time(9), tzinfo=zone))
        sent_at = min(sent_at, now - timedelta(minutes=30))
        consent = consent_record(
            actor=actor_for_user(sender_user, person.organization),
            participant=person,
            recipient_organization=partner,
            purpose=Purpose.REFERRAL,
            categories=SHARED,
            expires_on=timezone.localdate() + timedelta(days=rng.randint(90, 365)),
            right_to_revoke_acknowledged=True,
            signature_name=person.legal_name,
            signature_confirmed=True,
            signature_method=SignatureMethod.IN_PERSON,
            signed_at=sent_at - timedelta(minutes=20),
        )
        need = NEEDS_BY_KIND[partner.kind]
        urgency = rng.choice([Urgency.ROUTINE, Urgency.ROUTINE, Urgency.SOON, Urgency.URGENT])
        note = rng.choice(NOTES_FOR_RECIPIENT)
        referral = Referral(
            sender_organization=person.organization,
            sender_user=sender_user,
            participant=person,
            recipient_organization=partner,
            need=need,
            urgency=urgency,
            note_for_recipient=note,
            purpose=Purpose.REFERRAL,
            categories=SHARED,
            status=S.DRAFT,
            created_at=sent_at - timedelta(minutes=10),
            status_changed_at=sent_at - timedelta(minutes=10),
        )
        if path:
            referral.consent = consent
            referral.is_part2_source = consent.is_part2_source
            details = {
                "need": LifeDomain(need).label,
                "urgency": Urgency(urgency).label,
                "note": note,
                "service": "",
                "kind": "Referral",
            }
            referral.shared = referral_snapshot(person, SHARED, details)
        sides = {
            "sender": (sender_user, person.organization),
            "recipient": (recipient_user, partner),
        }
        history = [_step_event(S.DRAFT, before="", at=referral.created_at, sides=sides)]
        at, status = sent_at, str(S.DRAFT)
        for step in path:
            text = rng.choice(NOTES_FROM_RECIPIENT) if step == "note" else ""
            event = _step_event(step, before=status, at=at, text=text, sides=sides)
            history.append(event)
            _apply(referral, step, status, recipient_user, at)
            status = referral.status
            at = min(at + timedelta(hours=rng.randint(2, 40)), now - timedelta(minutes=5))
        made.append((referral, history))

    Referral.objects.bulk_create([r for r, _ in made])
    events, notices = [], []
    for referral, history in made:
        for event in history:
            event.referral = referral
            events.append(event)
        if referral.status != S.DRAFT and rng.random() < 0.5:
            notices.append(_notice(referral, history[-1], staff))
    ReferralEvent.objects.bulk_create(events)
    Notification.objects.bulk_create(notices)
    # One partner takes a little longer to answer, and says so.
    ReferralSettings.objects.update_or_create(
        organization=partners[0],
        defaults={"open_within_business_days": 2, "respond_within_business_days": 5},
    )
    return [r for r, _ in made]


def clear_demo_referrals() -> None:
    """Remove every referral touching the demo (their events and notifications go with them),
    before the participants and consents they name are removed."""
    demo_orgs = list(
        Organization.objects.filter(slug__in=demo_slugs()).values_list("pk", flat=True)
    )
    pks = demo_participant_pks()
    touching = Q(sender_organization_id__in=demo_orgs) | Q(recipient_organization_id__in=demo_orgs)
    touching |= Q(participant_id__in=pks) | Q(recipient_participant_id__in=pks)
    Notification.objects.filter(organization_id__in=demo_orgs).delete()
    Referral.objects.filter(touching).delete()
    ReferralSettings.objects.filter(organization_id__in=demo_orgs).delete()
