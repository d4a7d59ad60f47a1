"""Organizations (the tenants), the people who use ROSC Hub, and their memberships."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac

from rosc.accounts.roles import Role
from rosc.core.models import BaseModel


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

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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
