"""The "Your calendar feed" section of the account page, rendered by this app so that the
accounts app does not depend on it (accounts sits below councils, events and training)."""

from typing import Any

from django import template

from rosc.accounts.actor import Actor
from rosc.mycalendar import selectors
from rosc.mycalendar.views import NEW_FEED_SESSION_KEY

register = template.Library()


@register.inclusion_tag("mycalendar/_account_section.html", takes_context=True)
def personal_feed_section(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    actor: Actor | None = getattr(request, "actor", None)
    feed = selectors.personal_feed_of(actor=actor) if actor is not None else None
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "feed": feed,
        "new_url": request.session.pop(NEW_FEED_SESSION_KEY, None),
    }
