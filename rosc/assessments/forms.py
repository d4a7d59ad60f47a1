"""Forms for a check-in, a new instrument and the check-in settings.

The forms parse what was typed; the services decide what is allowed and name the field.
"""

import re
from typing import Any

from django import forms
from django.db.models import QuerySet

from rosc.assessments.models import Instrument, Occasion
from rosc.assessments.services import item_field

DATE_ERROR = "Give a real date, as year-month-day (for example 2025-03-04)."


class GroupRadioSelect(forms.RadioSelect):
    """Radio buttons whose group answers to the first button's id (for the error summary)."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


class CheckinForm(forms.Form):
    taken_on = forms.DateField(
        label="Date of the check-in",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_ERROR},
    )
    occasion = forms.ChoiceField(
        label="When in the person's time with us",
        choices=Occasion.choices,
        required=False,
        widget=GroupRadioSelect,
    )

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        choices = [(str(s["value"]), f"{s['value']} · {s['label']}") for s in instrument.scale]
        for position, item in enumerate(instrument.items, 1):
            self.fields[item_field(item["key"])] = forms.TypedChoiceField(
                label=f"{position}. {item['text']}",
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
                widget=GroupRadioSelect,
                error_messages={
                    "invalid_choice": f"Statement {position}: choose one of the answers shown."
                },
            )

    def item_fields(self) -> list[forms.BoundField]:
        return [self[item_field(item["key"])] for item in self.instrument.items]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        answers = {
            item["key"]: data.get(item_field(item["key"]))
            for item in self.instrument.items
            if data.get(item_field(item["key"])) is not None
        }
        return {
            "taken_on": data.get("taken_on"),
            "occasion": data.get("occasion") or "",
            "answers": answers,
        }


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


REVERSE_MARK = "(R)"
SCALE_LINE = re.compile(r"^(-?\d+)\s*[:.,)\-\u2013]?\s+(.+)$")
BAND_LINE = re.compile(r"^(-?\d+)\s*[-\u2013]\s*(-?\d+)\s+(.+)$")


class InstrumentForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, required=False)
    code = forms.CharField(
        label="Short name (optional)",
        max_length=40,
        required=False,
        help_text="How staff will see it in lists, e.g. its abbreviation. Defaults to the name.",
    )
    citation = forms.CharField(
        label="Citation of the validation study",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Authors, title, journal, year: the study that validated this instrument.",
    )
    source_url = forms.URLField(
        label="Where it is published (optional)",
        required=False,
        assume_scheme="https",
    )
    licence_note = forms.CharField(
        label="Licence or permission to use (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.CharField(label="Version (optional)", max_length=40, required=False)
    instructions = forms.CharField(
        label="Instructions read to the person (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    items = forms.CharField(
        label="Items, one per line, in order",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"Start a line with {REVERSE_MARK} if that item is scored in reverse.",
    )
    scale = forms.CharField(
        label="Answer scale: one value and its label per line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="From the lowest value to the highest, e.g. “1 Strongly disagree”.",
    )
    bands = forms.CharField(
        label="Score bands (optional): lowest-highest and a label per line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example “10-29 Lower”. Leave empty unless the instrument defines bands.",
    )
    bands_validated = forms.BooleanField(
        label="The study above validated these bands",
        required=False,
        help_text="Leave unticked for bands that are only a convention: they are shown as such.",
    )
    cutoff = forms.IntegerField(
        label="Cut-off score (optional)",
        required=False,
        error_messages={"invalid": "The cut-off must be a whole number."},
    )
    cutoff_label = forms.CharField(
        label="What the cut-off means (optional)", max_length=200, required=False
    )
    cutoff_source = forms.CharField(
        label="Where the cut-off comes from",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when you give a cut-off.",
    )

    def clean_items(self) -> list[tuple[str, bool]]:
        parsed = []
        for line in _lines(self.cleaned_data.get("items", "")):
            reverse = line.upper().startswith(REVERSE_MARK)
            text = line[len(REVERSE_MARK) :].strip() if reverse else line
            parsed.append((text, reverse))
        return parsed

    def clean_scale(self) -> list[tuple[int, str]]:
        parsed = []
        for line in _lines(self.cleaned_data.get("scale", "")):
            match = SCALE_LINE.match(line)
            if match is None:
                raise forms.ValidationError(
                    f"“{line}”: start each line with a whole number, then its label."
                )
            parsed.append((int(match[1]), match[2].strip()))
        return parsed

    def clean_bands(self) -> list[dict[str, Any]]:
        parsed = []
        for line in _lines(self.cleaned_data.get("bands", "")):
            match = BAND_LINE.match(line)
            if match is None:
                raise forms.ValidationError(
                    f"“{line}”: write the lowest and highest score, then a label, e.g. "
                    "“10-29 Lower”."
                )
            parsed.append({"min": int(match[1]), "max": int(match[2]), "label": match[3].strip()})
        return parsed

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        items = data["items"]
        validated = bool(data.get("bands_validated"))
        return {
            "name": data.get("name") or "",
            "code": data.get("code") or "",
            "citation": data.get("citation") or "",
            "source_url": data.get("source_url") or "",
            "licence_note": data.get("licence_note") or "",
            "version": data.get("version") or "",
            "instructions": data.get("instructions") or "",
            "items": [text for text, _reverse in items],
            "reverse_items": [i for i, (_text, reverse) in enumerate(items, 1) if reverse],
            "scale": data["scale"],
            "bands": [{**band, "validated": validated} for band in data["bands"]],
            "cutoff": data.get("cutoff"),
            "cutoff_label": data.get("cutoff_label") or "",
            "cutoff_source": data.get("cutoff_source") or "",
        }


class CheckinSettingsForm(forms.Form):
    checkin_interval_days = forms.IntegerField(
        label="Days between check-ins",
        required=False,
        help_text="After the intake check-in, each person is due again this many days after "
        "their last one. The usual rhythm is every 90 days.",
        error_messages={"invalid": "Give a whole number of days."},
    )
    checkin_instrument = forms.ModelChoiceField(
        label="Instrument for routine check-ins",
        queryset=Instrument.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=None,
    )

    def __init__(self, *args: Any, instruments: QuerySet[Instrument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["checkin_instrument"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = instruments
