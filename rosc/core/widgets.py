"""Form widgets rendered in Python where Django's per-option templates cost too much.

Django renders each <option> of a <select> through its own template; on the public search form
(about 60 options) that was a quarter of the request. FastSelect writes the same HTML directly,
escaping every value and label, without building Django's per-option dicts.

FastFormRenderer goes further for a whole form: a field's group (label, help text, errors and
widget), its label, its error list and its <input> are written in Python, the same HTML as
Django's templates (rosc/core/tests/test_widgets.py compares them, escaping included).
"""

import html
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]


def escaped(value: Any) -> str:
    """escaped(value) as plain text: the same characters, without the lazy-string
    wrapper Django's escaping functions pay on every call (these run hundreds of times a page)."""
    if type(value) is str:  # the commonest case, first (a SafeString is a subclass)
        return html.escape(value)
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def html_rows(row_format: str, rows: Iterable[Iterable[Any]]) -> SafeString:
    """format_html_join("", row_format, rows): each value escaped unless it is already safe,
    as format_html escapes it, without the lazy-string wrapper its escaping pays per value
    (on a page of fifty rows of a dozen values, more than the rows' own formatting)."""
    return mark_safe(  # noqa: S308 - every value is escaped; safe values kept as they are
        "".join(row_format.format(*map(escaped, values)) for values in rows)
    )


def _option(value: Any, label: Any, selected: bool) -> str:
    chosen = " selected" if selected else ""
    return f'<option value="{escaped(value)}"{chosen}>{escaped(label)}</option>'


class FastSelect(forms.Select):
    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        # Select.get_context without the per-option dicts of ChoiceWidget.optgroups: the same
        # choices, the same "selected" rule (the first match only, unless multiple).
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        multiple = self.allow_multiple_selected
        if multiple:
            widget["attrs"]["multiple"] = True
        values = widget["value"]
        has_selected = False
        parts = []
        for option_value, option_label in self.choices:
            if isinstance(option_label, (list, tuple)):
                group_name, choices = option_value, option_label
            else:
                group_name = None
                choices = [("" if option_value is None else option_value, option_label)]
            options = []
            for subvalue, sublabel in choices:
                selected = (not has_selected or multiple) and str(subvalue) in values
                has_selected |= selected
                options.append(_option(subvalue, sublabel, selected))
            if group_name:
                parts.append(f'<optgroup label="{escaped(group_name)}">')
                parts.extend(options)
                parts.append("</optgroup>")
            else:
                parts.extend(options)
        return mark_safe(  # noqa: S308 - every value and label above is escaped
            f'<select name="{escaped(widget["name"])}"{flatatt(widget["attrs"])}>'
            f"{''.join(parts)}</select>"
        )


class _FixedChoices:
    """A choice field whose choices are fixed on the form class: each form shares the list
    rather than deep-copying it, labels and all, as Django's ChoiceField does for every form it
    makes (most of the cost of making the public search form). Giving one form's field new
    choices (`field.choices = ...`) replaces the list for that form only, as before."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return forms.Field.__deepcopy__(self, memo)  # type: ignore[type-var]


class FixedChoiceField(_FixedChoices, forms.ChoiceField):
    pass


class FixedTypedChoiceField(_FixedChoices, forms.TypedChoiceField):
    pass


# --- a form renderer that writes Django's commonest form templates in Python ------------------


def shown(value: Any) -> str:
    """`{{ value }}` in an autoescaped template: localized, made text, escaped."""
    value = localize(template_localtime(value))
    return escaped(value if isinstance(value, str) else str(value))


def _as_string(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` in an autoescaped template."""
    text = str(value) if isinstance(value, tuple) else "%s" % (value,)  # noqa: UP031
    return escaped(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attributes(attrs: dict[str, Any]) -> str:
    """django/forms/attrs.html and django/forms/widgets/attrs.html."""
    return "".join(
        f" {shown(name)}" if value is True else f' {shown(name)}="{_as_string(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(context: dict[str, Any]) -> str | None:
    """django/forms/widgets/input.html (text, search, checkbox and the other inputs)."""
    widget = context["widget"]
    value = widget["value"]
    valued = "" if value is None else f' value="{_as_string(value)}"'
    return (
        f'<input type="{shown(widget["type"])}" name="{shown(widget["name"])}"{valued}'
        f"{_attributes(widget['attrs'])}>"
    )


def _label(context: dict[str, Any]) -> str | None:
    """django/forms/label.html."""
    if not context["use_tag"]:
        return shown(context["label"])
    tag = shown(context["tag"])
    return f"<{tag}{_attributes(context['attrs'])}>{shown(context['label'])}</{tag}>"


def _errors(context: dict[str, Any]) -> str | None:
    """django/forms/errors/list/default.html (a <ul> of the messages)."""
    errors = context["errors"]
    if not errors:
        return ""
    field_id = f' id="{shown(errors.field_id)}_error"' if errors.field_id else ""
    items = "".join(f"<li>{shown(error)}</li>" for error in errors)
    return f'<ul class="{shown(context["error_class"])}"{field_id}>{items}</ul>'


def _field_group(context: dict[str, Any]) -> str | None:
    """django/forms/field.html, for a field without a fieldset (else the template)."""
    field = context["field"]
    if field.use_fieldset:
        return None
    label = field.label_tag() if field.label else ""
    help_text = ""
    if field.help_text:
        at = f' id="{shown(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{at}>{field.help_text}</div>'
    return f"\n  {label}\n\n{help_text}\n{field.errors}\n{field}\n".strip()


_WRITTEN: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "django/forms/field.html": _field_group,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/widgets/input.html": _input,
    "django/forms/widgets/text.html": _input,
    "django/forms/widgets/search.html": _input,
    "django/forms/widgets/number.html": _input,
    "django/forms/widgets/email.html": _input,
    "django/forms/widgets/checkbox.html": _input,
}


class FastFormRenderer(DjangoTemplates):
    """Django's default form renderer, except that a field's group (label, help text, errors,
    widget), its label, its error list and its <input> are written in Python: the same HTML
    (rosc/core/tests/test_widgets.py compares them) without a template render each. Anything
    else (fieldsets, other widgets, a project's own templates) goes to the templates.

    Use the one instance, FAST_FORM_RENDERER, as a form's default_renderer: a renderer builds
    its template engine once per instance."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        written = _WRITTEN.get(template_name)
        if written is not None and request is None:
            html = written(context)
            if html is not None:
                return html
        return super().render(template_name, context, request)


FAST_FORM_RENDERER = FastFormRenderer()
