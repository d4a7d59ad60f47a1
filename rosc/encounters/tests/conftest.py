"""Helpers for encounter tests: a person to meet, and a contact logged through the service."""

from collections.abc import Callable
from typing import Any

import pytest

from rosc.accounts.actor import Actor
from rosc.encounters.models import Encounter
from rosc.encounters.services import encounter_log
from rosc.people.models import Participant

NOTE = "Talked about the job interview on Friday; feeling hopeful and has a ride."


@pytest.fixture
def person(enrol: Callable[..., Participant]) -> Participant:
    return enrol("rco_a_peer", "Maria", "Garcia")


@pytest.fixture
def log(actor_of: Callable[[str], Actor]) -> Callable[..., Encounter]:
    """log(participant, persona="rco_a_peer", **fields) -> a contact logged by that persona."""

    def _log(participant: Participant, persona: str = "rco_a_peer", **fields: Any) -> Encounter:
        values: dict[str, Any] = {"kind": "one_to_one", "duration_minutes": 30, "place": "rco"}
        values.update(fields)
        return encounter_log(actor=actor_of(persona), participant=participant, **values)

    return _log
