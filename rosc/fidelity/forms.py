"""Forms for the self-assessments. The services check everything again; each service error is
put next to its field (`add_service_errors`)."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from rosc.councils.models import Council
from rosc.fidelity.models import ReviewDecision
from rosc.fidelity.services import MAX_TEXT, AnswerData, ScoreData
from rosc.fidelity.standards import (
    RCO_STANDARD_HINTS,
    RCO_STANDARDS,
    ROSC_ELEMENTS,
    ElementScore,
    Rating,
)


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class Radios(forms.RadioSelect):
    """Radio buttons whose "label for" is the first option, so the error summary's link to the
    field lands on it (Django's RadioSelect has none)."""

    def id_for_label(self, id_: str, index: str | None = "0") -> str:
        return super().id_for_label(id_, index)


@dataclass
class StandardRow:
    number: int
    title: str
    hint: str
    rating: forms.BoundField
    evidence: forms.BoundField
    evidence_url: forms.BoundField
    notes: forms.BoundField


class RcoAssessmentForm(forms.Form):
    """Ten standards, each: met / partly met / not met, evidence, an optional link, notes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, title in RCO_STANDARDS:
            self.fields[f"rating_{number}"] = forms.ChoiceField(
                label=f"{number}. {title}",
                choices=Rating.choices,
                required=False,
                widget=Radios,
            )
            self.fields[f"evidence_{number}"] = forms.CharField(
                label="Evidence",
                required=False,
                max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="What shows it: a policy, bylaws, board make-up, a practice.",
            )
            self.fields[f"evidence_url_{number}"] = forms.URLField(
                label="Link to the evidence (optional)",
                required=False,
                max_length=500,
                assume_scheme="https",
            )
            self.fields[f"notes_{number}"] = forms.CharField(
                label="Notes",
                required=False,
                max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[StandardRow]:
        return [
            StandardRow(
                number=number,
                title=title,
                hint=RCO_STANDARD_HINTS.get(number, ""),
                rating=self[f"rating_{number}"],
                evidence=self[f"evidence_{number}"],
                evidence_url=self[f"evidence_url_{number}"],
                notes=self[f"notes_{number}"],
            )
            for number, title in RCO_STANDARDS
        ]

    def answers(self) -> list[AnswerData]:
        data = self.cleaned_data
        return [
            AnswerData(
                standard=number,
                rating=data.get(f"rating_{number}") or "",
                evidence=data.get(f"evidence_{number}") or "",
                evidence_url=data.get(f"evidence_url_{number}") or "",
                notes=data.get(f"notes_{number}") or "",
            )
            for number, _title in RCO_STANDARDS
        ]


def rco_initial(answers: Any) -> dict[str, str]:
    initial: dict[str, str] = {}
    for a in answers:
        initial[f"rating_{a.standard}"] = a.rating
        initial[f"evidence_{a.standard}"] = a.evidence
        initial[f"evidence_url_{a.standard}"] = a.evidence_url
        initial[f"notes_{a.standard}"] = a.notes
    return initial


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision", choices=ReviewDecision.choices, widget=Radios
    )
    comments = forms.CharField(
        label="Comments to the organization",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when you return it: say what should change.",
    )


@dataclass
class ElementRow:
    number: int
    title: str
    score: forms.BoundField
    notes: forms.BoundField


class CouncilAssessmentForm(forms.Form):
    """Seventeen elements, each scored 0 (not started) to 4 (sustained), with notes."""

    council = forms.ModelChoiceField(
        label="Council", queryset=Council.objects.none(), empty_label=None, to_field_name="slug"
    )
    assessed_on = forms.DateField(
        label="Date of the assessment", widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label="Notes on the whole assessment",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, councils: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["council"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = councils if councils is not None else Council.objects.none()
        for number, title in ROSC_ELEMENTS:
            self.fields[f"score_{number}"] = forms.TypedChoiceField(
                label=f"{number}. {title}",
                choices=ElementScore.choices,
                coerce=int,
                widget=Radios,
                error_messages={"required": "Choose a score from 0 to 4."},
            )
            self.fields[f"notes_{number}"] = forms.CharField(
                label="Notes",
                required=False,
                max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[ElementRow]:
        return [
            ElementRow(
                number=number,
                title=title,
                score=self[f"score_{number}"],
                notes=self[f"notes_{number}"],
            )
            for number, title in ROSC_ELEMENTS
        ]

    def scores(self) -> list[ScoreData]:
        data = self.cleaned_data
        return [
            ScoreData(
                element=number,
                score=int(data[f"score_{number}"]),
                notes=data.get(f"notes_{number}") or "",
            )
            for number, _title in ROSC_ELEMENTS
        ]
