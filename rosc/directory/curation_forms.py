"""Forms of the staff pages that keep listings true. Each check says what to fix, by the field."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from rosc.accounts.models import Organization, RecoveryPathway
from rosc.directory import validation
from rosc.directory.models import Schedule, Service
from rosc.directory.selectors import recovery_terms

PHONE_TYPES = [
    ("voice", "Voice"),
    ("text", "Text messages"),
    ("cell", "Mobile"),
    ("fax", "Fax"),
    ("textphone", "Textphone (TTY)"),
    ("video", "Video"),
    ("pager", "Pager"),
]
ACCEPTING = [("", "Not known"), ("yes", "Yes, welcoming new people"), ("no", "Not right now")]


def _text(label: str, *, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=2000, **kwargs)


def _area(label: str, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        **kwargs,
    )


class ListingForm(forms.Form):
    """The organization's HSDS fields and ROSC Hub's recovery extensions."""

    name = _text("Name", required=True)
    alternate_name = _text("Other name", help_text="Another name people know it by.")
    description = _area("Description")
    email = forms.CharField(
        label="E-mail",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    url = forms.CharField(
        label="Website",
        required=False,
        max_length=500,
        widget=forms.URLInput(),
        help_text="Starts with https://",
    )
    kind = forms.ChoiceField(label="Kind of organization", choices=Organization.Kind.choices)
    peer_led = forms.BooleanField(
        label="Peer-led: run by and for people with lived experience of recovery", required=False
    )
    recovery_pathways = forms.MultipleChoiceField(
        label="Recovery pathways supported",
        required=False,
        choices=RecoveryPathway.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Every pathway is equal: choose all that apply.",
    )
    accepting_new_people = forms.ChoiceField(
        label="Accepting new people", required=False, choices=ACCEPTING
    )
    capacity_note = _area("Capacity note", help_text="For example waiting times or group sizes.")
    year_incorporated = forms.IntegerField(
        label="Year incorporated", required=False, min_value=1800, max_value=2100
    )
    legal_status = _text("Legal status")
    tax_status = _text("Tax status")
    tax_id = _text("Tax id")

    def clean_email(self) -> str:
        return validation.clean_email(self.cleaned_data["email"])

    def clean_url(self) -> str:
        return validation.clean_url(self.cleaned_data["url"])

    @classmethod
    def initial_for(cls, org: Organization) -> dict[str, Any]:
        data = {name: getattr(org, name) for name in cls.base_fields if hasattr(org, name)}
        data["accepting_new_people"] = {None: "", True: "yes", False: "no"}[
            org.accepting_new_people
        ]
        return data

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["accepting_new_people"] = {"": None, "yes": True, "no": False}[
            data["accepting_new_people"]
        ]
        return data


class ServiceForm(forms.Form):
    name = _text("Service name", required=True)
    description = _area("Description")
    status = forms.ChoiceField(label="Status", choices=Service.Status.choices)
    url = forms.CharField(
        label="Website",
        required=False,
        max_length=500,
        widget=forms.URLInput(),
        help_text="Starts with https://",
    )
    email = forms.CharField(
        label="E-mail", required=False, max_length=254, widget=forms.EmailInput()
    )
    languages = _text(
        "Languages", help_text="Separate them with commas, for example: English, Spanish, ASL."
    )
    free = forms.BooleanField(label="Free of charge", required=False)
    fees_description = _text("About the cost", help_text="For example: sliding scale.")
    needs = forms.MultipleChoiceField(
        label="Kinds of help offered",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="People searching by kind of help find the service under these.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needs = self.fields["needs"]
        assert isinstance(needs, forms.MultipleChoiceField)
        needs.choices = [(str(t.public_id), t.name) for t in recovery_terms()]

    def clean_email(self) -> str:
        return validation.clean_email(self.cleaned_data["email"])

    def clean_url(self) -> str:
        return validation.clean_url(self.cleaned_data["url"])

    @classmethod
    def initial_for(cls, service: Service) -> dict[str, Any]:
        data = {n: getattr(service, n) for n in cls.base_fields if hasattr(service, n)}
        data["languages"] = ", ".join(sorted(lang.name for lang in service.languages.all()))
        data["free"] = any(c.amount == 0 for c in service.cost_options.all())
        data["needs"] = [str(a) for a in service_need_ids(service)]
        return data

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            k: data[k]
            for k in ("name", "description", "status", "url", "email", "fees_description")
        }

    def extras(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "languages": [x for x in data["languages"].split(",") if x.strip()],
            "free": data["free"],
            "needs": [forms.UUIDField().to_python(n) for n in data["needs"]],
        }


def service_need_ids(service: Service) -> list[Any]:
    from rosc.directory.models import Attribute

    return list(
        Attribute.objects.filter(link_id=service.public_id, link_entity="service").values_list(
            "taxonomy_term_id", flat=True
        )
    )


class PhoneForm(forms.Form):
    public_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    number = forms.CharField(
        label="Phone number",
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    extension = forms.IntegerField(label="Extension", required=False, min_value=0, max_value=10**9)
    type = forms.ChoiceField(label="Kind of line", choices=PHONE_TYPES, initial="voice")
    description = _text("Note", help_text="For example: after-hours line.")

    def clean_number(self) -> str:
        return validation.clean_phone(self.cleaned_data["number"])

    def row(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["extension"] = float(data["extension"]) if data["extension"] is not None else None
        return data


class ScheduleForm(forms.Form):
    public_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    byday = forms.MultipleChoiceField(
        label="Days", choices=Schedule.Weekday.choices, widget=forms.CheckboxSelectMultiple
    )
    opens_at = forms.TimeField(label="Opens at", widget=forms.TimeInput(attrs={"type": "time"}))
    closes_at = forms.TimeField(label="Closes at", widget=forms.TimeInput(attrs={"type": "time"}))
    past_midnight = forms.BooleanField(label="Closes after midnight", required=False)
    valid_from = forms.DateField(
        label="From (optional)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label="Until (optional)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = _text("Note", help_text="For example: closed on public holidays.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            validation.check_hours(
                data.get("opens_at"),
                data.get("closes_at"),
                past_midnight=bool(data.get("past_midnight")),
            )
            validation.check_dates(data.get("valid_from"), data.get("valid_to"))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, messages)
        return data

    @classmethod
    def initial_for(cls, schedule: Schedule) -> dict[str, Any]:
        opens, closes = schedule.opens_at, schedule.closes_at
        return {
            "public_id": schedule.public_id,
            "byday": [d.strip()[-2:] for d in schedule.byday.split(",") if d.strip()],
            "opens_at": opens,
            "closes_at": closes,
            "past_midnight": bool(opens and closes and closes < opens),
            "valid_from": schedule.valid_from,
            "valid_to": schedule.valid_to,
            "description": schedule.description,
        }

    def row(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["byday"] = ",".join(data["byday"])
        return data


class PhoneFormSet(forms.formset_factory(PhoneForm, extra=1, can_delete=True, max_num=20)):  # type: ignore[misc]
    title = "Phone"


class ScheduleFormSet(forms.formset_factory(ScheduleForm, extra=1, can_delete=True, max_num=30)):  # type: ignore[misc]
    title = "Hours"


def kept_rows(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    """The rows to keep: filled in and not marked for removal."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.initial:
            continue
        if formset.can_delete and form.cleaned_data.get("DELETE"):
            continue
        rows.append(form.row())
    return rows


