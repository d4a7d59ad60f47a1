"""FastSelect writes the same <select> as Django's own widget, escaped, without its templates."""

import re

from django import forms

from rosc.core.widgets import FastSelect, FixedChoiceField, FixedTypedChoiceField, html_rows

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


# --- FastFormRenderer: the same HTML as Django's templates --------------------------------------

EVIL = "<script>alert(\"x\")</script> & 'co'"


class SampleForm(forms.Form):
    text = forms.CharField(
        required=False, max_length=20, label="What?", widget=forms.TextInput({"type": "search"})
    )
    name = forms.CharField(label=EVIL, help_text="<b>bold</b> help & more", max_length=5)
    near = forms.CharField(
        required=False,
        help_text="A 5-digit ZIP code.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    count = forms.IntegerField(required=False, min_value=1)
    email = forms.EmailField(required=False)
    flag = forms.BooleanField(required=False, label="Free of charge")
    must = forms.BooleanField(label="Agree")
    kind = forms.ChoiceField(choices=[("", "Any"), ("a&b", EVIL)], widget=FastSelect)
    picks = forms.MultipleChoiceField(
        required=False, choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple
    )

    def clean(self) -> dict[str, object]:
        raise forms.ValidationError(EVIL)


def _renderings(form: forms.Form) -> list[str]:
    out = [str(form.non_field_errors())]
    for field in form:
        out += [field.as_field_group(), str(field), field.label_tag(), str(field.errors)]
        out.append(field.label_tag(attrs={"class": "x"}, label_suffix=":"))
    return out


def _both(data: dict[str, object] | None, **kwargs: object) -> tuple[list[str], list[str]]:
    from rosc.core.widgets import FAST_FORM_RENDERER

    django_form = SampleForm(data, **kwargs)  # type: ignore[arg-type]
    fast_form = SampleForm(data, renderer=FAST_FORM_RENDERER, **kwargs)  # type: ignore[arg-type]
    for form in (django_form, fast_form):
        if data is not None:
            form.is_valid()
    return _renderings(fast_form), _renderings(django_form)


def test_fast_form_renderer_writes_what_djangos_templates_write():
    cases: list[tuple[dict[str, object] | None, dict[str, object]]] = [
        (None, {}),
        (None, {"auto_id": False}),
        (None, {"initial": {"text": EVIL, "flag": True, "count": 3}}),
        ({}, {}),
        (
            {"text": EVIL, "name": EVIL, "near": '1"2', "count": "0", "email": "x&y"},
            {"prefix": "p<"},
        ),
        ({"text": "ok", "name": "abc", "flag": "on", "must": "on", "kind": "a&b"}, {}),
        ({"name": "x" * 9, "count": "x", "picks": ["x", "z"]}, {"auto_id": "f_%s"}),
    ]
    for data, kwargs in cases:
        fast, django = _both(data, **kwargs)
        assert fast == django, (data, kwargs)


def test_fast_form_renderer_escapes_labels_values_and_errors():
    fast, _ = _both({"text": EVIL, "name": EVIL})
    html = "".join(fast)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;co&#x27;" in html
    assert "<b>bold</b> help &amp; more" not in html  # help text is written as given (|safe)
    assert "<b>bold</b> help & more" in html


def _same_order(html: str) -> str:
    """Django's <select> with its whitespace dropped and its attributes in flatatt's order
    (FastSelect has always written them so)."""
    html = re.sub(r">\s+<", "><", html).replace("\n", "")
    head, rest = html.split(">", 1)
    name, *attrs = re.findall(r' ([\w-]+)(?:="([^"]*)")?', head)
    pairs = sorted((a, v) for a, v in attrs if v or a == "value")
    flags = sorted(a for a, v in attrs if not v and a != "value")
    written = "".join(f' {a}="{v}"' for a, v in pairs) + "".join(f" {a}" for a in flags)
    return f'<select {name[0]}="{name[1]}"{written}>{rest}'


def test_fast_select_is_djangos_select_but_for_whitespace():
    grouped = [
        ("", "Any"),
        ("Near", [(5, "5 miles"), ("a&b", EVIL)]),
        (None, "None value"),
        ("x", "X"),
        ("x", "X again"),
    ]
    for value in ("", "a&b", "5", "x", None, "missing"):
        for attrs in (None, {"id": "id_k", "aria-invalid": "true", "required": True}):
            ours = FastSelect(choices=grouped).render("k<", value, attrs)
            django = forms.Select(choices=grouped).render("k<", value, attrs)
            assert ours == _same_order(str(django)), value
    multiple = forms.SelectMultiple(choices=grouped).render("m", ["x", "5"])

    class FastMultiple(FastSelect):
        allow_multiple_selected = True

    assert FastMultiple(choices=grouped).render("m", ["x", "5"]) == _same_order(str(multiple))


def test_fixed_choices_are_shared_between_forms_yet_one_form_can_replace_its_own():
    class Fixed(forms.Form):
        size = FixedChoiceField(choices=[("s", "Small"), ("l", "Large")])
        count = FixedTypedChoiceField(choices=[(1, "One"), (2, "Two")], coerce=int)

    def size(form: forms.Form) -> forms.ChoiceField:
        field = form.fields["size"]
        assert isinstance(field, forms.ChoiceField)
        return field

    first, second = Fixed({"size": "l", "count": "2"}), Fixed({"size": "x", "count": "3"})
    assert size(first).choices is size(second).choices  # not copied per form
    assert size(first).widget is not size(second).widget
    assert first.is_valid() and first.cleaned_data == {"size": "l", "count": 2}
    assert not second.is_valid() and set(second.errors) == {"size", "count"}
    size(second).choices = [("x", "Extra")]
    assert list(size(first).choices) == [("s", "Small"), ("l", "Large")]  # type: ignore[arg-type]
    assert list(size(Fixed()).choices) == [("s", "Small"), ("l", "Large")]  # type: ignore[arg-type]
    assert 'value="x"' in str(second["size"]) and 'value="x"' not in str(first["size"])


def test_html_rows_is_format_html_join_escaping_included():
    from django.utils.html import format_html_join
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    row = '<li class="{}"><a href="{}">{}</a>{}</li>'
    rows = [
        ("a", "/x/?a=1&b=2", "<script>alert('x')</script> & \"Bo\"", mark_safe("<b>ok</b>")),
        ("b", "/y/", gettext_lazy("Recovery & wellness"), 42),
        ("", "", "", None),
    ]
    assert html_rows(row, rows) == format_html_join("", row, rows)
    assert "<script>" not in html_rows(row, rows) and "<b>ok</b>" in html_rows(row, rows)
    assert html_rows(row, []) == ""
