"""The plan form: the person's words and strengths, and goals with steps, without JavaScript.

`PlanEditor` holds one PlanForm, its goal forms and each goal's step forms. "Add another goal"
and "Add another step" are ordinary submit buttons: the page comes back with one more empty
form and everything typed so far kept (nothing is saved until "Save the plan"). An empty goal
(no text, no domain, no steps) is left out; a goal or step with something in it must say what
it is. The service checks everything again.
"""

from typing import Any
from uuid import UUID

from django import forms
from django.http import QueryDict

from rosc.people.models import LifeDomain
from rosc.plans.models import PlanVersion, Progress
from rosc.plans.services import (
    GOAL_MAX,
    MEANING_MAX,
    NOTE_MAX,
    STEP_MAX,
    STRENGTHS_MAX,
    WHO_MAX,
    GoalData,
    StepData,
)

MAX_GOALS = 30
MAX_STEPS = 20
GOAL_COUNT = "goal_count"
STEP_COUNT = "step_count"
ADD_GOAL = "add_goal"
ADD_STEP = "add_step"
GOALS_NEED_A_CHANGE = "Some goals or steps need a change: see each one below."


class PlanForm(forms.Form):
    base_version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    meaning = forms.CharField(
        label="What recovery means to me",
        required=False,
        max_length=MEANING_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In the person's own words. Write it as they say it.",
    )
    strengths = forms.CharField(
        label="My strengths",
        required=False,
        max_length=STRENGTHS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What they are good at, and who and what they can count on.",
    )
    change_note = forms.CharField(
        label="What changed, in a few words (optional)",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text="For the plan's history, e.g. “Added a housing goal after our talk”.",
    )