class LocationForm(forms.Form):
    name = _text("Name of the place", required=True)
    description = _area("Description")
    address_1 = _text("Street address", required=True)
    address_2 = _text("Address line 2")
    city = _text("City", required=True)
    state_province = _text("State", required=True, initial="IL")
    postal_code = forms.RegexField(
        label="ZIP code",
        regex=r"^\d{5}(-\d{4})?$",
        error_messages={"invalid": "Enter a 5-digit ZIP code, like 62701."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    country = forms.RegexField(
        label="Country code",
        regex=r"^[A-Za-z]{2}$",
        initial="US",
        error_messages={"invalid": "Enter a two-letter country code, like US."},
    )
    latitude = forms.FloatField(
        label="Latitude",
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        help_text="Between -90 and 90, for example 39.7990.",
    )
    longitude = forms.FloatField(
        label="Longitude",
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        help_text="Between -180 and 180, for example -89.6440.",
    )
    transportation = _text("Getting there", help_text="Bus routes, parking.")
    services = forms.MultipleChoiceField(
        label="Services offered here", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, services: list[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service_list = services
        field = self.fields["services"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(s.public_id), s.name) for s in services]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            validation.check_coordinates(data.get("latitude"), data.get("longitude"))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field not in self.errors:
                    self.add_error(field, messages)
        return data

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            k: data[k] for k in ("name", "description", "latitude", "longitude", "transportation")
        }

    def address(self) -> dict[str, Any]:
        data = self.cleaned_data
        address = {
            k: data[k] for k in ("address_1", "address_2", "city", "state_province", "postal_code")
        }
        address["country"] = data["country"].upper()
        return address

    def chosen_services(self) -> list[Service]:
        chosen = set(self.cleaned_data["services"])
        return [s for s in self.service_list if str(s.public_id) in chosen]


class MergeForm(forms.Form):
    into = forms.UUIDField(widget=forms.HiddenInput)


class UploadForm(forms.Form):
    file = forms.FileField(
        label="HSDS file",
        help_text="A datapackage as a .zip (datapackage.json and CSV files) or HSDS .json.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.json,application/zip"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".zip", ".json")):
            raise ValidationError("Upload a .zip datapackage or a .json file.")
        if upload.size and upload.size > 200 * 1024 * 1024:
            raise ValidationError("The file is larger than 200 MB.")
        return upload


class ManagerSearchForm(forms.Form):
    q = forms.CharField(
        label="Find an organization",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
