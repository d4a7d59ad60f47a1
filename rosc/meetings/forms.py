from typing import Any

from django import forms

from rosc.core.widgets import FastSelect
from rosc.directory.places import Place, PlaceNotFound, place_from_text
from rosc.meetings.models import Attendance
from rosc.meetings.selectors import TIMES_OF_DAY, MeetingFilters
from rosc.meetings.types import DAY_NAMES, type_names

RADIUS_CHOICES = [
    (2, "2 miles"),
    (5, "5 miles"),
    (10, "10 miles"),
    (25, "25 miles"),
    (50, "50 miles"),
]
CHOOSE = "Choose one of the options in the list."


class MeetingFindForm(forms.Form):
    """The public meeting finder. Every field optional; a bad value is a message by the field."""

    q = forms.CharField(
        required=False,
        max_length=100,
        label="Meeting, group or place name",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    day = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="Day",
        choices=[("", "Any day"), *[(str(i), name) for i, name in enumerate(DAY_NAMES)]],
        error_messages={"invalid_choice": CHOOSE},
        widget=FastSelect,
    )
    time = forms.ChoiceField(
        required=False,
        label="Time of day",
        choices=[("", "Any time"), *[(k, v[0]) for k, v in TIMES_OF_DAY.items()]],
        error_messages={"invalid_choice": CHOOSE},
        widget=FastSelect,
    )
    type = forms.ChoiceField(
        required=False,
        label="Kind of meeting",
        error_messages={"invalid_choice": CHOOSE},
        widget=FastSelect,
    )
    attendance = forms.ChoiceField(
        required=False,
        label="How to attend",
        choices=[
            ("", "In person or online"),
            (Attendance.IN_PERSON, "In person"),
            (Attendance.ONLINE, "Online"),
            (Attendance.HYBRID, "Both (hybrid)"),
        ],
        error_messages={"invalid_choice": CHOOSE},
        widget=FastSelect,
    )
    near = forms.CharField(
        required=False,
        max_length=60,
        label="Near (ZIP code)",
        help_text="A 5-digit ZIP code.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    radius = forms.TypedChoiceField(
        required=False,
        coerce=int,
        choices=RADIUS_CHOICES,
        initial=10,
        empty_value=None,
        label="Within",
        error_messages={"invalid_choice": CHOOSE},
        widget=FastSelect,
    )
    soon = forms.BooleanField(required=False, label="Starting in the next hour")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["type"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "Any kind"), *type_names().items()]

    def clean_near(self) -> Place | None:
        text = self.cleaned_data.get("near", "").strip()
        if not text:
            return None
        try:
            return place_from_text(text)
        except PlaceNotFound as exc:
            raise forms.ValidationError(str(exc)) from exc

    def filters(self) -> MeetingFilters:
        data = self.cleaned_data
        return MeetingFilters(
            day=data.get("day"),
            time_of_day=data.get("time") or "",
            type_code=data.get("type") or "",
            attendance=data.get("attendance") or "",
            place=data.get("near"),
            radius_miles=float(data.get("radius") or 10),
            starting_soon=bool(data.get("soon")),
            text=(data.get("q") or "").strip(),
        )
