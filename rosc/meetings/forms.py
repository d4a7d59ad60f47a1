from typing import Any

from django import forms

from rosc.core.timezones import TIME_ZONES
from rosc.core.widgets import FastSelect
from rosc.directory.places import Place, PlaceNotFound, place_from_text
from rosc.meetings.models import Attendance, Meeting
from rosc.meetings.selectors import TIMES_OF_DAY, MeetingFilters
from rosc.meetings.types import DAY_NAMES, type_groups, type_names

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


# --- a meeting an organization enters and keeps ----------------------------------------------

TYPE_FIELD_PREFIX = "types_"


def _http_only(value: str) -> None:
    if value and not value.lower().startswith(("http://", "https://")):
        raise forms.ValidationError("Give a web address starting with https:// (or http://).")


class MeetingForm(forms.Form):
    """The fields of an entered meeting, named as the Meeting Guide keys the service takes
    (types split into one group of checkboxes per kind). The service checks the rest."""

    name = forms.CharField(max_length=255, label="Meeting name")
    day = forms.TypedMultipleChoiceField(
        label="Days",
        coerce=int,
        choices=[(str(i), name) for i, name in enumerate(DAY_NAMES)],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one day.", "invalid_choice": CHOOSE},
    )
    time = forms.TimeField(
        label="Start time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Give the time the meeting starts."},
    )
    end_time = forms.TimeField(
        required=False,
        label="End time",
        help_text="A meeting that runs past midnight: the next morning's time (up to 6 hours).",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    timezone = forms.ChoiceField(label="Time zone", error_messages={"invalid_choice": CHOOSE})
    location = forms.CharField(
        required=False,
        max_length=255,
        label="Place name",
        help_text="The building or room, e.g. “Riverside Community Center, room 2”.",
    )
    address = forms.CharField(
        required=False,
        max_length=255,
        label="Street address",
        help_text="For an in-person meeting. An online-only meeting leaves the address empty.",
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    city = forms.CharField(required=False, max_length=100, label="City")
    state = forms.CharField(required=False, max_length=100, label="State")
    postal_code = forms.CharField(
        required=False,
        max_length=20,
        label="ZIP code",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    conference_url = forms.CharField(
        required=False,
        max_length=1000,
        label="Online meeting link",
        help_text="For an online or hybrid meeting: https://…",
        validators=[_http_only],
        widget=forms.URLInput,
    )
    conference_phone = forms.CharField(
        required=False,
        max_length=100,
        label="Phone number to join",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    group = forms.CharField(required=False, max_length=255, label="Group name")
    region = forms.CharField(
        required=False, max_length=255, label="Region", help_text="e.g. the county or district."
    )
    notes = forms.CharField(required=False, label="Notes", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, time_zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = self.fields["timezone"]
        assert isinstance(zone, forms.ChoiceField)
        zones = list(TIME_ZONES)
        if time_zone and time_zone not in dict(zones):
            zones.insert(0, (time_zone, time_zone))
        zone.choices = zones
        if not self.is_bound and "timezone" not in self.initial:
            self.initial["timezone"] = time_zone
        for key, label, choices in type_groups():
            self.fields[TYPE_FIELD_PREFIX + key] = forms.MultipleChoiceField(
                required=False,
                label=label,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                help_text=TYPE_HELP.get(key, ""),
                error_messages={"invalid_choice": "%(value)s is not a meeting type we know."},
            )

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict[str, Any]:
        initial: dict[str, Any] = {
            key: getattr(meeting, key)
            for key in (
                "name",
                "time",
                "end_time",
                "location",
                "address",
                "city",
                "state",
                "postal_code",
                "conference_url",
                "conference_phone",
                "group",
                "region",
                "notes",
            )
        }
        initial["day"] = [str(d) for d in meeting.days]
        initial["timezone"] = meeting.time_zone
        for key, _label, choices in type_groups():
            codes = {code for code, _name in choices}
            initial[TYPE_FIELD_PREFIX + key] = [c for c in meeting.types if c in codes]
        return initial

    def type_fields(self) -> list[forms.BoundField]:
        return [self[TYPE_FIELD_PREFIX + key] for key, _label, _choices in type_groups()]

    def error_field(self, key: str) -> str | None:
        """The form field for a key of the service's ValidationError (None: the whole form)."""
        if key == "types":
            return TYPE_FIELD_PREFIX + type_groups()[0][0]
        return key if key in self.fields else None

    def row(self) -> dict[str, Any]:
        """The cleaned form as a Meeting Guide row for the services."""
        data = self.cleaned_data
        row: dict[str, Any] = {
            key: data.get(key) or ""
            for key in (
                "name",
                "location",
                "address",
                "city",
                "state",
                "postal_code",
                "conference_url",
                "conference_phone",
                "group",
                "region",
                "notes",
                "timezone",
            )
        }
        row["day"] = list(data.get("day") or [])
        row["time"] = data["time"].strftime("%H:%M")
        end = data.get("end_time")
        row["end_time"] = end.strftime("%H:%M") if end else ""
        row["types"] = [
            code
            for key, _label, _choices in type_groups()
            for code in data.get(TYPE_FIELD_PREFIX + key, [])
        ]
        return row


TYPE_HELP = {
    "open": "Open: anyone may come. Closed: only people who want to stop using or drinking.",
    "closed_now": (
        "How people attend follows from what you fill in below: an address (in person), an "
        "online link or phone (online), or both (hybrid). Tick this when the building is closed "
        "for now but the meeting goes on online."
    ),
}
