"""Forms of the training pages. The services check everything again."""

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django import forms

from rosc.accounts.models import Membership, Organization
from rosc.training.models import Course, CredentialCategory, Delivery, Session, SessionStatus
from rosc.training.services import SessionData, category_hours_problems

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CourseForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    topic = forms.CharField(label="Topic (optional)", max_length=200, required=False)
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    contact_hours = forms.DecimalField(
        label="Contact hours",
        help_text="The course's total hours, for example 6 or 1.5.",
        max_digits=5,
        decimal_places=2,
    )

    def __init__(self, *args: Any, course: Course | None = None, **kwargs: Any) -> None:
        self.categories = list(CredentialCategory.objects.filter(is_active=True))
        if course is not None:
            have = {c.category_id: c.hours for c in course.category_hours.all()}
            kwargs.setdefault(
                "initial",
                {
                    "title": course.title,
                    "topic": course.topic,
                    "description": course.description,
                    "contact_hours": course.contact_hours,
                    **{f"hours_{c.slug}": have.get(c.pk) for c in self.categories},
                },
            )
        super().__init__(*args, **kwargs)
        for c in self.categories:
            self.fields[f"hours_{c.slug}"] = forms.DecimalField(
                label=f"{c.name} (hours)",
                required=False,
                max_digits=5,
                decimal_places=2,
                min_value=Decimal("0"),
            )

    def category_fields(self) -> list[forms.BoundField]:
        return [self[f"hours_{c.slug}"] for c in self.categories]

    def category_hours(self) -> dict[CredentialCategory, Decimal]:
        data = self.cleaned_data
        return {c: data.get(f"hours_{c.slug}") or Decimal("0") for c in self.categories}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "contact_hours" in data and not self.has_error("contact_hours"):
            problems = category_hours_problems(data["contact_hours"], self.category_hours())
            for name, message in problems.items():
                self.add_error(None if name == "__all__" else name, message)
        return data

    def service_arguments(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "topic": d["topic"],
            "description": d["description"],
            "contact_hours": d["contact_hours"],
            "category_hours": self.category_hours(),
        }


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The aware moment of a wall-clock time in a zone; None when the clocks skip it (DST)."""
    moment = datetime.combine(day, at, tzinfo=zone)
    back = moment.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise forms.ValidationError(
            "The clocks change at that time and it does not exist on that day; choose another."
        )
    return moment


class SessionForm(forms.Form):
    start_date = forms.DateField(label="Date", widget=DATE_INPUT)
    start_time = forms.TimeField(label="Starts at", widget=TIME_INPUT)
    end_date = forms.DateField(
        label="Last day (optional)",
        required=False,
        widget=DATE_INPUT,
        help_text="For a course given over several days. Leave empty for a one-day session.",
    )
    end_time = forms.TimeField(label="Ends at", widget=TIME_INPUT)
    delivery = forms.ChoiceField(label="How it is given", choices=Delivery.choices)
    place = forms.CharField(label="Place or online link (optional)", max_length=300, required=False)
    capacity = forms.IntegerField(
        label="Seats (optional)",
        min_value=1,
        required=False,
        help_text="Leave empty for no limit.",
    )
    trainers = forms.CharField(label="Trainers (optional)", max_length=300, required=False)
    co_hosts = forms.ModelMultipleChoiceField(
        label="Co-hosts (optional)",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Other organizations that host this session with you.",
    )
    status = forms.ChoiceField(label="Status", choices=SessionStatus.choices)

    def __init__(
        self, *args: Any, owner: Organization, session: Session | None = None, **kwargs: Any
    ) -> None:
        self.zone = ZoneInfo(session.time_zone if session else owner.time_zone)
        if session is not None:
            start, end = (
                session.starts_at.astimezone(self.zone),
                session.ends_at.astimezone(self.zone),
            )
            kwargs.setdefault(
                "initial",
                {
                    "start_date": start.date(),
                    "start_time": start.time(),
                    "end_date": end.date() if end.date() != start.date() else None,
                    "end_time": end.time(),
                    "delivery": session.delivery,
                    "place": session.place,
                    "capacity": session.capacity,
                    "trainers": session.trainers,
                    "co_hosts": [h.pk for h in session.hosts.all() if h.pk != owner.pk],
                    "status": session.status,
                },
            )
        super().__init__(*args, **kwargs)
        hosts = self.fields["co_hosts"]
        assert isinstance(hosts, forms.ModelMultipleChoiceField)
        hosts.queryset = Organization.objects.filter(is_active=True).exclude(pk=owner.pk)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, end = data.get("start_date"), data.get("start_time"), data.get("end_time")
        last = data.get("end_date") or day
        if day and start:
            try:
                data["starts_at"] = local_moment(day, start, self.zone)
            except forms.ValidationError as exc:
                self.add_error("start_time", exc)
        if last and end:
            if day and last < day:
                self.add_error("end_date", "The last day cannot be before the first.")
                return data
            try:
                data["ends_at"] = local_moment(last, end, self.zone)
            except forms.ValidationError as exc:
                self.add_error("end_time", exc)
        if "starts_at" in data and "ends_at" in data and data["ends_at"] <= data["starts_at"]:
            self.add_error("end_time", "The session must end after it starts.")
        return data

    def session_data(self) -> SessionData:
        d = self.cleaned_data
        return SessionData(
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            co_hosts=list(d["co_hosts"]),
            delivery=d["delivery"],
            place=d["place"],
            capacity=d["capacity"],
            trainers=d["trainers"],
            status=d["status"],
        )


def default_period(today: date) -> tuple[date, date]:
    """The last two years up to today: the usual span of a credential renewal."""
    return today - relativedelta(years=2), today


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=DATE_INPUT)
    end = forms.DateField(label="To", widget=DATE_INPUT)

    def __init__(self, data: Any, *, today: date) -> None:
        start, end = default_period(today)
        given = {k: data.get(k) for k in ("start", "end") if data.get(k)}
        super().__init__({"start": start.isoformat(), "end": end.isoformat(), **given})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period cannot be before its start.")
        return data

    def period(self, today: date) -> tuple[date, date]:
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return default_period(today)


class ColleagueChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, Membership)
        return f"{obj.user.display_name} ({obj.get_role_display()})"


def colleague_field(org: Organization) -> ColleagueChoice:
    return ColleagueChoice(
        label="Colleague",
        queryset=Membership.objects.active()
        .filter(organization=org)
        .select_related("user")
        .order_by("user__last_name", "user__first_name"),
        to_field_name="public_id",
        empty_label="Choose a colleague",
    )
