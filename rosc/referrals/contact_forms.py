"""The contact-me form, its honeypot and its signed form token.

The token (TimestampSigner) names the listing the form was opened on and when: a request sent
sooner than `ROSC_CONTACT_MIN_SECONDS` after opening is a bot's (dropped quietly), one sent more
than a day later is refused with a clear message and the person's input kept.
"""

import time
from enum import StrEnum
from typing import Any

from django import forms
from django.core import signing

from rosc.accounts.models import Organization
from rosc.directory.models import Service
from rosc.people.models import LifeDomain
from rosc.referrals.contact import (
    CONTACT_WAYS,
    MAX_MESSAGE,
    MAX_NAME,
    consent_statement,
    contact_errors,
    contact_min_seconds,
)

TOKEN_SALT = "rosc.referrals.contact-form"
TOKEN_MAX_AGE = 24 * 60 * 60
HONEYPOT = "contact_reference"


class TokenCheck(StrEnum):
    OK = "ok"
    TOO_FAST = "too_fast"
    STALE = "stale"
    INVALID = "invalid"


def listing_key(organization: Organization, service: Service | None) -> str:
    if service is not None:
        return f"service:{service.public_id}"
    return f"organization:{organization.public_id}"


def form_token(listing: str) -> str:
    """A signed token for a form opened now on `listing`."""
    return signing.TimestampSigner(salt=TOKEN_SALT).sign_object({"l": listing, "t": time.time()})


def token_check(token: str, listing: str) -> TokenCheck:
    try:
        data = signing.TimestampSigner(salt=TOKEN_SALT).unsign_object(token, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        return TokenCheck.STALE
    except signing.BadSignature:
        return TokenCheck.INVALID
    if not isinstance(data, dict) or data.get("l") != listing:
        return TokenCheck.INVALID
    issued = data.get("t")
    if not isinstance(issued, int | float):
        return TokenCheck.INVALID
    if time.time() - issued < contact_min_seconds():
        return TokenCheck.TOO_FAST
    return TokenCheck.OK


class ContactForm(forms.Form):
    name = forms.CharField(
        label="Your name",
        max_length=MAX_NAME,
        help_text=(
            "The name you would like them to call you. It does not need to be your legal name."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Please tell us what to call you."},
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=40,
        required=False,
        help_text="Give a phone number, an e-mail address, or both.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label="E-mail address",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Enter an e-mail address like name@example.org."},
    )
    preferred_contact = forms.ChoiceField(
        label="How would you like them to contact you?",
        choices=[(c.value, c.label) for c in CONTACT_WAYS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you would like to be contacted."},
    )
    may_leave_message = forms.BooleanField(
        label="They may leave a message (voicemail, text or e-mail) if I do not answer",
        label_suffix="",
        required=False,
    )
    need = forms.ChoiceField(
        label="What would you like help with? (optional)",
        choices=[("", "Not sure, or general support"), *LifeDomain.choices],
        required=False,
    )
    message = forms.CharField(
        label="Anything you would like them to know (optional)",
        max_length=MAX_MESSAGE,
        required=False,
        help_text=(
            "For example what you are looking for, or good times to reach you. "
            f"Up to {MAX_MESSAGE:,} characters. Please do not include medical details."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"Please keep the message under {MAX_MESSAGE:,} characters."},
    )
    consent_to_contact = forms.BooleanField(
        label="I agree that this organization may contact me about this",
        label_suffix="",
        error_messages={
            "required": (
                "Please tick the box to agree to be contacted: without it they cannot reach out."
            )
        },
    )
    # The honeypot: hidden from people (the template hides its wrapper, visually and from
    # screen readers); bots that fill every field give themselves away.
    contact_reference = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent_to_contact"].label = consent_statement(organization).rstrip(".")

    @property
    def honeypot_filled(self) -> bool:
        return bool(str(self.data.get(HONEYPOT, "")).strip())

    def person_fields(self) -> list[forms.BoundField]:
        """The fields a person fills in, in order (not the honeypot, not the token)."""
        return [self[name] for name in self.fields if name not in (HONEYPOT, "token")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}

        def value(field: str) -> Any:
            # A field that failed its own check is judged on what was typed.
            return self.data.get(field, "") if field in self.errors else data.get(field, "")

        errors, _phone = contact_errors(
            name=" ".join(str(value("name")).split()),
            phone=str(value("phone")).strip(),
            email=str(value("email")).strip(),
            preferred_contact=str(value("preferred_contact")),
            message=str(data.get("message", "")),
            need=str(data.get("need", "")),
            consent_to_contact=bool(data.get("consent_to_contact")),
        )
        for field, message in errors.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "phone": data["phone"],
            "email": data["email"],
            "preferred_contact": data["preferred_contact"],
            "may_leave_message": data["may_leave_message"],
            "message": data["message"],
            "need": data["need"],
            "consent_to_contact": data["consent_to_contact"],
        }
