"""A participant: a person an organization supports. Only the enrolling organization sees them."""

from django.conf import settings
from django.db import models

from rosc.accounts.models import Organization
from rosc.core.models import BaseModel


class ContactMethod(models.TextChoices):
    PHONE_CALL = "phone_call", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "E-mail"
    IN_PERSON = "in_person", "In person"


class RecoveryPathway(models.TextChoices):
    """Every pathway is valid and none is ranked: the order here is not a preference."""

    MUTUAL_AID = "mutual_aid", "Mutual aid (12-step, SMART, other groups)"
    MEDICATION = "medication", "Medication-assisted recovery"
    FAITH_BASED = "faith_based", "Faith-based recovery"
    HARM_REDUCTION = "harm_reduction", "Harm reduction"
    NATURAL = "natural", "Natural recovery (on my own)"
    CLINICAL = "clinical", "Clinical treatment"
    FAMILY_COMMUNITY = "family_community", "Family and community"
    DIGITAL = "digital", "Digital or online recovery"
    OTHER = "other", "Another pathway"


class LifeDomain(models.TextChoices):
    RECOVERY_WELLNESS = "recovery_wellness", "Recovery and wellness"
    HOUSING = "housing", "Housing"
    EMPLOYMENT_EDUCATION = "employment_education", "Employment and education"
    FAMILY_RELATIONSHIPS = "family_relationships", "Family and relationships"
    HEALTH = "health", "Physical and mental health"
    LEGAL = "legal", "Legal"
    TRANSPORTATION = "transportation", "Transportation"
    FINANCES = "finances", "Finances"
    COMMUNITY_PURPOSE = "community_purpose", "Community and purpose"


class LivingSituation(models.TextChoices):
    OWN_OR_RENTED = "own_or_rented", "Own or rented home"
    WITH_FAMILY_OR_FRIENDS = "with_family_or_friends", "Staying with family or friends"
    RECOVERY_RESIDENCE = "recovery_residence", "Recovery residence"
    TRANSITIONAL = "transitional", "Transitional housing"
    SHELTER = "shelter", "Shelter"
    UNSHELTERED = "unsheltered", "Without shelter"
    INSTITUTION = "institution", "In a hospital, treatment program or jail"
    OTHER = "other", "Something else"
    NOT_SAID = "not_said", "Prefers not to say"


class JusticeInvolvement(models.TextChoices):
    NONE = "none", "None"
    PRETRIAL = "pretrial", "Pretrial or awaiting court"
    RECOVERY_COURT = "recovery_court", "Recovery, drug or treatment court"
    PROBATION_PAROLE = "probation_parole", "On probation or parole"
    INCARCERATED = "incarcerated", "Currently in jail or prison"
    REENTRY = "reentry", "Recently returned to the community"
    OTHER = "other", "Other"
    NOT_SAID = "not_said", "Prefers not to say"


class ReferralSource(models.TextChoices):
    SELF = "self", "Came on their own"
    FAMILY_FRIEND = "family_friend", "Family or friend"
    PEER = "peer", "Another person in recovery"
    HOSPITAL = "hospital", "Emergency department or hospital"
    TREATMENT = "treatment", "Treatment provider"
    JUSTICE = "justice", "Court, jail, probation or parole"
    COMMUNITY = "community", "Community organization"
    OUTREACH = "outreach", "Street outreach or event"
    OTHER = "other", "Other"


class Participant(BaseModel):
    """A person supported by the organization that enrolled them (the minimum necessary)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="participants"
    )
    legal_first_name = models.CharField("first name", max_length=100)
    legal_last_name = models.CharField("last name", max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField("e-mail", blank=True)
    preferred_contact = models.CharField(
        "how they like to be contacted", max_length=20, choices=ContactMethod.choices, blank=True
    )
    may_leave_message = models.BooleanField("a message may be left", default=False)
    language = models.CharField(max_length=60, blank=True)
    recovery_pathways = models.JSONField("recovery pathways they choose", default=list, blank=True)
    living_situation = models.CharField(max_length=30, choices=LivingSituation.choices, blank=True)
    # Life domain -> what the person said they need there (may be empty text).
    intake_needs = models.JSONField("needs at intake, by life domain", default=dict, blank=True)
    justice_involvement = models.CharField(
        max_length=30, choices=JusticeInvolvement.choices, blank=True
    )
    referral_source = models.CharField(
        "how they came to us", max_length=20, choices=ReferralSource.choices, blank=True
    )
    referral_source_detail = models.CharField(max_length=200, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    enrolled_on = models.DateField()
    # Lower-case names without accents or punctuation, for search and the duplicate check.
    # Filled by the services (rosc.people.names.name_key), never typed.
    first_name_key = models.CharField(max_length=100, editable=False, default="")
    last_name_key = models.CharField(max_length=100, editable=False, default="")

    class Meta:
        ordering = ["legal_last_name", "legal_first_name"]
        indexes = [
            models.Index(fields=["organization", "last_name_key"], name="participant_org_last"),
            models.Index(fields=["organization", "date_of_birth"], name="participant_org_dob"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name the person wants to be called by, with their last name."""
        return f"{self.preferred_name or self.legal_first_name} {self.legal_last_name}".strip()

    @property
    def legal_name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}".strip()
