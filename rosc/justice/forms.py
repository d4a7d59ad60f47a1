"""Forms for reentry and diversion. The services check everything and name the field."""

from typing import Any

from django import forms

from rosc.accounts.models import Organization
from rosc.consent.models import Category, Purpose
from rosc.justice.models import ContactKind, Pathway, ReportEvery
from rosc.people.models import LifeDomain
from rosc.referrals.models import Urgency
from rosc.referrals.snapshot import SHAREABLE

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SHARE_CHOICES = [(c, Category(c).label) for c in SHAREABLE if c != Category.REFERRAL_DETAILS]


def recipients(own: Organization) -> Any:
    return Organization.objects.filter(is_active=True).exclude(pk=own.pk).order_by("name")


class _JusticeReferralForm(forms.Form):
    recipient_organization = forms.ModelChoiceField(
        label="Refer to (the recovery community organization)",
        queryset=Organization.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label="— Choose an organization —",
    )
    need = forms.ChoiceField(
        label="Main need", choices=LifeDomain.choices, initial=LifeDomain.RECOVERY_WELLNESS
    )
    urgency = forms.ChoiceField(label="How soon", choices=Urgency.choices, initial=Urgency.SOON)
    note_for_recipient = forms.CharField(
        label="Note for the organization (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Write only what the person agreed to share.",
    )
    categories = forms.MultipleChoiceField(
        label="Also share (referral details are always shared)",
        choices=SHARE_CHOICES,
        required=False,
        initial=[Category.IDENTITY_CONTACT],
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.ChoiceField(
        label="The consent this referral relies on is for",
        choices=[
            (Purpose.REFERRAL, Purpose.REFERRAL.label),
            (Purpose.JUSTICE, Purpose.JUSTICE.label),
        ],
        initial=Purpose.REFERRAL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recipient_organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = recipients(organization)

    def referral_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "recipient_organization": data["recipient_organization"],
            "need": data["need"],
            "urgency": data["urgency"],
            "note_for_recipient": data["note_for_recipient"] or "",
            "categories": list(data["categories"]),
            "purpose": data["purpose"],
        }


class ReentryReferralForm(_JusticeReferralForm):
    facility_name = forms.CharField(label="Jail or prison", max_length=200, required=False)
    expected_release_on = forms.DateField(
        label="Expected release date", required=False, widget=DATE
    )

    field_order = ["recipient_organization", "facility_name", "expected_release_on"]


class DiversionReferralForm(_JusticeReferralForm):
    pathway = forms.ChoiceField(
        label="Pathway", choices=[("", "— Choose —"), *Pathway.choices], required=False
    )
    report_every_days = forms.TypedChoiceField(
        label="Progress reports",
        choices=ReportEvery.choices,
        coerce=int,
        initial=ReportEvery.MONTH,
    )

    field_order = ["recipient_organization", "pathway", "report_every_days"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purpose"].initial = Purpose.JUSTICE
        self.fields["urgency"].initial = Urgency.ROUTINE


class ReleaseForm(forms.Form):
    released_on = forms.DateField(label="Released on", required=False, widget=DATE)
    released_time = forms.TimeField(
        label="At (time, if known)",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Without a time, the 72 hours count from the start of that day.",
    )


class ChecklistForm(forms.Form):
    """One item's tick; the item and done/not done come as plain hidden inputs (the form is
    prefixed with the item, so each item's fields have their own ids on the page)."""

    done_on = forms.DateField(label="Done on", required=False, widget=DATE)
    note = forms.CharField(label="Note (optional)", required=False, max_length=500)


class ContactForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label="When",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    kind = forms.ChoiceField(
        label="Kind of contact", choices=[("", "— Choose —"), *ContactKind.choices], required=False
    )
    note = forms.CharField(
        label="Note (optional, for your organization only)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
