"""Referral forms: making a referral, moving it along, a progress note, the overdue settings.

The services check everything again (and finally); the forms turn choices into records and
put each service error next to its field.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from rosc.accounts.models import Organization
from rosc.consent.models import Category, Purpose
from rosc.core.ids import uuid_or_none
from rosc.directory.models import Service
from rosc.people.models import LifeDomain
from rosc.referrals.models import StatusReason, Urgency
from rosc.referrals.overdue import MAX_DAYS, MIN_DAYS
from rosc.referrals.services import MAX_NOTE
from rosc.referrals.snapshot import SHAREABLE
from rosc.referrals.transitions import Move

# Purposes a referral is usually made for (justice referrals have their own pages).
REFERRAL_PURPOSES = (Purpose.REFERRAL, Purpose.CARE_COORDINATION, Purpose.TREATMENT)
CHOOSABLE_CATEGORIES = [(c, Category(c).label) for c in SHAREABLE if c != Category.REFERRAL_DETAILS]

Choices = list[tuple[str, Any]]


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Each service message next to its field; a message about a field the form does not
    have goes to the top of the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class ReferralForm(forms.Form):
    recipient_organization = forms.CharField(
        label="Refer to: organization", required=False, widget=forms.Select
    )
    recipient_service = forms.CharField(
        label="One of their services (optional)", required=False, widget=forms.Select
    )
    need = forms.ChoiceField(
        label="What this referral is for",
        choices=[("", "Choose a life domain"), *LifeDomain.choices],
        required=False,
    )
    urgency = forms.ChoiceField(
        label="How urgent",
        choices=Urgency.choices,
        initial=Urgency.ROUTINE,
        required=False,
        widget=forms.RadioSelect,
    )
    purpose = forms.ChoiceField(
        label="Why the information is shared",
        choices=[(p, Purpose(p).label) for p in REFERRAL_PURPOSES],
        initial=Purpose.REFERRAL,
        required=False,
        widget=forms.RadioSelect,
        help_text="The person's consent must be for this purpose.",
    )
    note_for_recipient = forms.CharField(
        label="Note for the organization you refer to (optional)",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What would help them reach and welcome the person. They will read it.",
    )
    categories = forms.MultipleChoiceField(
        label="What to share",
        choices=CHOOSABLE_CATEGORIES,
        initial=[Category.IDENTITY_CONTACT],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The referral details above are always shared. Notes from contacts never are.",
    )

    def __init__(
        self,
        *args: Any,
        organization_choices: Choices,
        service_choices: Choices,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["recipient_organization"]
        org_field.widget.choices = [("", "Choose an organization"), *organization_choices]
        service_field = self.fields["recipient_service"]
        service_field.widget.choices = [("", "No particular service"), *service_choices]

    def clean_recipient_organization(self) -> Organization | None:
        value = (self.cleaned_data.get("recipient_organization") or "").strip()
        if not value:
            return None
        key = uuid_or_none(value)
        org = Organization.objects.filter(public_id=key, is_active=True).first() if key else None
        if org is None:
            raise ValidationError("Choose an organization from the list.")
        return org

    def clean_recipient_service(self) -> Service | None:
        value = (self.cleaned_data.get("recipient_service") or "").strip()
        if not value:
            return None
        key = uuid_or_none(value)
        service = Service.objects.filter(public_id=key).first() if key else None
        if service is None:
            raise ValidationError("Choose a service from the list.")
        return service

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "recipient_organization": data.get("recipient_organization"),
            "recipient_service": data.get("recipient_service"),
            "need": data.get("need") or "",
            "urgency": data.get("urgency") or Urgency.ROUTINE,
            "purpose": data.get("purpose") or Purpose.REFERRAL,
            "note_for_recipient": data.get("note_for_recipient") or "",
            "categories": list(data.get("categories") or []),
        }


class MoveForm(forms.Form):
    """One move of the transition table: a coded reason and/or a few words, as it requires."""

    reason = forms.ChoiceField(label="Reason", required=False)
    text = forms.CharField(
        label="In a few words",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, move: Move, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", move.to)
        super().__init__(*args, **kwargs)
        self.move = move
        if move.reasons:
            reason = self.fields["reason"]
            assert isinstance(reason, forms.ChoiceField)
            reason.choices = [
                ("", "Choose a reason"),
                *[(r, StatusReason(r).label) for r in move.reasons],
            ]
        else:
            del self.fields["reason"]
        if move.needs_text:
            self.fields["text"].label = "Why, in a few words"
        elif move.reasons:
            self.fields["text"].label = "In a few words (needed for “Another reason”)"
        else:
            del self.fields["text"]


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Progress note",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Both organizations see it. Share only what the person agreed to.",
    )


class EnrolForm(forms.Form):
    confirmed_not_duplicate = forms.BooleanField(
        label="This is a different person", required=False, widget=forms.HiddenInput
    )

    def ask_about_duplicates(self) -> None:
        self.fields["confirmed_not_duplicate"].widget = forms.CheckboxInput()


class ReferralSettingsForm(forms.Form):
    open_within_business_days = forms.IntegerField(
        label="Flag a referral not opened within (business days)",
        required=False,
        widget=forms.NumberInput(attrs={"min": MIN_DAYS, "max": MAX_DAYS}),
        help_text=f"From {MIN_DAYS} to {MAX_DAYS}. Business days are Monday to Friday.",
    )
    respond_within_business_days = forms.IntegerField(
        label="Flag a referral not accepted or declined within (business days)",
        required=False,
        widget=forms.NumberInput(attrs={"min": MIN_DAYS, "max": MAX_DAYS}),
        help_text=f"From {MIN_DAYS} to {MAX_DAYS}.",
    )
