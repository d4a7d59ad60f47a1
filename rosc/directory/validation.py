"""Checks of what staff type into a listing. Forms show the message next to the field; the
services run the same checks, so nothing unchecked is saved whoever calls them."""

import re
from datetime import date, time

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

_PHONE_CHARS = re.compile(r"^\+?[0-9 ().\-/]+$")
# N11 service codes and the 988 crisis line are real directory numbers.
SHORT_CODES = frozenset({"211", "311", "411", "511", "611", "711", "811", "911", "988"})


def clean_phone(text: str) -> str:
    """A phone number as published: trimmed, spaces collapsed. ValidationError when it cannot be
    dialled: a North American number has 10 digits (or 11 starting with 1) and an area code not
    starting with 0 or 1; an international one starts with + and has 8 to 15 digits."""
    number = " ".join(text.split())
    if not number:
        raise ValidationError("Enter a phone number.", code="required")
    if not _PHONE_CHARS.match(number):
        raise ValidationError(
            "Use digits, spaces, brackets, dots or dashes only (put an extension in its own box).",
            code="phone_chars",
        )
    digits = re.sub(r"\D", "", number)
    if number.startswith("+"):
        if not 8 <= len(digits) <= 15:
            raise ValidationError(
                "An international number has 8 to 15 digits after the +.", code="phone_length"
            )
        return number
    if digits in SHORT_CODES:
        return number
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        raise ValidationError(
            "Enter a 10-digit number with its area code, like 217-555-0142.", code="phone_length"
        )
    if digits[0] in "01":
        raise ValidationError("An area code cannot start with 0 or 1.", code="phone_area")
    return number


def clean_email(text: str) -> str:
    value = text.strip()
    if value:
        EmailValidator(message="Enter an e-mail address like name@example.org.")(value)
    return value


def clean_url(text: str) -> str:
    value = text.strip()
    if value:
        URLValidator(
            schemes=["http", "https"],
            message="Enter a web address that starts with https:// or http://.",
        )(value)
    return value


def check_coordinates(latitude: float | None, longitude: float | None) -> None:
    errors = {}
    if (latitude is None) != (longitude is None):
        which = "latitude" if latitude is None else "longitude"
        errors[which] = "Enter both latitude and longitude, or neither."
    if latitude is not None and not -90 <= latitude <= 90:
        errors["latitude"] = "Latitude is between -90 and 90."
    if longitude is not None and not -180 <= longitude <= 180:
        errors["longitude"] = "Longitude is between -180 and 180."
    if errors:
        raise ValidationError(errors)


def check_hours(
    opens_at: time | None, closes_at: time | None, *, past_midnight: bool = False
) -> None:
    """Closing comes after opening, unless the hours run past midnight and say so."""
    if opens_at is None and closes_at is None:
        return
    if opens_at is None or closes_at is None:
        which = "opens_at" if opens_at is None else "closes_at"
        raise ValidationError({which: "Enter both the opening and the closing time."})
    if closes_at == opens_at:
        raise ValidationError({"closes_at": "The closing time is the same as the opening time."})
    if closes_at < opens_at and not past_midnight:
        raise ValidationError(
            {
                "closes_at": "The closing time is before the opening time. If these hours run "
                "past midnight, tick “Closes after midnight”."
            }
        )
    if closes_at > opens_at and past_midnight:
        raise ValidationError(
            {"past_midnight": "These hours end on the same day: untick “Closes after midnight”."}
        )


def check_dates(valid_from: date | None, valid_to: date | None) -> None:
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": "The end date is before the start date."})
