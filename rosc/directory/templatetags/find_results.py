"""`{% find_result_rows results.hits rco_badges %}`: the result rows of /find/, written in Python.

Django's template engine costs several microseconds per variable and far more per `{% url %}`,
`{% include %}` and inclusion tag; the results list did all of them for each of its twenty rows,
which made it most of the page's time. This writes the very same HTML (tested against the
template loop it replaces, directory/tests/test_find_rows.py): every value is escaped as the
template escaped it, numbers are localized as the template localized them, the two links are
made from one `reverse` each, and the badges come from the same partial and tag as before
(`directory/_badges.html` once per distinct badge state, `rco_standards_badge` once per distinct
review date), so the directory still knows nothing of fidelity.
"""

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe

from rosc.core.links import Link
from rosc.core.widgets import escaped, shown

register = template.Library()

_EMPTY = (
    '\n      <li class="result">Nothing matches every filter. Try a wider distance or fewer '
    "filters.</li>\n      "
)
_TENTH = Decimal("0.1")
_STANDARDS_TAG = "{% load rco_standards %}{% rco_standards_badge org badges %}"


_compiled: dict[template.Engine, template.Template] = {}


def _standards_template(engine: template.Engine) -> template.Template:
    """The badge tag, compiled once per template engine (the tag itself runs per call)."""
    if engine not in _compiled:
        _compiled[engine] = engine.from_string(_STANDARDS_TAG)
    return _compiled[engine]


def _url_maker(name: str) -> Any:
    """str(public_id) -> the escaped URL `{% url name public_id %}` gives, from one reverse."""
    link = Link(name)
    return lambda public_id: escaped(link(public_id))


@register.simple_tag(takes_context=True)
def find_result_rows(
    context: template.Context, hits: Iterable[Any], badges: dict[Any, Any]
) -> SafeString:
    """The rows; `badges` is the page's `rco_standards_badges_for` (one query for them all)."""
    service_url = _url_maker("directory:service")
    organization_url = _url_maker("directory:organization")
    engine = (
        context.template.engine if context.template is not None else template.Engine.get_default()
    )
    partial = engine.get_template("directory/_badges.html")
    standards = _standards_template(engine)
    # The badges of a row depend only on these states: render each distinct one once.
    org_badges: dict[tuple[Any, Any], SafeString] = {}
    standards_badges: dict[Any, SafeString] = {}
    # `{{ x|default_if_none:'' }}` of a float is str(x) unless the locale's decimal separator
    # is not a dot, thousands are grouped or str(x) has an exponent: then localize it.
    plain = get_format("DECIMAL_SEPARATOR") == "." and not settings.USE_THOUSAND_SEPARATOR

    def miles(value: Any) -> str:
        # `{{ x|floatformat:1 }}`: the repr rounded half up to one decimal, no "-0.0".
        if plain and type(value) is float and math.isfinite(value):
            tenths = Decimal(repr(value)).quantize(_TENTH, ROUND_HALF_UP)
            return str(tenths) if tenths else "0.0"
        return escaped(floatformat(value, 1))

    def coordinate(value: Any) -> str:
        if value is None:
            return ""
        if plain and type(value) is float:
            text = str(value)
            if "e" not in text:
                return text
        return shown(value)

    rows = []
    for hit in hits:
        org = hit.organization
        state = (bool(org.is_peer_led_rco), org.accepting_new_people)
        if state not in org_badges:
            org_badges[state] = mark_safe(  # noqa: S308 - the partial's own (escaped) output
                partial.render(template.Context({"org": org}, autoescape=context.autoescape))
            )
        reviewed_on = badges.get(org.public_id)
        if reviewed_on not in standards_badges:
            standards_badges[reviewed_on] = mark_safe(  # noqa: S308 - the tag's escaped output
                standards.render(
                    template.Context({"org": org, "badges": badges}, autoescape=context.autoescape)
                )
            )
        url = service_url(hit.service.public_id)
        name = escaped(hit.service.name)
        lat, lng = coordinate(hit.latitude), coordinate(hit.longitude)
        distance = f"{miles(hit.distance)} miles away · " if hit.distance is not None else ""
        if hit.open_now is True:
            open_now = " · <strong>Open now</strong>"
        elif hit.open_now is False:
            open_now = " · Closed now"
        else:
            open_now = ""
        terms = f'<p class="terms">{" · ".join(map(escaped, hit.terms))}</p>' if hit.terms else ""
        phone = escaped(hit.service.phone) if hit.service.phone else ""
        call = f'<p><a href="tel:{phone}">Call {phone}</a></p>' if phone else ""
        rows.append(
            "\n      \n"
            f'      <li class="result" data-lat="{lat}" data-lng="{lng}" data-name="{name}" '
            f'data-url="{url}">\n'
            f'        <h3><a href="{url}">{name}</a></h3>\n'
            f'        <p class="result-org"><a href="{organization_url(org.public_id)}">'
            f"{escaped(org.name)}</a></p>\n"
            f"        {org_badges[state]}{standards_badges[reviewed_on]}\n"
            "        <p>\n"
            f"          {distance}\n"
            f"          {shown(hit.address)}\n"
            f"          {open_now}\n"
            "        </p>\n"
            f"        {terms}\n"
            f"        {call}\n"
            "      </li>\n"
            "      "
        )
    return mark_safe("".join(rows) if rows else _EMPTY)  # noqa: S308 - every part is escaped
