"""Every write of check-ins, instruments and check-in settings; each audited in its transaction.

Errors are field errors (a ValidationError with a dict), named like the form fields: the
answer to item 3 is `item_3`. Nothing is saved unless everything is right.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization
from rosc.accounts.roles import Perm
from rosc.accounts.services import PermissionDenied
from rosc.assessments.models import (
    Assessment,
    Instrument,
    Occasion,
    OrganizationAssessmentSettings,
    Scoring,
)
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.people.models import Participant
from rosc.people.services import organization_acting_for

MAX_ITEMS = 200
MIN_INTERVAL_DAYS = 7
MAX_INTERVAL_DAYS = 730


def item_field(key: str) -> str:
    """The form (and error) field of an item's answer."""
    return f"item_{key}"


def organization_today(organization: Organization) -> date:
    return timezone.localdate(timezone.now(), ZoneInfo(organization.time_zone))


def instrument_usable_by(instrument: Instrument, organization: Organization) -> bool:
    """Shipped instruments are for everyone; an organization's own only for that organization."""
    return instrument.is_active and instrument.owner_id in (None, organization.pk)


# --- instruments -------------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def instrument_problems(fields: dict[str, Any]) -> dict[str, str]:
    """Field errors in an instrument's data (items, scale, bands, cut-off); empty when sound."""
    errors: dict[str, str] = {}
    if not str(fields.get("name", "")).strip():
        errors["name"] = "Give the instrument's name."
    if not str(fields.get("code", "")).strip():
        errors["code"] = "Give the instrument a short name, e.g. its abbreviation."
    if not str(fields.get("citation", "")).strip():
        errors["citation"] = "Cite the publication that validated the instrument."
    if fields.get("scoring", Scoring.SUM) not in Scoring.values:
        errors["scoring"] = "Only summed scores are supported."

    items = fields.get("items")
    if not isinstance(items, list) or not items:
        errors["items"] = "Give at least one item."
    elif len(items) > MAX_ITEMS:
        errors["items"] = f"An instrument can have at most {MAX_ITEMS} items."
    elif any(
        not isinstance(i, dict) or not str(i.get("text", "")).strip() or not i.get("key")
        for i in items
    ):
        errors["items"] = "Every item needs its text."
    elif len({str(i["key"]) for i in items}) != len(items):
        errors["items"] = "Two items have the same key."

    scale = fields.get("scale")
    values: list[int] = []
    if not isinstance(scale, list) or any(
        not isinstance(s, dict) or not _is_int(s.get("value")) for s in scale
    ):
        errors["scale"] = "Each step of the scale needs a whole-number value and a label."
    else:
        values = [s["value"] for s in scale]
        if len(set(values)) < 2:
            errors["scale"] = "The scale needs at least two different values."
        elif len(set(values)) != len(values):
            errors["scale"] = "Each value may appear on the scale only once."
        elif any(not str(s.get("label", "")).strip() for s in scale):
            errors["scale"] = "Every value on the scale needs a label the person can read."
        elif values != sorted(values):
            errors["scale"] = "List the scale from the lowest value to the highest."

    if "items" in errors or "scale" in errors or not isinstance(items, list):
        return errors
    low = len(items) * min(values)
    high = len(items) * max(values)

    bands = fields.get("bands") or []
    if not isinstance(bands, list):
        errors["bands"] = "Bands must be a list."
    else:
        spans: list[tuple[int, int]] = []
        for band in bands:
            if (
                not isinstance(band, dict)
                or not _is_int(band.get("min"))
                or not _is_int(band.get("max"))
                or not str(band.get("label", "")).strip()
                or not isinstance(band.get("validated", False), bool)
            ):
                errors["bands"] = "Each band needs a label, a lowest and a highest score."
                break
            if band["min"] > band["max"]:
                errors["bands"] = f"The band “{band['label']}” starts above where it ends."
                break
            if band["min"] < low or band["max"] > high:
                errors["bands"] = (
                    f"The band “{band['label']}” goes outside the possible scores "
                    f"({low} to {high})."
                )
                break
            if any(band["min"] <= end and start <= band["max"] for start, end in spans):
                errors["bands"] = "Bands may not overlap."
                break
            spans.append((band["min"], band["max"]))

    cutoff = fields.get("cutoff")
    if cutoff is not None:
        if not _is_int(cutoff):
            errors["cutoff"] = "The cut-off must be a whole number."
        elif not low <= cutoff <= high:
            errors["cutoff"] = f"The cut-off must be a possible score ({low} to {high})."
        elif not str(fields.get("cutoff_source", "")).strip():
            errors["cutoff_source"] = "Say where the cut-off comes from (the publication)."
    return errors


