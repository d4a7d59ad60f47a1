"""FastSelect writes the same <select> as Django's own widget, escaped, without its templates."""

import re

from django import forms

from rosc.core.widgets import FastSelect

CHOICES = [("", "Any"), ("a&b", "Tom & Jerry <script>"), ("x", "X")]


def options(html: str) -> list[tuple[str, bool, str]]:
    return [
        (value, bool(selected), label)
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html
        )
    ]


def test_fast_select_matches_djangos_select_option_for_option():
    for value in ("", "a&b", "missing"):
        ours = FastSelect(choices=CHOICES).render("kind", value, {"id": "id_kind"})
        django = forms.Select(choices=CHOICES).render("kind", value, {"id": "id_kind"})
        assert options(ours) == options(django)
        assert ours.startswith('<select name="kind" id="id_kind">')
    assert "<script>" not in FastSelect(choices=CHOICES).render("kind", "")
    assert options(FastSelect(choices=CHOICES).render("kind", "a&b"))[1] == (
        "a&amp;b",
        True,
        "Tom &amp; Jerry &lt;script&gt;",
    )


def test_fast_select_keeps_groups_and_the_attributes_of_an_invalid_field():
    grouped = [("Near", [("5", "5 miles")]), ("Far", [("50", "50 miles")])]
    html = FastSelect(choices=grouped).render(
        "radius", "50", {"aria-invalid": "true", "aria-describedby": "id_radius_error"}
    )
    assert '<optgroup label="Near"><option value="5">5 miles</option></optgroup>' in html
    assert '<option value="50" selected>50 miles</option>' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_radius_error"' in html
