"""The result rows of /find/ are written in Python (directory/templatetags/find_results.py):
they must be the very HTML the template loop they replace wrote, escaping included."""

import uuid
from datetime import date
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from rosc.directory.selectors import Hit, HitOrganization, HitService

# The loop find.html had, verbatim: the reference the Python rows are checked against. It uses
# the live badge partial and tag, so a change to either shows here.
TEMPLATE_LOOP = """{% load rco_standards %}{% for hit in results.hits %}
      {% url 'directory:service' hit.service.public_id as service_url %}
      <li class="result" data-lat="{{ hit.latitude|default_if_none:'' }}" data-lng="{{ hit.longitude|default_if_none:'' }}" data-name="{{ hit.service.name }}" data-url="{{ service_url }}">
        <h3><a href="{{ service_url }}">{{ hit.service.name }}</a></h3>
        <p class="result-org"><a href="{% url 'directory:organization' hit.organization.public_id %}">{{ hit.organization.name }}</a></p>
        {% with org=hit.organization %}{% include "directory/_badges.html" %}{% rco_standards_badge org rco_badges %}{% endwith %}
        <p>
          {% if hit.distance is not None %}{{ hit.distance|floatformat:1 }} miles away · {% endif %}
          {{ hit.address }}
          {% if hit.open_now is True %} · <strong>Open now</strong>{% elif hit.open_now is False %} · Closed now{% endif %}
        </p>
        {% if hit.terms %}<p class="terms">{{ hit.terms|join:" · " }}</p>{% endif %}
        {% if hit.service.phone %}<p><a href="tel:{{ hit.service.phone }}">Call {{ hit.service.phone }}</a></p>{% endif %}
      </li>
      {% empty %}
      <li class="result">Nothing matches every filter. Try a wider distance or fewer filters.</li>
      {% endfor %}"""
PYTHON_ROWS = "{% load find_results %}{% find_result_rows results.hits rco_badges %}"

EVIL = "<script>alert(\"x\")</script> & Sons 'quoted'"


def hit(i: int, **changes: object) -> Hit:
    fields: dict[str, object] = {
        "service": HitService(uuid.uuid4(), f"Service {i}", "603-555-0100"),
        "organization": HitOrganization(uuid.uuid4(), f"Org {i}", i % 2 == 0, None),
        "latitude": 43.2185 + i / 1000,
        "longitude": -71.5277,
        "address": f"{i} Main St, Concord, NH 03301",
        "terms": ["Recovery coaching", "Peer support"],
        "distance": 1.25 * i,
        "open_now": None,
    }
    fields.update(changes)
    return Hit(**fields)  # type: ignore[arg-type]


def both(hits: list[Hit], badges: dict[uuid.UUID, date]) -> tuple[str, str]:
    context = {"results": SimpleNamespace(hits=hits), "rco_badges": badges}
    return (
        Template(TEMPLATE_LOOP).render(Context(context)),
        Template(PYTHON_ROWS).render(Context(context)),
    )


def test_rows_are_the_html_the_template_loop_wrote():
    awarded = HitOrganization(uuid.uuid4(), "Awarded RCO", True, True)
    hits = [
        hit(0),
        hit(1, open_now=True, distance=0.05),
        hit(2, open_now=False, distance=None, latitude=None, longitude=None),
        hit(3, terms=[], service=HitService(uuid.uuid4(), "No phone", "")),
        hit(4, organization=awarded, distance=12.35),
        hit(5, organization=HitOrganization(uuid.uuid4(), "Full", False, False)),
        hit(6, organization=HitOrganization(uuid.uuid4(), "Open", False, True)),
        hit(7, organization=awarded, distance=1234.449),
        hit(8, latitude=-0.000012345, longitude=1e-7),
    ]
    template_html, python_html = both(hits, {awarded.public_id: date(2025, 3, 4)})
    assert "Meets the 10 national RCO standards (reviewed 4 Mar 2025)" in python_html
    assert "Waiting list" in python_html and "Welcoming new people" in python_html
    assert python_html == template_html


def test_rows_escape_names_addresses_terms_and_phones():
    org = HitOrganization(uuid.uuid4(), EVIL, True, False)
    hits = [
        hit(
            0,
            service=HitService(uuid.uuid4(), EVIL, '1<2>&"3'),
            organization=org,
            address=EVIL,
            terms=[EVIL, "a & b"],
        )
    ]
    template_html, python_html = both(hits, {})
    assert python_html == template_html
    assert "<script>" not in python_html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons &#x27;quoted&#x27;" in (
        python_html
    )
    assert "a &amp; b" in python_html and 'tel:1&lt;2&gt;&amp;&quot;3"' in python_html


def test_no_rows_is_the_nothing_matches_line():
    template_html, python_html = both([], {})
    assert python_html == template_html
    assert "Nothing matches every filter" in python_html


@pytest.mark.parametrize("count", [1, 20])
def test_a_full_page_matches_too(count):
    hits = [hit(i, open_now=[True, False, None][i % 3]) for i in range(count)]
    template_html, python_html = both(hits, {hits[0].organization.public_id: date(2024, 12, 31)})
    assert python_html == template_html


@pytest.mark.parametrize("language", ["en", "de"])
def test_coordinates_and_distances_are_localized_as_the_template_did(language, settings):
    from django.utils import translation

    settings.USE_THOUSAND_SEPARATOR = language == "de"
    hits = [hit(i, latitude=4321.5 * i, longitude=1e-7 * i, distance=1234.5 * i) for i in range(4)]
    with translation.override(language):
        template_html, python_html = both(hits, {})
    assert python_html == template_html
    if language == "de":
        assert 'data-lat="4.321,5"' in python_html