@transaction.atomic
def instrument_create(
    *,
    actor: Actor,
    name: str,
    citation: str,
    items: Sequence[str],
    scale: Sequence[tuple[int, str]],
    code: str = "",
    reverse_items: Iterable[int] = (),
    source_url: str = "",
    licence_note: str = "",
    version: str = "",
    instructions: str = "",
    bands: Sequence[dict[str, Any]] = (),
    cutoff: int | None = None,
    cutoff_label: str = "",
    cutoff_source: str = "",
) -> Instrument:
    """An organization admin adds a validated instrument for their organization only.

    `items` are the texts in order; `reverse_items` the 1-based positions of reverse-scored
    ones; `scale` the (value, label) steps; `bands` dicts of label, min, max and validated.
    """
    org = actor.organization
    if org is None or not actor.can(Perm.STAFF_MANAGE):
        raise PermissionDenied
    reverse = set(reverse_items)
    name = name.strip()
    code = (code.strip() or name)[:40]
    fields: dict[str, Any] = {
        "code": code,
        "name": name[:200],
        "citation": citation.strip(),
        "source_url": source_url.strip(),
        "licence_note": licence_note.strip(),
        "version": version.strip()[:40],
        "instructions": instructions.strip(),
        "items": [
            {"key": str(i), "text": text.strip(), "reverse": i in reverse}
            for i, text in enumerate(items, 1)
        ],
        "scale": [{"value": value, "label": label.strip()} for value, label in scale],
        "scoring": Scoring.SUM,
        "bands": [dict(b) for b in bands],
        "cutoff": cutoff,
        "cutoff_label": cutoff_label.strip()[:200],
        "cutoff_source": cutoff_source.strip(),
    }
    errors = instrument_problems(fields)
    if "code" not in errors and (
        Instrument.objects.filter(code__iexact=code, owner=org).exists()
        or Instrument.objects.filter(code__iexact=code, owner=None).exists()
    ):
        errors["code" if fields["code"] != fields["name"] else "name"] = (
            f"An instrument called “{code}” is already available to your organization."
        )
    if errors:
        raise ValidationError(errors)
    instrument = Instrument(owner=org, created_by=actor.user, is_active=True, **fields)
    instrument.full_clean()
    instrument.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=instrument,
        record_organization_id=org.public_id,
        detail={"items": len(instrument.items), "scale": instrument.scale_values},
    )
    return instrument


# --- check-ins ---------------------------------------------------------------------------------


def answer_problems(instrument: Instrument, answers: Any) -> dict[str, str]:
    """Field errors for answers: every item answered once, each with a value on the scale."""
    if not isinstance(answers, dict):
        return {"answers": "Answers must map each item to a value on the scale."}
    errors: dict[str, str] = {}
    allowed = instrument.scale_values
    labels = ", ".join(f"{s['value']} ({s['label']})" for s in instrument.scale)
    keys = {item["key"] for item in instrument.items}
    for position, item in enumerate(instrument.items, 1):
        value = answers.get(item["key"])
        if value is None or value == "":
            errors[item_field(item["key"])] = f"Choose an answer for statement {position}."
        elif not _is_int(value) or value not in allowed:
            errors[item_field(item["key"])] = (
                f"Statement {position}: the answer must be one of {labels}."
            )
    unknown = sorted(str(k) for k in answers if str(k) not in keys)
    if unknown:
        errors["answers"] = f"These are not items of {instrument.code}: {', '.join(unknown)}."
    return errors


@transaction.atomic
def assessment_record(
    *,
    actor: Actor,
    participant: Participant,
    instrument: Instrument,
    taken_on: date | None,
    occasion: str,
    answers: dict[str, Any],
) -> Assessment:
    """Record a check-in. Every missing or out-of-range answer gets its own field error."""
    org = organization_acting_for(actor, participant)
    errors: dict[str, str] = {}
    if not instrument_usable_by(instrument, org):
        errors["instrument"] = "Choose an instrument your organization uses."
    else:
        errors.update(answer_problems(instrument, answers))
    if not isinstance(taken_on, date):
        errors["taken_on"] = "Give the date of the check-in."
    elif taken_on > organization_today(org):
        errors["taken_on"] = "The date of a check-in cannot be in the future."
    elif taken_on < participant.enrolled_on:
        errors["taken_on"] = (
            f"The date cannot be before the person was enrolled "
            f"({participant.enrolled_on:%B} {participant.enrolled_on.day}, "
            f"{participant.enrolled_on.year})."
        )
    if occasion not in Occasion.values:
        errors["occasion"] = "Choose when this check-in was taken (intake, routine …)."
    if errors:
        raise ValidationError(errors)
    assert isinstance(taken_on, date)
    clean = {item["key"]: answers[item["key"]] for item in instrument.items}
    assessment = Assessment.objects.create(
        participant=participant,
        organization=org,
        instrument=instrument,
        taken_on=taken_on,
        occasion=occasion,
        answers=clean,
        total=instrument.score(clean),
        taken_by=actor.user,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=assessment,
        record_label=f"{instrument.code} check-in on {taken_on:%Y-%m-%d}",
        record_organization_id=org.public_id,
        subject=participant,
        detail={"instrument": instrument.code, "occasion": occasion},
    )
    return assessment


# --- settings ----------------------------------------------------------------------------------


@transaction.atomic
def assessment_settings_set(
    *, actor: Actor, checkin_interval_days: Any, checkin_instrument: Instrument | None = None
) -> OrganizationAssessmentSettings:
    """An organization admin sets how often people are checked in with, and with what."""
    org = actor.organization
    if org is None or not actor.can(Perm.STAFF_MANAGE):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not _is_int(checkin_interval_days) or not (
        MIN_INTERVAL_DAYS <= checkin_interval_days <= MAX_INTERVAL_DAYS
    ):
        errors["checkin_interval_days"] = (
            f"Give a number of days from {MIN_INTERVAL_DAYS} to {MAX_INTERVAL_DAYS}."
        )
    if checkin_instrument is not None and not instrument_usable_by(checkin_instrument, org):
        errors["checkin_instrument"] = "Choose an instrument your organization uses."
    if errors:
        raise ValidationError(errors)
    row, _ = OrganizationAssessmentSettings.objects.update_or_create(
        organization=org,
        defaults={
            "checkin_interval_days": checkin_interval_days,
            "checkin_instrument": checkin_instrument,
        },
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=row,
        record_organization_id=org.public_id,
        detail={
            "checkin_interval_days": checkin_interval_days,
            "checkin_instrument": checkin_instrument.code if checkin_instrument else "",
        },
    )
    return row
