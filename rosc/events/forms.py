"""Forms of rosc/events: the hosts' event form, the public registration form and the filters.

Times are typed as the event's local wall-clock time and read in the event's time zone, so a
4 p.m. rally is at 4 p.m. on either side of a daylight-saving change. A time the clocks skip
(2:30 a.m. on the spring-forward night) is refused next to its field.
"""

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms

from rosc.accounts.models import Organization
from rosc.core.timezones import TIME_ZONES
from rosc.councils.models import Council
from rosc.events.models import Event, EventKind, EventStatus
from rosc.events.services import EventData

HONEYPOT = "event_reference"
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.Field):
    """A wall-clock date and time with no zone (an <input type="datetime-local">)."""

    widget = forms.DateTimeInput(format=LOCAL_FORMAT, attrs={"type": "datetime-local"})
    default_error_messages = {"invalid": "Enter a date and time, like 2026-09-19 10:00."}

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        text = str(value).strip().replace(" ", "T")
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if parsed.tzinfo is not None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed.replace(second=0, microsecond=0)


def aware_in(naive: datetime, zone: ZoneInfo) -> datetime | None:
    """`naive` as a wall-clock time in `zone`; None when that time does not exist there."""
    aware = naive.replace(tzinfo=zone)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        return None
    return aware


class EventForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(label="Kind of event", choices=EventKind.choices)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=5000
    )
    starts_at = LocalDateTimeField(label="Starts", help_text="Local time where the event is.")
    ends_at = LocalDateTimeField(label="Ends")
    time_zone = forms.ChoiceField(label="Time zone", choices=TIME_ZONES)
    venue = forms.CharField(label="Place name", max_length=200, required=False)
    address = forms.CharField(
        label="Street address",
        max_length=300,
        required=False,
        help_text="Give a place, an online link, or both.",
    )
    postal_code = forms.RegexField(
        label="ZIP code",
        regex=r"^\d{5}(-\d{4})?$",
        required=False,
        error_messages={"invalid": "Enter a five-digit ZIP code, like 62701."},
    )
    latitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    online_url = forms.URLField(label="Online link", required=False, assume_scheme="https")
    capacity = forms.IntegerField(
        required=False, min_value=1, help_text="Leave empty for no limit."
    )
    registration_open = forms.BooleanField(label="Registration is open", required=False)
    published = forms.BooleanField(label="Show on the public events page", required=False)
    status = forms.ChoiceField(choices=EventStatus.choices, initial=EventStatus.SCHEDULED)
    council = forms.ModelChoiceField(
        queryset=Council.objects.none(), required=False, empty_label="No council"
    )
    other_hosts = forms.ModelMultipleChoiceField(
        label="Other host organizations",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        council_field = self.fields["council"]
        assert isinstance(council_field, forms.ModelChoiceField)
        council_field.queryset = Council.objects.filter(host=organization).order_by("name")
        hosts_field = self.fields["other_hosts"]
        assert isinstance(hosts_field, forms.ModelMultipleChoiceField)
        hosts_field.queryset = (
            Organization.objects.filter(is_active=True).exclude(pk=organization.pk).order_by("name")
        )
        zones = dict(TIME_ZONES)
        own = organization.time_zone
        if own and own not in zones:
            zone_field = self.fields["time_zone"]
            assert isinstance(zone_field, forms.ChoiceField)
            zone_field.choices = [(own, own), *TIME_ZONES]
        if not self.is_bound and "time_zone" not in self.initial:
            self.initial["time_zone"] = own

    @classmethod
    def initial_for(cls, event: Event, organization: Organization) -> dict[str, Any]:
        fields = [
            "title",
            "kind",
            "description",
            "time_zone",
            "venue",
            "address",
            "postal_code",
            "latitude",
            "longitude",
            "online_url",
            "capacity",
            "registration_open",
            "published",
            "status",
        ]
        initial: dict[str, Any] = {f: getattr(event, f) for f in fields}
        initial["starts_at"] = event.local_starts_at.replace(tzinfo=None)
        initial["ends_at"] = event.local_ends_at.replace(tzinfo=None)
        initial["council"] = event.council_id
        initial["other_hosts"] = [h.pk for h in event.hosts.all() if h.pk != organization.pk]
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            zone = ZoneInfo(data.get("time_zone") or "")
        except (ZoneInfoNotFoundError, ValueError):
            return data
        for name in ("starts_at", "ends_at"):
            naive = data.get(name)
            if naive is None:
                continue
            aware = aware_in(naive, zone)
            if aware is None:
                self.add_error(
                    name,
                    "That time does not exist on that day: the clocks go forward. "
                    "Choose a time an hour later.",
                )
                data.pop(name, None)
            else:
                data[name] = aware
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The event must end after it starts.")
        if not (data.get("venue") or data.get("address") or data.get("online_url")):
            self.add_error("address", "Give a place, an online link, or both.")
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", "Give both latitude and longitude, or neither.")
        return data

    def event_data(self) -> EventData:
        d = self.cleaned_data
        return EventData(
            kind=d["kind"],
            title=d["title"].strip(),
            description=d["description"].strip(),
            starts_at=d["starts_at"].astimezone(UTC),
            ends_at=d["ends_at"].astimezone(UTC),
            time_zone=d["time_zone"],
            venue=d["venue"].strip(),
            address=d["address"].strip(),
            postal_code=d["postal_code"] or "",
            latitude=d["latitude"],
            longitude=d["longitude"],
            online_url=d["online_url"],
            capacity=d["capacity"],
            registration_open=d["registration_open"],
            status=d["status"],
            published=d["published"],
            council=d["council"],
        )

    def chosen_hosts(self) -> list[Organization]:
        return list(self.cleaned_data["other_hosts"])


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label="Your name",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Please tell us your name."},
    )
    email = forms.EmailField(
        label="E-mail address",
        help_text="We send your confirmation here, with a link to cancel if plans change.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Please give an e-mail address.",
            "invalid": "Enter an e-mail address like name@example.org.",
        },
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    # The honeypot: its wrapper is hidden from people (visually and from screen readers);
    # bots that fill every field give themselves away.
    event_reference = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    @property
    def honeypot_filled(self) -> bool:
        return bool(str(self.data.get(HONEYPOT, "")).strip())

    def person_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name != HONEYPOT]


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of event", choices=[("", "All kinds"), *EventKind.choices], required=False
    )
    zip = forms.RegexField(
        label="ZIP code",
        regex=r"^\d{3,5}$",
        required=False,
        help_text="All or the first digits of a ZIP code.",
        error_messages={"invalid": "Enter a ZIP code (its first three to five digits)."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
