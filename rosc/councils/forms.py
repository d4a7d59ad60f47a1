"""Council forms: a roster entry, a meeting schedule in plain words, one meeting's records.

The schedule form turns "every month on the second Tuesday, 10:00-11:30" into an RRULE; the
services check everything again and their errors are put next to the fields here.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from rosc.accounts.models import Organization
from rosc.councils.models import CouncilMember, CouncilRole, MinutesStatus, Sector
from rosc.councils.recurrence import WEEKDAYS, monthly_rule, weekly_rule

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

WEEKDAY_CHOICES = list(
    zip(
        WEEKDAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
WEEK_CHOICES = [("1", "first"), ("2", "second"), ("3", "third"), ("4", "fourth"), ("-1", "last")]
FREQUENCY_CHOICES = [
    ("monthly", "Every month, on a week of the month"),
    ("weekly", "Every week"),
    ("biweekly", "Every other week"),
    ("custom", "Another rule (RFC 5545 RRULE)"),
]


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Each service message next to its field; others at the top of the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class MemberForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    email = forms.EmailField(label="E-mail (optional)", required=False)
    organization = forms.ModelChoiceField(
        label="Organization (optional)",
        queryset=Organization.objects.filter(is_active=True).order_by("name"),
        required=False,
        to_field_name="public_id",
    )
    sector = forms.ChoiceField(label="Sector", choices=[("", "Choose a sector"), *Sector.choices])
    council_role = forms.ChoiceField(
        label="Role on the council", choices=CouncilRole.choices, initial=CouncilRole.MEMBER
    )
    active_from = forms.DateField(label="Member from", widget=DATE)
    active_to = forms.DateField(label="Member until (optional)", required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("active_from"), data.get("active_to")
        if start and end and end < start:
            self.add_error("active_to", "The end of membership is before its start.")
        return data

    @classmethod
    def initial_of(cls, member: CouncilMember) -> dict[str, Any]:
        return {
            "name": member.name,
            "email": member.email,
            "organization": member.organization.public_id if member.organization else None,
            "sector": member.sector,
            "council_role": member.council_role,
            "active_from": member.active_from,
            "active_to": member.active_to,
        }


class ScheduleForm(forms.Form):
    title = forms.CharField(label="Name of the meeting", max_length=200, initial="Council meeting")
    frequency = forms.ChoiceField(
        label="How often", choices=FREQUENCY_CHOICES, initial="monthly", widget=forms.RadioSelect
    )
    week = forms.ChoiceField(
        label="Week of the month (monthly)", choices=WEEK_CHOICES, initial="2", required=False
    )
    weekday = forms.ChoiceField(label="Day of the week", choices=WEEKDAY_CHOICES, initial="TU")
    rrule = forms.CharField(
        label="Rule (for “another rule”)",
        required=False,
        max_length=300,
        help_text="For example FREQ=MONTHLY;BYMONTHDAY=15. Start, end and count go below.",
    )
    start_date = forms.DateField(label="Starting on", widget=DATE)
    start_time = forms.TimeField(label="From", widget=TIME)
    end_time = forms.TimeField(label="To", widget=TIME)
    until = forms.DateField(label="Last date (optional)", required=False, widget=DATE)
    count = forms.IntegerField(
        label="Or: number of meetings (optional)", required=False, min_value=1, max_value=1000
    )
    address = forms.CharField(label="Address (in person)", required=False, max_length=300)
    online_url = forms.URLField(label="Online meeting link", required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        frequency, weekday = data.get("frequency"), data.get("weekday")
        if frequency == "monthly" and weekday:
            week = data.get("week") or ""
            if not week:
                self.add_error("week", "Choose the week of the month.")
            else:
                data["rule"] = monthly_rule(weekday=weekday, week=int(week))
        elif frequency in ("weekly", "biweekly") and weekday:
            data["rule"] = weekly_rule(
                weekday=weekday, interval=2 if frequency == "biweekly" else 1
            )
        elif frequency == "custom":
            if not data.get("rrule"):
                self.add_error("rrule", "Write the rule, or choose one of the simple schedules.")
            else:
                data["rule"] = data["rrule"]
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The meeting ends before it starts.")
        first, last = data.get("start_date"), data.get("until")
        if first and last and last < first:
            self.add_error("until", "The last date is before the first.")
        if last and data.get("count"):
            self.add_error("count", "Give a last date or a number of meetings, not both.")
        if not data.get("address") and not data.get("online_url"):
            self.add_error("address", "Give an address, an online link, or both.")
        return data

    @classmethod
    def initial_of(cls, series: Any) -> dict[str, Any]:
        rule = series.rrule
        initial: dict[str, Any] = {
            "title": series.title,
            "frequency": "custom",
            "rrule": rule,
            "start_date": series.first_date,
            "start_time": series.start_time,
            "end_time": series.end_time,
            "until": series.until,
            "count": series.count,
            "address": series.address,
            "online_url": series.online_url,
        }
        for code, _ in WEEKDAY_CHOICES:
            for week, _label in WEEK_CHOICES:
                if rule == monthly_rule(weekday=code, week=int(week)):
                    initial.update(frequency="monthly", week=week, weekday=code, rrule="")
            if rule == weekly_rule(weekday=code):
                initial.update(frequency="weekly", weekday=code, rrule="")
            if rule == weekly_rule(weekday=code, interval=2):
                initial.update(frequency="biweekly", weekday=code, rrule="")
        return initial


class WhenForm(forms.Form):
    """A moved or an extra date, in the council's time zone."""

    date = forms.DateField(label="Date", widget=DATE)
    start_time = forms.TimeField(label="From", widget=TIME)
    end_time = forms.TimeField(label="To", widget=TIME)
    address = forms.CharField(
        label="Address (empty: the usual place)", required=False, max_length=300
    )
    online_url = forms.URLField(
        label="Online link (empty: the usual link)", required=False, max_length=200
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The meeting ends before it starts.")
        return data


class AgendaForm(forms.Form):
    agenda = forms.CharField(
        label="Agenda", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )


class MemberChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_council_role_display()})"


class AttendanceForm(forms.Form):
    members = MemberChoices(
        label="Who came",
        queryset=CouncilMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="public_id",
    )
    guests = forms.CharField(
        label="Guests not on the roster (one a line)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = members


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="Minutes", required=False, max_length=50000, widget=forms.Textarea(attrs={"rows": 10})
    )


class MinutesStatusForm(forms.Form):
    status = forms.ChoiceField(choices=MinutesStatus.choices)


class ActionItemForm(forms.Form):
    text = forms.CharField(label="Action", max_length=500)
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=CouncilMember.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label="Nobody yet",
    )
    due_on = forms.DateField(label="Due by (optional)", required=False, widget=DATE)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = members
