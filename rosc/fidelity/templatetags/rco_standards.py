"""`{% rco_standards_badge org %}` on a directory listing, and for a page of search results
`{% rco_standards_badges_for results.hits as badges %}` then `{% rco_standards_badge org badges %}`
(one query for the whole page). The directory knows nothing of fidelity: it only loads these."""

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from django import template

from rosc.fidelity.selectors import rco_standards_badges

register = template.Library()


@register.simple_tag
def rco_standards_badges_for(hits: Iterable[Any] | None) -> dict[UUID, date]:
    return rco_standards_badges(hit.organization.public_id for hit in hits or ())


@register.inclusion_tag("fidelity/_badge.html")
def rco_standards_badge(org: Any, badges: dict[UUID, date] | None = None) -> dict[str, Any]:
    if badges is None:
        badges = rco_standards_badges([org.public_id])
    return {"reviewed_on": badges.get(org.public_id)}
