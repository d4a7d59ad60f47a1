"""Forms for follow-up attempts, completion, discharge and re-enrolment (services check again)."""

from typing import Any

from django import forms
from django.utils import timezone

from rosc.followups.models import AttemptMethod, AttemptOutcome
from rosc.followups.schedule import day_text
from rosc.followups.selectors import FollowUpItem, parse_key
from rosc.people.models import DischargeReason

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def followup_choice_label(item: FollowUpItem) -> str:
    return (
        f"{item.kind_label} (intake {item.episode.intake_seq}): window "
        f"{day_text(item.window_opens_on)} to {day_text(item.window_closes_on)}"
    )


class _FollowUpForm(forms.Form):
    followup = forms.ChoiceField(label="Follow-up")

    def __init__(self, *args: Any, items: list[FollowUpItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        field = self.fields["followup"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(i.key, followup_choice_label(i)) for i in items]
        if len(items) == 1:
            field.initial = items[0].key

    def cleaned_data_for_service(self) -> dict[str, Any]:
        """The form's own fields (the follow-up it names goes by followup_arguments)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "followup"}

    def followup_arguments(self) -> dict[str, int | None]:
        parsed = parse_key(self.cleaned_data.get("followup", ""))
        return {
            "intake_seq": parsed[0] if parsed else None,
            "kind": parsed[1] if parsed else None,
        }


class AttemptForm(_FollowUpForm):
    attempted_on = forms.DateField(label="Date", required=False, widget=DATE_INPUT)
    method = forms.ChoiceField(
        label="How", choices=AttemptMethod.choices, widget=forms.RadioSelect, required=False
    )
    outcome = forms.ChoiceField(
        label="What happened",
        choices=AttemptOutcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(
        label="Note (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the best time to call back. Keep health details out of it.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attempted_on"].initial = timezone.localdate()


class CompleteForm(_FollowUpForm):
    completed_on = forms.DateField(
        label="Date of the interview",
        required=False,
        widget=DATE_INPUT,
        help_text="It must be inside the follow-up's window.",
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[
            (AttemptOutcome.REACHED, "Reached: the interview was done"),
            (AttemptOutcome.DECLINED, "Declined: they did not want to do the interview"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    method = forms.ChoiceField(
        label="How",
        choices=AttemptMethod.choices,
        initial=AttemptMethod.IN_PERSON,
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(
        label="Note (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].initial = timezone.localdate()


class DischargeForm(forms.Form):
    on = forms.DateField(label="Date of discharge", required=False, widget=DATE_INPUT)
    reason = forms.ChoiceField(
        label="Reason", choices=DischargeReason.choices, widget=forms.RadioSelect, required=False
    )
    note = forms.CharField(
        label="Note (needed for “Other reason”)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class ReenrolForm(forms.Form):
    on = forms.DateField(label="Date they came back", required=False, widget=DATE_INPUT)
    reason = forms.CharField(
        label="Why they are coming back",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In their words if you can.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
