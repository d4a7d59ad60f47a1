"""The rows of the inbox and the outbox, written in Python.

Rendering 50 rows through the template engine (about twenty variables, a `{% url %}`, a `|date`
and three `get_*_display` each) cost several times the page's SQL. These functions write the very
same markup the template wrote: every value is escaped exactly as `{{ }}` escapes it (through
`html_rows`, a faster format_html_join), the detail URL is reversed once and completed per row,
and the "sent" date is written as `|date:"N j, Y, g:i A"` writes it, in the current time zone
and language.
"""

from collections.abc import Callable
from datetime import datetime

from django.utils import timezone
from django.utils.dates import MONTHS_AP
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from rosc.core.links import Link
from rosc.core.widgets import html_rows
from rosc.people.models import LifeDomain
from rosc.referrals.models import ReferralSource, ReferralStatus, Urgency
from rosc.referrals.selectors import InboxRow, ReferralRow

NEED_LABELS: dict[str, str] = dict(LifeDomain.choices)
STATUS_LABELS: dict[str, str] = dict(ReferralStatus.choices)
URGENCY_LABELS: dict[str, str] = dict(Urgency.choices)
SOURCE_LABELS: dict[str, str] = dict(ReferralSource.choices)


def _escaped(labels: dict[str, str]) -> dict[str, SafeString]:
    """The labels escaped once (plain-text constants), not again on every row."""
    return {value: escape(label) for value, label in labels.items()}


NEED_HTML = _escaped(NEED_LABELS)
STATUS_HTML = _escaped(STATUS_LABELS)

# The template's row, character for character (it sat in a {% for %} between two newlines). The
# origin is written as prefix + name + suffix and the service as separator + name, so that one
# format_html writes the whole row.
ROW = (
    '\n  <li class="person-row">\n'
    '    <a class="person-name" href="{}">{}: {}</a>\n'
    '    <span class="person-meta"><span class="status referral-status referral-status-{}">'
    "{}</span>{}{}</span>\n"
    '    <span class="person-meta">{}{}{}{}{} · sent {}{}</span>\n'
    "  </li>\n  "
)
NOT_OPENED = format_html(" · <strong>{}</strong>", "not opened yet")
NOTHING = escape("")
FROM, TO, SEPARATOR = escape("From "), escape("To "), escape(" · ")


def sent_formatter() -> Callable[[datetime | None], str]:
    """`|date:"N j, Y, g:i A"` for many dates: the month names and AM/PM of the active language
    looked up once, each date converted to the current time zone as the filter converts it."""
    months = {m: str(name) for m, name in MONTHS_AP.items()}
    am, pm = gettext("AM"), gettext("PM")
    zone = timezone.get_current_timezone()

    def sent(value: datetime | None) -> str:
        if value is None:
            return ""
        local = value.astimezone(zone) if timezone.is_aware(value) else value
        hour = local.hour
        return (
            f"{months[local.month]} {local.day}, {local.year:04d}, "
            f"{hour % 12 or 12}:{local.minute:02d} {pm if hour > 11 else am}"
        )

    return sent


def _flags(flags: list[str]) -> SafeString | str:
    if not flags:
        return NOTHING
    return format_html_join("", ' <span class="referral-flag">{}</span>', ((f,) for f in flags))


def _urgency(urgency: str) -> SafeString | str:
    if urgency == Urgency.ROUTINE:
        return NOTHING
    return format_html(
        ' <span class="referral-urgency referral-urgency-{}">{}</span>',
        urgency,
        URGENCY_LABELS.get(urgency, urgency),
    )


def inbox_rows_html(rows: list[InboxRow]) -> SafeString:
    """The <li> rows of one page of the inbox (the template writes the <ul> around them)."""
    detail = Link("referrals:detail")
    sent = sent_formatter()

    def row(r: InboxRow) -> tuple[object, ...]:
        if r.sender_organization_id is not None:
            origin: tuple[str, str, str] = (FROM, r.sender_name or "", NOTHING)
        else:
            source = SOURCE_LABELS.get(r.source, r.source)
            origin = ("From the person themself (", source.lower(), ")")
        return (
            detail(r.public_id),
            NEED_HTML.get(r.need) or r.need,
            r.person,
            r.status,
            STATUS_HTML.get(r.status) or r.status,
            _flags(r.flags),
            _urgency(r.urgency),
            *origin,
            SEPARATOR if r.service_name is not None else NOTHING,
            r.service_name or NOTHING,
            sent(r.sent_at),
            NOT_OPENED if not r.opened_at and r.status == ReferralStatus.REQUESTED else NOTHING,
        )

    return html_rows(ROW, (row(r) for r in rows))


def outbox_rows_html(rows: list[ReferralRow]) -> SafeString:
    """The <li> rows of one page of the outbox (the template writes the <ul> around them)."""
    detail = Link("referrals:detail")
    sent = sent_formatter()

    def row(item: ReferralRow) -> tuple[object, ...]:
        r = item.referral
        participant = r.participant
        service = r.recipient_service
        return (
            detail(r.public_id),
            NEED_HTML.get(r.need) or r.need,
            (participant.display_name if participant is not None else "") or "Person referred",
            r.status,
            STATUS_HTML.get(r.status) or r.status,
            _flags(item.flags),
            _urgency(r.urgency),
            TO,
            r.recipient_organization.name,
            NOTHING,
            SEPARATOR if service is not None else NOTHING,
            service.name if service is not None else NOTHING,
            sent(r.sent_at),
            NOTHING,
        )

    return html_rows(ROW, (row(item) for item in rows))
