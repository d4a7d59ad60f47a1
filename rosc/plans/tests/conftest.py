from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from rosc.accounts.actor import Actor
from rosc.people.models import LifeDomain, Participant
from rosc.plans.models import PlanVersion, Progress
from rosc.plans.services import GoalData, StepData, plan_save


def housing_goal(**changes: Any) -> GoalData:
    fields: dict[str, Any] = {
        "domain": LifeDomain.HOUSING,
        "text": "A place of my own where my kids can visit",
        "status": Progress.IN_PROGRESS,
        "steps": (
            StepData(
                "Fill in the housing application",
                who_helps="my peer coach",
                target_date=date(2030, 3, 31),
                status=Progress.NOT_STARTED,
            ),
        ),
    }
    fields.update(changes)
    return GoalData(**fields)


@pytest.fixture
def maria(enrol: Callable[..., Participant]) -> Participant:
    return enrol("rco_a_peer", "Maria", "Garcia")


@pytest.fixture
def first_plan(actor_of: Callable[[str], Actor], maria: Participant) -> Callable[..., PlanVersion]:
    """first_plan(persona="rco_a_peer", **fields) -> version 1 of Maria's plan."""

    def _save(persona: str = "rco_a_peer", **fields: Any) -> PlanVersion:
        arguments: dict[str, Any] = {
            "meaning": "Waking up and liking who I see. Being there for my kids.",
            "strengths": "Stubborn in a good way. My sister Ana.",
            "goals": [housing_goal()],
            "change_note": "Our first plan",
        }
        arguments.update(fields)
        return plan_save(actor=actor_of(persona), participant=maria, base_version=None, **arguments)

    return _save
