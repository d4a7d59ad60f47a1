"""The header's "Referrals" link and its unread count.

The count is read lazily: only when a page's header shows the link (the template resolves the
callable), at most once per request, in one query on the (user, read_at) index.
"""

from typing import Any

from django.http import HttpRequest

from rosc.accounts.roles import Perm
from rosc.referrals.selectors import unread_notification_count


def referrals_nav(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    if actor is None or actor.organization is None or not actor.can(Perm.PARTICIPANTS_OPEN):
        return {"nav_referrals": False}
    cached: list[int] = []

    def unread() -> int:
        if not cached:
            cached.append(
                unread_notification_count(user=actor.user, organization=actor.organization)
            )
        return cached[0]

    return {"nav_referrals": True, "nav_referrals_unread": unread}
