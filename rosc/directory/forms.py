from typing import Any

from django import forms

from rosc.accounts.models import Organization, RecoveryPathway
from rosc.core.widgets import (
    FAST_FORM_RENDERER,
    FastSelect,
    FixedChoiceField,
    FixedTypedChoiceField,
)
from rosc.directory.places import Place, PlaceNotFound, place_from_text
from rosc.directory.selectors import SearchFilters, need_choices

RADIUS_CHOICES = [
    (5, "5 miles"),
    (10, "10 miles"),
    (25, "25 miles"),
    (50, "50 miles"),
    (100, "100 miles"),
]


class FindForm(forms.Form):
    """The public search. Every field is optional; a bad value is a message, never an error page."""

    default_renderer = FAST_FORM_RENDERER  # the same HTML as Django's, written in Python

    q = forms.CharField(
        required=False,
        max_length=200,
        label="What are you looking for?",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    near = forms.CharField(
        required=False,
        max_length=60,
        label="Near (ZIP code)",
        help_text="A 5-digit ZIP code, or use your location.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    radius = FixedTypedChoiceField(
        required=False,
        coerce=int,
        choices=RADIUS_CHOICES,
        initial=25,
        empty_value=None,
        label="Within",
        widget=FastSelect,
    )
    need = forms.ChoiceField(required=False, label="Kind of help", widget=FastSelect)
    kind = FixedChoiceField(
        required=False,
        label="Kind of organization",
        choices=[("", "Any kind"), *Organization.Kind.choices],
        widget=FastSelect,
    )
    pathway = FixedChoiceField(
        required=False,
        label="Recovery pathway",
        choices=[("", "Any pathway"), *RecoveryPathway.choices],
        widget=FastSelect,
    )
    language = forms.CharField(
        required=False, max_length=40, label="Language", help_text="For example Spanish or es."
    )
    free = forms.BooleanField(required=False, label="Free of charge")
    open = forms.BooleanField(required=False, label="Open now")
    wheelchair = forms.BooleanField(required=False, label="Wheelchair accessible")
    sort = FixedChoiceField(
        required=False,
        label="Sort by",
        choices=[("distance", "Distance"), ("relevance", "Best match")],
        widget=FastSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        need = self.fields["need"]
        assert isinstance(need, forms.ChoiceField)
        self.needs = need_choices(self.data.get(self.add_prefix("need")) if self.is_bound else None)
        need.choices = [("", "Any kind of help"), *self.needs.choices]

    def clean_near(self) -> Place | None:
        text = self.cleaned_data.get("near", "").strip()
        if not text:
            return None
        try:
            return place_from_text(text)
        except PlaceNotFound as exc:
            raise forms.ValidationError(str(exc)) from exc

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        term = forms.UUIDField().to_python(data.get("need")) if data.get("need") else None
        return SearchFilters(
            place=data.get("near"),
            radius_miles=float(data.get("radius") or 25),
            term=term,
            term_children=self.needs.children if term == self.needs.chosen else None,
            kind=data.get("kind") or "",
            language=data.get("language") or "",
            pathway=data.get("pathway") or "",
            free_only=bool(data.get("free")),
            open_now=bool(data.get("open")),
            wheelchair=bool(data.get("wheelchair")),
            text=data.get("q") or "",
            sort=data.get("sort") or ("distance" if data.get("near") else "relevance"),
        )
