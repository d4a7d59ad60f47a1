"""Instruments are data: an organization admin adds one, and it is checked before it is saved."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rosc.accounts.services import PermissionDenied
from rosc.assessments.models import Instrument
from rosc.assessments.selectors import instruments_for
from rosc.assessments.services import instrument_create
from rosc.core.models import AuditEvent

TODAY = timezone.localdate()


def five_item_instrument(**overrides: Any) -> dict[str, Any]:
    """An invented five-item, five-point questionnaire (not a real instrument)."""
    fields: dict[str, Any] = {
        "name": "Community Connection Check",
        "code": "CCC-5",
        "citation": "Invented for tests. Journal of Examples 2020;1:1-2.",
        "items": [
            "I know where to go for support.",
            "I feel alone most days.",
            "I have someone to call.",
            "I take part in my community.",
            "I feel hopeful.",
        ],
        "reverse_items": [2],
        "scale": [(0, "Never"), (1, "Rarely"), (2, "Sometimes"), (3, "Often"), (4, "Always")],
        "bands": [
            {"label": "Lower", "min": 0, "max": 9, "validated": False},
            {"label": "Higher", "min": 10, "max": 20, "validated": False},
        ],
        "cutoff": 12,
        "cutoff_label": "12: invented for tests",
        "cutoff_source": "Invented 2020",
    }
    fields.update(overrides)
    return fields


def test_an_org_admin_adds_an_instrument_only_their_organization_sees(world, actor_of):
    instrument = instrument_create(actor=actor_of("rco_a_admin"), **five_item_instrument())
    assert instrument.owner == world.orgs["rco_a"]
    assert (instrument.score_min, instrument.score_max) == (0, 20)
    assert [i["reverse"] for i in instrument.items] == [False, True, False, False, False]
    assert instrument in instruments_for(world.orgs["rco_a"])
    assert instrument not in instruments_for(world.orgs["rco_b"])
    # The shipped BARC-10 is there for both.
    assert instruments_for(world.orgs["rco_b"]).filter(code="BARC-10").exists()
    assert AuditEvent.objects.filter(
        record_id=str(instrument.public_id), action=AuditEvent.Action.CREATE
    ).exists()


def test_reverse_scored_items_are_flipped_on_the_scale(world, actor_of, enrol, record):
    instrument = instrument_create(actor=actor_of("rco_a_admin"), **five_item_instrument())
    person = enrol("rco_a_peer", "Maria", "Garcia", enrolled_on=TODAY - timedelta(days=10))
    # Item 2 ("I feel alone most days") answered 0 counts as 4.
    answers = {"1": 4, "2": 0, "3": 4, "4": 4, "5": 4}
    assert (
        record("rco_a_peer", person, on=TODAY, instrument=instrument, answers=answers).total == 20
    )
    answers = {"1": 0, "2": 4, "3": 0, "4": 0, "5": 0}
    assert record("rco_a_peer", person, on=TODAY, instrument=instrument, answers=answers).total == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"items": []}, "items"),
        ({"items": ["One", "  "]}, "items"),
        ({"scale": [(1, "Only")]}, "scale"),
        ({"scale": [(1, "Yes"), (1, "Also yes")]}, "scale"),
        ({"scale": [(2, "High"), (1, "Low")]}, "scale"),
        ({"scale": [(1, "Low"), (2, " ")]}, "scale"),
        ({"bands": [{"label": "Too high", "min": 10, "max": 21, "validated": False}]}, "bands"),
        ({"bands": [{"label": "Upside down", "min": 9, "max": 3, "validated": False}]}, "bands"),
        (
            {
                "bands": [
                    {"label": "A", "min": 0, "max": 10, "validated": False},
                    {"label": "B", "min": 10, "max": 20, "validated": False},
                ]
            },
            "bands",
        ),
        ({"cutoff": 21}, "cutoff"),
        ({"cutoff": -1}, "cutoff"),
        ({"cutoff_source": ""}, "cutoff_source"),
        ({"citation": ""}, "citation"),
        ({"name": ""}, "name"),
        ({"code": "barc-10"}, "code"),
        ({"source_url": "not a web address"}, "source_url"),
    ],
)
def test_an_unsound_instrument_is_refused_with_the_field_named(world, actor_of, overrides, field):
    with pytest.raises(ValidationError) as caught:
        instrument_create(actor=actor_of("rco_a_admin"), **five_item_instrument(**overrides))
    assert field in caught.value.message_dict
    assert not Instrument.objects.filter(owner__isnull=False).exists()


def test_two_organizations_may_each_have_an_instrument_of_the_same_short_name(world, actor_of):
    instrument_create(actor=actor_of("rco_a_admin"), **five_item_instrument())
    instrument_create(actor=actor_of("rco_b_admin"), **five_item_instrument())
    with pytest.raises(ValidationError):
        instrument_create(actor=actor_of("rco_a_admin"), **five_item_instrument())
    assert Instrument.objects.filter(code="CCC-5").count() == 2


@pytest.mark.parametrize("persona", ["rco_a_peer", "rco_a_supervisor", "network_admin"])
def test_only_an_organization_admin_adds_instruments(world, actor_of, persona):
    with pytest.raises(PermissionDenied):
        instrument_create(actor=actor_of(persona), **five_item_instrument())
    assert not Instrument.objects.filter(owner__isnull=False).exists()
