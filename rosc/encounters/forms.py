"""The quick contact form (types only: the service checks the rules) and the in-error form."""

from typing import Any

from django import forms

from rosc.encounters.models import MAX_DURATION, MIN_DURATION, EncounterKind, EncounterPlace
from rosc.encounters.selectors import EncounterDefaults
from rosc.people.models import LifeDomain

DURATION_MESSAGE = f"Enter how long it took in minutes, from {MIN_DURATION} to {MAX_DURATION}."


class EncounterForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": "Enter the date and time of the contact.",
            "invalid": "Enter the date and time of the contact.",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of contact",
        choices=EncounterKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what kind of contact it was.",
            "invalid_choice": "Choose what kind of contact it was.",
        },
    )
    duration_minutes = forms.IntegerField(
        label="Minutes",
        widget=forms.NumberInput(
            attrs={"min": MIN_DURATION, "max": MAX_DURATION, "inputmode": "numeric", "step": 1}
        ),
        error_messages={
            "required": DURATION_MESSAGE,
            "invalid": DURATION_MESSAGE,
        },
    )
    place = forms.ChoiceField(
        label="Where",
        choices=EncounterPlace.choices,
        error_messages={
            "required": "Choose where the contact happened.",
            "invalid_choice": "Choose where the contact happened.",
        },
    )
    place_detail = forms.CharField(
        label="Where, in a few words (optional)",
        max_length=120,
        required=False,
        help_text="Needed only for “Somewhere else”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    life_domains = forms.MultipleChoiceField(
        label="Life domains you talked about (optional)",
        choices=LifeDomain.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose life domains from the list."},
    )
    needs = forms.CharField(
        label="Needs identified (optional)",
        max_length=1000,
        required=False,
        help_text="In the person's own words where you can, for example “a ride to court”.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label="Note (optional)",
        max_length=5000,
        required=False,
        help_text="Only your organization's staff can read notes, and every reading is recorded. "
        "Write only what supports the person's recovery.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, defaults: EncounterDefaults | None = None, **kwargs: Any
    ) -> None:
        if defaults is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": defaults.kind,
                    "duration_minutes": defaults.duration_minutes,
                    "place": defaults.place,
                    "place_detail": defaults.place_detail,
                },
            )
        super().__init__(*args, **kwargs)


class VoidForm(forms.Form):
    reason = forms.CharField(
        label="Why is this entry in error?",
        max_length=200,
        help_text="For example “logged for the wrong person” or “wrong day”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Say briefly why this entry is in error."},
    )
