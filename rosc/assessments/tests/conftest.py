"""Helpers for the check-in tests: a full set of BARC-10 answers, and recording one."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from rosc.accounts.actor import Actor
from rosc.assessments.models import Assessment, Instrument, Occasion
from rosc.assessments.selectors import shipped_barc10
from rosc.assessments.services import assessment_record
from rosc.people.models import Participant


def answers_all(value: int, count: int = 10) -> dict[str, Any]:
    return {str(i): value for i in range(1, count + 1)}


@pytest.fixture
def barc10(db: None) -> Instrument:
    return shipped_barc10()


@pytest.fixture
def record(actor_of: Callable[[str], Actor], barc10: Instrument) -> Callable[..., Assessment]:
    """record("rco_a_peer", person, on=date(...), value=4) -> a BARC-10 check-in."""

    def _record(
        persona: str,
        participant: Participant,
        *,
        on: date,
        value: int = 4,
        occasion: str = Occasion.ROUTINE,
        instrument: Instrument | None = None,
        answers: dict[str, Any] | None = None,
    ) -> Assessment:
        chosen = instrument or barc10
        return assessment_record(
            actor=actor_of(persona),
            participant=participant,
            instrument=chosen,
            taken_on=on,
            occasion=occasion,
            answers=answers if answers is not None else answers_all(value, len(chosen.items)),
        )

    return _record
