"""Form widgets rendered in Python where Django's per-option templates cost too much.

Django renders each <option> of a <select> through its own template; on the public search form
(about 60 options) that was a quarter of the request. FastSelect writes the same HTML directly,
escaping every value and label.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def _joined(parts: Iterable[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _option(option: dict[str, Any]) -> SafeString:
    if option["selected"]:
        return format_html(
            '<option value="{}" selected>{}</option>', option["value"], option["label"]
        )
    return format_html('<option value="{}">{}</option>', option["value"], option["label"])


class FastSelect(forms.Select):
    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, group, _index in widget["optgroups"]:
            options = _joined(_option(option) for option in group)
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, options)
                if group_name
                else options
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            _joined(groups),
        )
