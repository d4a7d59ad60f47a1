"""Template filters for roles: `{% load roles %}{{ event.role|role_label }}`."""

from django import template

from rosc.accounts.roles import Role

register = template.Library()
_LABELS = dict(Role.choices)


@register.filter
def role_label(value: str) -> str:
    """The readable name of a role code ("org_admin" -> "Organization admin")."""
    return str(_LABELS.get(value, value))
