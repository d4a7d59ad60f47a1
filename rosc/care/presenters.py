"""The caseload's lists written in Python, the same HTML the templates wrote.

A peer's caseload lists about forty people; through the template engine each row cost a
`{% url %}` (twice), a `|timezone|date` and a dozen variable lookups, about a third of the
request. Here the rows are one `html_rows` (a faster format_html_join): every value is
escaped exactly as the template's autoescaping did, links come from one `reverse` per kind of
link, and dates are formatted the way `|date` formats them. The markup (and whitespace) is the
template's, so the page is byte for byte what it was; tests compare both and check the
escaping.
"""

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import dateformat
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString

from rosc.care.selectors import Caseload, CaseloadRow
from rosc.core.links import Link
from rosc.core.widgets import html_rows
from rosc.encounters.models import Encounter
from rosc.followups.selectors import FollowUpItem


def month_day(value: date) -> str:
    """`|date:"M j"`."""
    return f"{MONTHS_3[value.month].title()} {value.day}"


def month_day_year(value: date) -> str:
    """`|date:"M j, Y"`."""
    return f"{MONTHS_3[value.month].title()} {value.day}, {value.year:04d}"


def _joined(rows: Iterable[tuple[object, ...]], row_format: str) -> SafeString:
    return html_rows(row_format, rows)


_FOLLOWUP_ROW = (
    '\n  <li class="person-row">\n    <a class="person-name" href="{}">{}</a>\n'
    '    <span class="person-meta">{} · <span class="status {}">{}</span> · '
    "window {} \u2013 {}</span>\n  </li>\n  "
)
_CHECKIN_ROW = (
    '\n  <li class="person-row">\n    <a class="person-name" href="{}">{}</a>\n'
    '    <span class="person-meta">Due {}{}</span>\n  </li>\n  '
)
_PERSON_ROW = (
    '\n  <li class="person-row">\n    <a class="person-name" href="{}">{}</a>\n'
    '    <span class="person-meta">{}{}</span>\n'
    '    <a class="button button-secondary caseload-log" href="{}">Log a contact'
    '<span class="visually-hidden"> with {}</span></a>\n  </li>\n  '
)
_RECENT_ROW = (
    '\n  <li class="person-row">\n    <a class="person-name" href="{}">{}</a>\n'
    '    <span class="person-meta">{} · {} · {} min</span>\n  </li>\n  '
)


def followup_rows(items: list[FollowUpItem]) -> SafeString:
    link = Link("followups:list")
    return _joined(
        (
            (
                link(item.participant.public_id),
                item.participant.display_name,
                item.kind_label,
                "status-off" if item.state == "overdue" else "status-ok",
                item.state_label,
                month_day(item.window_opens_on),
                month_day_year(item.window_closes_on),
            )
            for item in items
        ),
        _FOLLOWUP_ROW,
    )


def checkin_rows(rows: list[CaseloadRow], on: date) -> SafeString:
    link = Link("care:participant")
    return _joined(
        (
            (
                link(row.participant.public_id),
                row.participant.display_name,
                "since " if row.checkin_due is not None and row.checkin_due < on else "",
                month_day_year(row.checkin_due) if row.checkin_due is not None else "",
            )
            for row in rows
        ),
        _CHECKIN_ROW,
    )


def _last_contact(value: datetime | None, zone: str) -> str:
    if value is None:
        return "No contact logged yet"
    return f"Last contact {month_day_year(value.astimezone(ZoneInfo(zone)))}"


def person_rows(rows: list[CaseloadRow]) -> SafeString:
    page, log = Link("care:participant"), Link("encounters:new")
    return _joined(
        (
            (
                page(row.participant.public_id),
                name := row.participant.display_name,
                _last_contact(row.last_contact, row.participant.organization.time_zone),
                " · check-in due" if row.checkin_due else "",
                log(row.participant.public_id),
                name,
            )
            for row in rows
        ),
        _PERSON_ROW,
    )


def recent_rows(encounters: list[Encounter]) -> SafeString:
    link = Link("care:participant")
    return _joined(
        (
            (
                link(e.participant.public_id),
                e.participant.display_name,
                dateformat.format(
                    e.occurred_at.astimezone(ZoneInfo(e.participant.organization.time_zone)),
                    "M j, P",
                ),
                e.get_kind_display(),
                e.duration_minutes,
            )
            for e in encounters
        ),
        _RECENT_ROW,
    )


def caseload_lists(caseload: Caseload) -> dict[str, SafeString]:
    """The four lists of the caseload page, as the template's loops wrote them."""
    return {
        "followups_html": followup_rows(caseload.followups),
        "checkins_html": checkin_rows(caseload.checkins_due, caseload.on),
        "people_html": person_rows(caseload.rows),
        "recent_html": recent_rows(caseload.recent),
    }
