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


class ParticipantStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DISCHARGED = "discharged", "Discharged"


class DischargeReason(models.TextChoices):
    """Why an episode of support ended, in the person's favour wherever the facts allow."""

    COMPLETED_GOALS = "completed_goals", "Completed their goals"
    MOVED = "moved", "Moved away"
    CHOSE_TO_STOP = "chose_to_stop", "Chose to stop receiving support"
    NOT_REACHED = "not_reached", "Could not be reached"
    TRANSFERRED = "transferred", "Transferred to another service"
    INCARCERATED = "incarcerated", "Incarcerated"
    PASSED_AWAY = "passed_away", "Passed away"
    OTHER = "other", "Other reason"


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
    # Active while an episode of support is open; discharged between episodes (see Episode).
    status = models.CharField(
        max_length=20, choices=ParticipantStatus.choices, default=ParticipantStatus.ACTIVE
    )
    # The peer specialist the person works with ("my people" on the caseload); the enrolling
    # user at first, changed by the organization's staff.
    primary_peer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="primary peer specialist",
    )
    # Lower-case names without accents or punctuation, for search and the duplicate check.
    # Filled by the services (rosc.people.names.name_key), never typed.
    first_name_key = models.CharField(max_length=100, editable=False, default="")
    last_name_key = models.CharField(max_length=100, editable=False, default="")

    class Meta:
        ordering = ["legal_last_name", "legal_first_name"]
        indexes = [
            models.Index(fields=["organization", "last_name_key"], name="participant_org_last"),
            models.Index(fields=["organization", "date_of_birth"], name="participant_org_dob"),
            models.Index(fields=["organization", "primary_peer"], name="participant_org_peer"),
            models.Index(fields=["organization", "status"], name="participant_org_status"),
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


class Episode(BaseModel):
    """One episode of support: from an intake (enrolment or re-enrolment) to a discharge.

    `intake_seq` is GPRA's IntakeSeqNum: 1 at enrolment, one more at each re-enrolment; the
    highest is the current episode. The organization is copied from the participant so that
    follow-up windows can be found by date inside one organization without a join.
    """

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="episodes")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    intake_seq = models.PositiveSmallIntegerField("intake sequence number")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    discharge_reason = models.CharField(max_length=20, choices=DischargeReason.choices, blank=True)
    discharge_note = models.CharField(max_length=500, blank=True)
    reenrolment_reason = models.CharField("why they came back", max_length=500, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["participant", "intake_seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "intake_seq"], name="episode_participant_seq"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "started_on"], name="episode_org_started"),
            models.Index(fields=["organization", "ended_on"], name="episode_org_ended"),
        ]

    def __str__(self) -> str:
        return f"Episode {self.intake_seq} of {self.participant}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None
