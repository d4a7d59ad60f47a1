"""Writes: make, replace and turn off a person's own calendar address. Each is audited."""

import hashlib
import secrets

from django.db import transaction

from rosc.accounts.actor import Actor
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.mycalendar.models import PersonalFeed

Action = AuditEvent.Action


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _audit(actor: Actor, action: str, feed: PersonalFeed, change: str) -> None:
    org = actor.organization
    audit_record(
        actor=actor,
        action=action,
        record=feed,
        record_organization_id=org.public_id if org else None,
        detail={"feed": change},
    )


@transaction.atomic
def personal_feed_issue(*, actor: Actor) -> str:
    """A new secret address for the actor's own feed; any old one stops working. Returns it."""
    token = secrets.token_urlsafe(24)
    feed = PersonalFeed.objects.select_for_update().filter(user=actor.user).first()
    if feed is None:
        feed = PersonalFeed.objects.create(user=actor.user, token_hash=token_digest(token))
        _audit(actor, Action.CREATE, feed, "issued")
    else:
        feed.token_hash = token_digest(token)
        feed.save(update_fields=["token_hash", "updated_at"])
        _audit(actor, Action.UPDATE, feed, "replaced")
    return token


@transaction.atomic
def personal_feed_revoke(*, actor: Actor) -> bool:
    """Turn the actor's feed off. False when there was none."""
    feed = PersonalFeed.objects.select_for_update().filter(user=actor.user).first()
    if feed is None:
        return False
    _audit(actor, Action.DEACTIVATE, feed, "revoked")
    feed.delete()
    return True
