"""The enrolment form: the Participant fields, checked again (and finally) by the service."""

from typing import Any

from django import forms

from rosc.people.models import (
    ContactMethod,
    JusticeInvolvement,
    LifeDomain,
    LivingSituation,
    RecoveryPathway,
    ReferralSource,
)


def _optional(choices: list[tuple[str, str]], blank: str = "Not said") -> list[tuple[str, str]]:
    return [("", blank), *choices]


class ParticipantForm(forms.Form):
    confirmed_not_duplicate = forms.BooleanField(
        label="This is a different person", required=False, widget=forms.HiddenInput
    )
    legal_first_name = forms.CharField(
        label="First name",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    legal_last_name = forms.CharField(
        label="Last name",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    preferred_name = forms.CharField(
        label="Preferred name (optional)",
        max_length=100,
        required=False,
        help_text="The name they want to be called by, if it is not their first name.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    pronouns = forms.CharField(
        label="Pronouns (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(
        label="Date of birth (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    phone = forms.CharField(
        label="Phone (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label="E-mail (optional)",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    preferred_contact = forms.ChoiceField(
        label="How they like to be contacted",
        choices=_optional(ContactMethod.choices, "No preference"),
        required=False,
    )
    may_leave_message = forms.BooleanField(label="A message may be left", required=False)
    language = forms.CharField(
        label="Language (optional)",
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    recovery_pathways = forms.MultipleChoiceField(
        label="Recovery pathways they choose",
        choices=RecoveryPathway.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Any number; every pathway is valid.",
    )
    living_situation = forms.ChoiceField(
        label="Living situation", choices=_optional(LivingSituation.choices), required=False
    )
    intake_needs = forms.MultipleChoiceField(
        label="Needs at intake, by life domain",
        choices=LifeDomain.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    justice_involvement = forms.ChoiceField(
        label="Justice involvement", choices=_optional(JusticeInvolvement.choices), required=False
    )
    referral_source = forms.ChoiceField(
        label="How they came to us", choices=_optional(ReferralSource.choices), required=False
    )
    referral_source_detail = forms.CharField(
        label="More about how they came to us (optional)", max_length=200, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.data.get("confirmed_not_duplicate") in ("on", "true", "True", "1"):
            self.ask_about_duplicates()

    def ask_about_duplicates(self) -> None:
        """Show the "different person" checkbox (it is hidden until a duplicate is found)."""
        self.fields["confirmed_not_duplicate"].widget = forms.CheckboxInput()

    def service_arguments(self) -> dict[str, Any]:
        """What participant_enrol takes: needs become a domain -> note mapping."""
        data = dict(self.cleaned_data)
        data["intake_needs"] = {domain: "" for domain in data["intake_needs"]}
        return data


class PrimaryPeerForm(forms.Form):
    """Who the person mainly works with: one of the organization's staff who support people."""

    primary_peer = forms.TypedChoiceField(
        label="Primary peer specialist",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="The staff member this person mainly works with. It puts them on that "
        "person's caseload.",
    )

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {u.pk: u for u in candidates}
        field = self.fields["primary_peer"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Nobody in particular")] + [
            (u.pk, u.display_name) for u in candidates
        ]