class GoalForm(forms.Form):
    key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    domain = forms.ChoiceField(
        label="Life domain",
        required=False,
        choices=[("", "— Choose a life domain —"), *LifeDomain.choices],
    )
    text = forms.CharField(
        label="The goal, in the person's words",
        required=False,
        max_length=GOAL_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    status = forms.ChoiceField(
        label="Where this goal stands", choices=Progress.choices, initial=Progress.NOT_STARTED
    )

    def __init__(self, *args: Any, number: int, steps: list["StepForm"], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.number = number
        self.steps = steps

    def is_blank(self) -> bool:
        return (
            not _raw(self, "text")
            and not _raw(self, "domain")
            and all(step.is_blank() for step in self.steps)
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_blank():
            return data
        if not (data.get("text") or "").strip() and "text" not in self.errors:
            self.add_error("text", "Write the goal, in the person's own words.")
        if not data.get("domain") and "domain" not in self.errors:
            self.add_error("domain", "Choose the life domain this goal belongs to.")
        return data


class StepForm(forms.Form):
    text = forms.CharField(label="Step", required=False, max_length=STEP_MAX)
    who_helps = forms.CharField(
        label="Who helps (optional)",
        required=False,
        max_length=WHO_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    target_date = forms.DateField(
        label="Target date (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a real date, for example 2026-03-31."},
    )
    status = forms.ChoiceField(
        label="Where this step stands", choices=Progress.choices, initial=Progress.NOT_STARTED
    )

    def __init__(self, *args: Any, number: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.number = number

    def is_blank(self) -> bool:
        return not any(_raw(self, name) for name in ("text", "who_helps", "target_date"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = (data.get("text") or "").strip()
        if not self.is_blank() and not text and "text" not in self.errors:
            self.add_error("text", "Describe the step.")
        return data


def _raw(form: forms.Form, name: str) -> str:
    value = form[name].data if form.is_bound else form.initial.get(name)
    return str(value or "").strip()


def _key(value: object) -> UUID | None:
    return value if isinstance(value, UUID) else None


def _count(data: QueryDict, name: str, default: int, most: int) -> int:
    try:
        return max(0, min(int(data.get(name, default)), most))
    except (TypeError, ValueError):
        return default


class PlanEditor:
    """The whole edit form. Build it with `for_version` (a GET) or `from_post` (a POST)."""

    def __init__(self, plan_form: PlanForm, goals: list[GoalForm]) -> None:
        self.plan_form = plan_form
        self.goals = goals

    # --- building -------------------------------------------------------------------------

    @classmethod
    def for_version(cls, version: PlanVersion | None) -> "PlanEditor":
        """Unbound, filled from the version in force (each goal with one empty step to add),
        and one empty goal to add."""
        plan_form = PlanForm(
            initial={
                "base_version": version.number if version else None,
                "meaning": version.meaning if version else "",
                "strengths": version.strengths if version else "",
            }
        )
        goals: list[GoalForm] = []
        for i, goal in enumerate(version.goals.all() if version else []):
            steps = [
                StepForm(
                    prefix=f"goal-{i}-step-{j}",
                    number=j,
                    initial={
                        "text": s.text,
                        "who_helps": s.who_helps,
                        "target_date": s.target_date,
                        "status": s.status,
                    },
                )
                for j, s in enumerate(goal.steps.all())
            ]
            steps.append(StepForm(prefix=f"goal-{i}-step-{len(steps)}", number=len(steps)))
            goals.append(
                GoalForm(
                    prefix=f"goal-{i}",
                    number=i,
                    steps=steps,
                    initial={
                        "key": goal.key,
                        "domain": goal.domain,
                        "text": goal.text,
                        "status": goal.status,
                    },
                )
            )
        editor = cls(plan_form, goals)
        editor.add_goal()
        return editor

    @classmethod
    def from_post(cls, data: QueryDict) -> "PlanEditor":
        """Bound to what was sent: as many goals and steps as the page had."""
        goals = []
        for i in range(_count(data, GOAL_COUNT, 1, MAX_GOALS)):
            steps = [
                StepForm(data, prefix=f"goal-{i}-step-{j}", number=j)
                for j in range(_count(data, f"goal-{i}-{STEP_COUNT}", 1, MAX_STEPS))
            ]
            goals.append(GoalForm(data, prefix=f"goal-{i}", number=i, steps=steps))
        return cls(PlanForm(data), goals)

    def unbound_copy(self) -> "PlanEditor":
        """The same content as unbound forms (to add a form without showing errors yet)."""

        def initial(form: forms.Form) -> dict[str, Any]:
            return {name: form[name].data for name in form.fields}

        goals = [
            GoalForm(
                prefix=g.prefix,
                number=g.number,
                initial=initial(g),
                steps=[
                    StepForm(prefix=s.prefix, number=s.number, initial=initial(s)) for s in g.steps
                ],
            )
            for g in self.goals
        ]
        return PlanEditor(PlanForm(initial=initial(self.plan_form)), goals)

    def add_goal(self) -> None:
        if len(self.goals) >= MAX_GOALS:
            return
        i = len(self.goals)
        self.goals.append(
            GoalForm(
                prefix=f"goal-{i}",
                number=i,
                steps=[StepForm(prefix=f"goal-{i}-step-0", number=0)],
            )
        )

    def add_step(self, goal_number: int) -> None:
        if not 0 <= goal_number < len(self.goals):
            return
        goal = self.goals[goal_number]
        if len(goal.steps) >= MAX_STEPS:
            return
        j = len(goal.steps)
        goal.steps.append(StepForm(prefix=f"goal-{goal_number}-step-{j}", number=j))

    # --- checking ---------------------------------------------------------------------------

    def is_valid(self) -> bool:
        valid = self.plan_form.is_valid()
        for goal in self.goals:
            valid = goal.is_valid() and valid
            for step in goal.steps:
                valid = step.is_valid() and valid
        if not valid and self.plan_form.is_valid():
            self.plan_form.add_error(None, GOALS_NEED_A_CHANGE)
        return valid

    def _kept(self) -> list[tuple[GoalForm, list[StepForm]]]:
        return [
            (g, [s for s in g.steps if not s.is_blank()]) for g in self.goals if not g.is_blank()
        ]

    def service_arguments(self) -> dict[str, Any]:
        """plan_save's keyword arguments (call after is_valid)."""
        data = self.plan_form.cleaned_data
        goals = [
            GoalData(
                domain=g.cleaned_data["domain"],
                text=g.cleaned_data["text"],
                status=g.cleaned_data["status"],
                key=_key(g.cleaned_data.get("key")),
                steps=tuple(
                    StepData(
                        text=s.cleaned_data["text"],
                        who_helps=s.cleaned_data["who_helps"],
                        target_date=s.cleaned_data["target_date"],
                        status=s.cleaned_data["status"],
                    )
                    for s in steps
                ),
            )
            for g, steps in self._kept()
        ]
        return {
            "base_version": data.get("base_version"),
            "meaning": data.get("meaning") or "",
            "strengths": data.get("strengths") or "",
            "change_note": data.get("change_note") or "",
            "goals": goals,
        }

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Put the service's field errors ("goals.0.steps.1.target_date") next to their field."""
        kept = self._kept()
        elsewhere = False
        for key, messages in errors.items():
            parts = key.split(".")
            target: forms.Form = self.plan_form
            name: str | None = key if key in self.plan_form.fields else None
            try:
                if parts[0] == "goals" and len(parts) >= 3:
                    goal, steps = kept[int(parts[1])]
                    target, name = goal, parts[2]
                    if parts[2] == "steps" and len(parts) == 5:
                        target, name = steps[int(parts[3])], parts[4]
            except (IndexError, ValueError):
                target, name = self.plan_form, None
            if name is not None and name not in target.fields:
                target, name = self.plan_form, None
            for message in messages:
                target.add_error(name, message)
            elsewhere = elsewhere or target is not self.plan_form
        if elsewhere:
            self.plan_form.add_error(None, GOALS_NEED_A_CHANGE)

    def error_items(self) -> list[tuple[str, str, str]]:
        """(field id, where, message) for the error summary."""
        items: list[tuple[str, str, str]] = []
        for goal in self.goals:
            where = f"Goal {goal.number + 1}"
            for name, errors in goal.errors.items():
                for message in errors:
                    items.append(
                        (goal[name].id_for_label, f"{where}, {goal[name].label}", str(message))
                    )
            for step in goal.steps:
                at = f"{where}, step {step.number + 1}"
                for name, errors in step.errors.items():
                    for message in errors:
                        items.append(
                            (step[name].id_for_label, f"{at}, {step[name].label}", str(message))
                        )
        return items


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="Your comment (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What is strong in this plan, and anything to talk over with the peer.",
    )
