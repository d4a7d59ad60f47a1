"""A contact's row as `_encounter_row.html` writes it (without the actions), in Python.

The person's page shows the latest few contacts; including the row template once per contact
cost more than the rest of the section. `encounter_rows` writes the same markup, escaping every
value as the template's autoescaping does; a test renders both and compares them.
"""

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.utils import dateformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from rosc.encounters.models import Encounter


def encounter_row(encounter: Encounter, zone: ZoneInfo) -> SafeString:
    """One `<li>`, as `{% include "encounters/_encounter_row.html" with with_actions=False %}`."""
    logged_by = encounter.logged_by
    voided = ""
    if encounter.voided_at:
        voided_by = encounter.voided_by
        voided = format_html(
            '<span class="person-meta"><span class="status status-off">Entered in error</span>'
            " {}{}, {}</span>",
            encounter.void_reason,
            format_html(" — marked by {}", voided_by.display_name) if voided_by else "",
            dateformat.format(encounter.voided_at.astimezone(zone), "M j, Y"),
        )
    labels = encounter.life_domain_labels
    return format_html(
        '<li class="person-row encounter-row{}">\n'
        '  <span class="person-name">{}</span>\n'
        '  <span class="person-meta">{} · {} min · {}{}</span>\n'
        "  {}\n  {}\n  {}\n  \n</li>\n",
        " encounter-voided" if encounter.voided_at else "",
        dateformat.format(encounter.occurred_at.astimezone(zone), "D, M j, Y, g:i a"),
        encounter.get_kind_display(),
        encounter.duration_minutes,
        encounter.place_label,
        format_html(" · logged by {}", logged_by.display_name) if logged_by else "",
        format_html('<span class="person-meta">Talked about: {}</span>', ", ".join(labels))
        if labels
        else "",
        format_html('<span class="person-meta">Needs identified: {}</span>', encounter.needs)
        if encounter.needs
        else "",
        voided,
    )


def encounter_rows(encounters: Iterable[Encounter], zone: ZoneInfo) -> SafeString:
    return format_html_join("", "{}", ((encounter_row(e, zone),) for e in encounters))
