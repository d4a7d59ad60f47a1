"""Telling the other side of a referral that something changed: in the app, then by e-mail.

A notice goes to the named person on that side (the sender, or whoever took the referral on)
when there is one, else to every active member of that organization who works with people.
E-mails are sent by a background task after the transaction commits, and never carry the
person's name or anything shared: only that there is news, and a link.
"""

from django.db import transaction

from rosc.accounts.models import Membership, Organization, User
from rosc.accounts.roles import ROLE_PERMS, Perm
from rosc.referrals.models import Notification, Referral

WORKS_WITH_PEOPLE = [r for r, perms in ROLE_PERMS.items() if Perm.PARTICIPANTS_OPEN in perms]


def _recipients(organization: Organization, named: User | None) -> list[User]:
    if named is not None and named.is_active:
        member = Membership.objects.filter(
            user=named, organization=organization, is_active=True, role__in=WORKS_WITH_PEOPLE
        ).exists()
        if member:
            return [named]
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organization=organization,
            memberships__is_active=True,
            memberships__role__in=WORKS_WITH_PEOPLE,
        ).distinct()
    )


def notify(
    *, referral: Referral, organization: Organization | None, named: User | None, message: str
) -> list[Notification]:
    """Notify one side of `referral` (nothing when that side is not an organization)."""
    if organization is None:
        return []
    notes = Notification.objects.bulk_create(
        Notification(user=u, organization=organization, referral=referral, message=message[:300])
        for u in _recipients(organization, named)
    )
    ids = [str(n.public_id) for n in notes]
    if ids:
        from rosc.referrals.tasks import notifications_email

        transaction.on_commit(lambda: notifications_email.enqueue(notification_ids=ids))
    return notes
