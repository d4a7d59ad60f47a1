"""An encounter: one contact between a staff member and a person in recovery.

The note is the most sensitive field of the app: lists never load it, and each read of it is
audited on its own (selectors.encounter_note_get). Entries are never deleted: a contact logged
by mistake is marked "entered in error" (voided) with a reason, and stays in the record.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from rosc.accounts.models import Organization
from rosc.core.models import BaseModel
from rosc.people.models import LifeDomain, Participant

MIN_DURATION = 1
MAX_DURATION = 600
MAX_NEEDS = 1000
MAX_NOTE = 5000


class EncounterKind(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "One-to-one"
    GROUP = "group", "Group"
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    VIDEO = "video", "Video call"
    OUTREACH = "outreach", "Outreach"
    ACCOMPANIMENT = "accompaniment", "Went with them to an appointment"
    IN_REACH = "in_reach", "In-reach (jail or hospital)"


class EncounterPlace(models.TextChoices):
    RCO = "rco", "Recovery center or café"
    COMMUNITY = "community", "In the community"
    HOME = "home", "Their home"
    HOSPITAL = "hospital", "Hospital or emergency department"
    JAIL = "jail", "Jail or prison"
    COURT = "court", "Court"
    TREATMENT = "treatment", "Treatment provider"
    REMOTE = "remote", "Online or by phone"
    OTHER = "other", "Somewhere else"


class Encounter(BaseModel):
    """One contact with a participant, logged by a staff member of the enrolling organization."""

    # The foreign keys lead the composite indexes below, so none needs an index of its own.
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="encounters", db_index=False
    )
    # Always the participant's organization: copied in so scoping and indexes need no join.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    occurred_at = models.DateTimeField("when")
    kind = models.CharField(max_length=20, choices=EncounterKind.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        "minutes",
        validators=[MinValueValidator(MIN_DURATION), MaxValueValidator(MAX_DURATION)],
    )
    place = models.CharField("where", max_length=20, choices=EncounterPlace.choices)
    place_detail = models.CharField("where, in a few words", max_length=120, blank=True)
    # LifeDomain values (rosc.people.models.LifeDomain), each at most once.
    life_domains = models.JSONField("life domains talked about", default=list, blank=True)
    needs = models.TextField("needs identified", max_length=MAX_NEEDS, blank=True)
    note = models.TextField(max_length=MAX_NOTE, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    logged_at = models.DateTimeField()
    # Entered in error: the entry stays, marked, with who marked it and why.
    voided_at = models.DateTimeField("entered in error at", null=True, blank=True)
    # Rarely set: not worth an index over millions of empty values.
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    void_reason = models.CharField("why it was entered in error", max_length=200, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # A participant's contacts, newest first; voided_at makes "last contact" index-only.
            models.Index(
                fields=["participant", "occurred_at", "voided_at"], name="encounter_participant_at"
            ),
            # An organization's recent contacts and its contacts per staff member since a date.
            models.Index(
                fields=["organization", "occurred_at", "logged_by", "voided_at"],
                name="encounter_org_at",
            ),
            # A staff member's own contacts (and their last-used kind, length and place).
            models.Index(fields=["logged_by", "occurred_at"], name="encounter_staff_at"),
        ]

    def __str__(self) -> str:
        # Never the note: this is the label the audit trail copies.
        return f"{self.get_kind_display()} on {self.occurred_at:%Y-%m-%d}"

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    @property
    def life_domain_labels(self) -> list[str]:
        return [LifeDomain(d).label for d in self.life_domains if d in LifeDomain.values]

    @property
    def place_label(self) -> str:
        if self.place == EncounterPlace.OTHER and self.place_detail:
            return self.place_detail
        label = self.get_place_display()
        return f"{label} ({self.place_detail})" if self.place_detail else label
