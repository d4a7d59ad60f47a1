"""Consent and revocation forms. The service checks every §2.31 element and names the field."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from rosc.accounts.models import Organization
from rosc.consent.models import Category, Purpose


def recipient_choices(own: Organization) -> QuerySet[Organization]:
    """Organizations a consent may name: every other active one."""
    return Organization.objects.filter(is_active=True).exclude(pk=own.pk).order_by("name")


class ConsentForm(forms.Form):
    recipient_organization = forms.ModelChoiceField(
        label="Who may receive the information: an organization",
        queryset=Organization.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label="— No named organization (describe who below) —",
    )
    recipient_class = forms.CharField(
        label="Or: a described class of recipients",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only when no single organization is named, e.g. “my treatment providers”.",
    )
    purpose = forms.ChoiceField(
        label="Why the information may be shared",
        choices=Purpose.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    purpose_detail = forms.CharField(
        label="The purpose in the person's own words (optional unless “Another purpose”)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    categories = forms.MultipleChoiceField(
        label="What information may be shared",
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(
        label="This consent ends on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Give an end date, or leave this empty and describe the ending event below.",
    )
    expiry_event = forms.CharField(
        label="Or: this consent ends when",
        required=False,
        max_length=500,
        help_text="For example: “when I finish the recovery court program”.",
    )
    irrevocable_until = forms.DateField(
        label="Cannot be revoked until (justice-system programs only)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Only for a consent that is a condition of a justice-system diversion or "
        "reentry program (42 CFR §2.35). Leave empty otherwise.",
    )
    irrevocable_until_event = forms.CharField(
        label="Or: cannot be revoked until this happens (justice-system programs only)",
        required=False,
        max_length=500,
        help_text="Leave empty unless the person's justice-system program requires it.",
    )
    right_to_revoke_acknowledged = forms.BooleanField(
        label="The person was told they may revoke this consent at any time, and how",
        required=False,
    )
    signature_name = forms.CharField(
        label="Signature: the signer types their full name",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    signer_relationship = forms.CharField(
        label="Signed for the person by (optional)",
        max_length=100,
        required=False,
        help_text="Leave empty when the person signs for themself; otherwise, e.g. “guardian”.",
    )
    signature_confirmed = forms.BooleanField(
        label="The signer confirms that typing their name here is their signature",
        required=False,
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        recipient = self.fields["recipient_organization"]
        assert isinstance(recipient, forms.ModelChoiceField)
        recipient.queryset = recipient_choices(organization)

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for text in ("recipient_class", "purpose_detail", "expiry_event", "signer_relationship"):
            data[text] = data[text] or ""
        data["irrevocable_until_event"] = data["irrevocable_until_event"] or ""
        return data


class RevokeForm(forms.Form):
    note = forms.CharField(
        label="Note (how and when the person said so)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    irrevocability_event_occurred = forms.BooleanField(
        label="The event that ended the irrevocable period has happened (say so in the note)",
        required=False,
    )


class SignForm(forms.Form):
    """What the person fills in on their own device: the rest was prepared with staff."""

    right_to_revoke_acknowledged = forms.BooleanField(
        label="I understand I may revoke (take back) this consent at any time, and how",
        required=False,
    )
    signature_name = forms.CharField(
        label="Type your full name to sign",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    signer_relationship = forms.CharField(
        label="Signing for someone else? Say how you are related (optional)",
        max_length=100,
        required=False,
        help_text="Leave empty when you sign for yourself; otherwise, e.g. “guardian”.",
    )
    signature_confirmed = forms.BooleanField(
        label="Typing my name here is my signature", required=False
    )
