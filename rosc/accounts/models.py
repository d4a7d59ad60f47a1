"""Organizations (the tenants), the people who use ROSC Hub, and their memberships."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac

from rosc.accounts.roles import Role
from rosc.core.models import BaseModel


class RecoveryPathway(models.TextChoices):
    """Recovery pathways an organization supports. All are equal: the order ranks nothing."""

    MUTUAL_AID = "mutual_aid", "Mutual aid"
    MEDICATION_ASSISTED = "medication_assisted", "Medication-assisted"
    FAITH_BASED = "faith_based", "Faith-based"
    HARM_REDUCTION = "harm_reduction", "Harm reduction"
    NATURAL_RECOVERY = "natural_recovery", "Natural recovery"
    CLINICAL_TREATMENT = "clinical_treatment", "Clinical treatment"
    FAMILY_COMMUNITY = "family_community", "Family and community"
    DIGITAL_ONLINE = "digital_online", "Digital and online"
    OTHER = "other", "Other"


class Organization(BaseModel):
    """A tenant of ROSC Hub, and (from the directory issue on) its HSDS organization record.

    One organization, one row: the directory adds its HSDS fields to this table.
    """

    class Kind(models.TextChoices):
        RCO = "rco", "Recovery community organization"
        RECOVERY_CENTER = "recovery_center", "Recovery community center"
        RECOVERY_CAFE = "recovery_cafe", "Recovery café"
        RECOVERY_RESIDENCE = "recovery_residence", "Recovery residence"
        TREATMENT = "treatment", "Treatment provider"
        HOSPITAL = "hospital", "Hospital"
        HARM_REDUCTION = "harm_reduction", "Harm-reduction program"
        HOUSING = "housing", "Housing agency"
        EMPLOYMENT = "employment", "Employment agency"
        TRANSPORTATION = "transportation", "Transportation service"
        LEGAL_AID = "legal_aid", "Legal aid"
        COURT = "court", "Court"
        JAIL = "jail", "Jail"
        PROBATION = "probation", "Probation"
        COUNCIL_HOST = "council_host", "ROSC council host"
        STATE_OFFICE = "state_office", "State office"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    url = models.URLField(blank=True)
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE)
    is_active = models.BooleanField(default=True)

    # HSDS 3.0 organization fields. The HSDS `id` is `public_id`; HSDS `website` is `url`;
    # `name`, `description` and `email` above are the HSDS fields of the same names.
    alternate_name = models.TextField(blank=True, default="")
    tax_status = models.TextField(blank=True, default="")
    tax_id = models.TextField(blank=True, default="")
    year_incorporated = models.IntegerField(null=True, blank=True)
    legal_status = models.TextField(blank=True, default="")
    logo = models.TextField(blank=True, default="")
    uri = models.TextField(blank=True, default="")
    parent_organization = models.ForeignKey(
        "self",
        to_field="public_id",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="child_organizations",
    )

    # Recovery extensions (not in HSDS; ROSC Hub's own, not exported as HSDS columns).
    peer_led = models.BooleanField(
        default=False, help_text="Run by and for people with lived experience of recovery."
    )
    recovery_pathways = models.JSONField(
        default=list,
        blank=True,
        help_text="The recovery pathways supported (values of RecoveryPathway; none ranked).",
    )
    accepting_new_people = models.BooleanField(
        null=True, blank=True, help_text="Whether new people are welcome now; empty: unknown."
    )
    capacity_note = models.TextField(blank=True, default="")
    last_verified_on = models.DateField(
        null=True, blank=True, help_text="When this listing was last confirmed to be true."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def recovery_pathway_labels(self) -> list[str]:
        labels = dict(RecoveryPathway.choices)
        return [str(labels.get(p, p)) for p in self.recovery_pathways or []]

    @property
    def is_peer_led_rco(self) -> bool:
        """Shown as the "peer-led recovery community organization" badge."""
        return self.peer_led and self.kind in {
            self.Kind.RCO,
            self.Kind.RECOVERY_CENTER,
            self.Kind.RECOVERY_CAFE,
        }


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships, not from here."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Accounts made by `rosc demo`; only these may skip the second factor, and only in demo mode.
    is_demo = models.BooleanField(default=False)
    # Bumped to end every session of this user at once (deactivation, security events).
    session_version = models.PositiveIntegerField(default=0)
    # The membership they last worked in; they start there at their next sign-in.
    last_membership_id = models.UUIDField(null=True, blank=True)

    def get_session_auth_hash(self) -> str:
        """Sessions carry this hash; bumping session_version makes every session invalid."""
        return salted_hmac(
            "rosc.accounts.User.session",
            f"{self.password}:{self.session_version}",
            algorithm="sha256",
        ).hexdigest()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def __str__(self) -> str:
        return self.display_name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True, organization__is_active=True, user__is_active=True)


class Membership(BaseModel):
    """A user's role in one organization. One user may belong to several organizations."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    title = models.CharField(max_length=120, blank=True)
    is_active = models.BooleanField(default=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organization}"


class ApiToken(BaseModel):
    """A key for the JSON API, for a tool that syncs with ROSC Hub on a staff member's behalf.

    It acts as its owner in one organization and role (the membership it was made under), and
    stops working when revoked, when it expires, or when that membership ends. Only the SHA-256
    of the key is kept; the key is shown once, when it is made.
    """

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(max_length=8)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"API token {self.key_prefix}… ({self.name})"
