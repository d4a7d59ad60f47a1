"""Consent to share (every 42 CFR §2.31(a) element), its revocation, and the disclosure log."""

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from rosc.accounts.models import Organization
from rosc.core.models import AppendOnlyModel, BaseModel
from rosc.people.models import Participant


class OrganizationConsentSettings(models.Model):
    """Whether an organization is a federally assisted 42 CFR Part 2 program.

    Absent means "not a Part 2 program". Records disclosed by a Part 2 program are tagged as
    Part 2 records wherever they travel.
    """

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="consent_settings"
    )
    is_part2_program = models.BooleanField(
        "federally assisted 42 CFR Part 2 program",
        default=False,
        help_text="Holds itself out as providing substance use disorder diagnosis, treatment or "
        "referral for treatment, and receives federal assistance in any form.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "organization consent settings"
        verbose_name_plural = "organization consent settings"

    def __str__(self) -> str:
        return f"{self.organization}: {'Part 2 program' if self.is_part2_program else 'not Part 2'}"


class Purpose(models.TextChoices):
    CARE_COORDINATION = "care_coordination", "Coordinating my care and support"
    REFERRAL = "referral", "Referring me to a service"
    TREATMENT = "treatment", "Treatment"
    PAYMENT_OPERATIONS = "payment_operations", "Payment and health care operations"
    JUSTICE = "justice", "Reporting to a justice-system diversion or reentry program"
    RESEARCH = "research", "Research"
    OTHER = "other", "Another purpose (described)"


class Category(models.TextChoices):
    IDENTITY_CONTACT = "identity_and_contact", "Identity and contact details"
    ENGAGEMENT = "engagement_and_attendance", "Engagement and attendance"
    RECOVERY_PLAN = "recovery_plan", "Recovery plan"
    ASSESSMENTS = "assessments", "Assessments (such as recovery capital check-ins)"
    ENCOUNTER_NOTES = "encounter_notes", "Notes from meetings and contacts"
    REFERRAL_DETAILS = "referral_details", "Referral details"


class SignatureMethod(models.TextChoices):
    IN_PERSON = "in_person", "In person, with staff"
    OWN_DEVICE = "own_device", "On the person's own device"


# Recipients whose referrals are justice-system referrals in the sense of 42 CFR §2.35.
JUSTICE_SYSTEM_KINDS = frozenset(
    {Organization.Kind.COURT, Organization.Kind.JAIL, Organization.Kind.PROBATION}
)


def end_of_day(day: date, organization: Organization) -> datetime:
    """The first instant after `day` ends, in the organization's time zone."""
    zone = ZoneInfo(organization.time_zone or settings.TIME_ZONE)
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def start_of_day(day: date, organization: Organization) -> datetime:
    zone = ZoneInfo(organization.time_zone or settings.TIME_ZONE)
    return datetime.combine(day, time.min, tzinfo=zone)


class Consent(BaseModel):
    """A person's written consent to share their information, with every §2.31(a) element.

    Written only by rosc.consent.services; a signed consent is never edited, only revoked or
    marked expired by its event.
    """

    # (1) the name of the patient
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="consents")
    # (2) who may disclose: the organization that supports the person
    disclosing_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+"
    )
    # (4) recipient: a named organization or a described class of recipients, exactly one
    recipient_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_class = models.TextField("described class of recipients", blank=True)
    # (5) purpose
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    purpose_detail = models.TextField("purpose in the person's words", blank=True)
    # (3) what information, by category
    categories = models.JSONField("information that may be shared", default=list)
    # (7) expiry: a date or an event, exactly one
    expires_on = models.DateField("ends on", null=True, blank=True)
    expiry_event = models.TextField("ends when", blank=True)
    expiry_event_recorded_at = models.DateTimeField(null=True, blank=True)
    # (6) the right to revoke, acknowledged; (10) the statements shown at signing, kept verbatim
    right_to_revoke_acknowledged = models.BooleanField(default=False)
    statements_text = models.TextField(blank=True)
    # (8), (9) signature and date
    signature_name = models.CharField("typed name", max_length=200)
    signature_confirmed = models.BooleanField(default=False)
    signer_relationship = models.CharField(
        "signed by someone authorized for the person",
        max_length=100,
        blank=True,
        help_text="Empty when the person signed themself; otherwise, e.g. parent or guardian.",
    )
    signed_at = models.DateTimeField()
    signature_method = models.CharField(max_length=20, choices=SignatureMethod.choices)
    # Part 2: the disclosing organization was a federally assisted Part 2 program at signing.
    is_part2_source = models.BooleanField(default=False)
    # §2.35: a justice-system consent may be irrevocable until a date and/or an event.
    irrevocable_until = models.DateField(null=True, blank=True)
    irrevocable_until_event = models.TextField(blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-signed_at"]
        indexes = [
            models.Index(
                fields=["participant", "recipient_organization", "purpose"],
                name="consent_participant_recipient",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(recipient_organization__isnull=False, recipient_class="")
                    | (Q(recipient_organization__isnull=True) & ~Q(recipient_class=""))
                ),
                name="consent_one_kind_of_recipient",
            ),
            models.CheckConstraint(
                condition=(
                    Q(expires_on__isnull=False, expiry_event="")
                    | (Q(expires_on__isnull=True) & ~Q(expiry_event=""))
                ),
                name="consent_one_kind_of_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent of {self.participant} to share with {self.recipient_label}"

    @property
    def recipient_label(self) -> str:
        if self.recipient_organization is not None:
            return self.recipient_organization.name
        return self.recipient_class

    @property
    def expiry_label(self) -> str:
        if self.expires_on is not None:
            return f"until the end of {self.expires_on:%Y-%m-%d}"
        return f"until {self.expiry_event}"

    def covers(
        self,
        *,
        participant: Participant,
        recipient_id: int,
        purpose: str,
        category: str,
        at: datetime,
    ) -> bool:
        """Whether this consent lets `participant`'s organization share `category` with the
        recipient organization for `purpose` at `at` (consent_covers asks it of each one)."""
        return (
            self.participant_id == participant.pk
            and self.disclosing_organization_id == participant.organization_id
            and self.recipient_organization_id == recipient_id
            and self.purpose == purpose
            and category in self.categories
            and self.is_in_force(at)
        )

    def is_in_force(self, at: datetime) -> bool:
        """Signed, acknowledged, not revoked and not expired at `at`."""
        if not (self.signature_confirmed and self.right_to_revoke_acknowledged):
            return False
        if self.signed_at > at:
            return False
        if self.revoked_at is not None and self.revoked_at <= at:
            return False
        if self.expiry_event_recorded_at is not None and self.expiry_event_recorded_at <= at:
            return False
        return not (
            self.expires_on is not None
            and at >= end_of_day(self.expires_on, self.disclosing_organization)
        )

    def status_at(self, at: datetime) -> str:
        """'revoked', 'active' or 'expired' (ended by its date or event, or not yet in force)."""
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.is_in_force(at) else "expired"

    @property
    def is_justice_system(self) -> bool:
        """For a justice-system program: its purpose, or a court, jail or probation recipient
        (where §2.35 lets the consent be irrevocable for a time)."""
        recipient = self.recipient_organization
        return self.purpose == Purpose.JUSTICE or (
            recipient is not None and recipient.kind in JUSTICE_SYSTEM_KINDS
        )

    def irrevocable_at(self, at: datetime) -> bool:
        """Under a §2.35 irrevocability period at `at` (an event one ends only when recorded)."""
        if self.irrevocable_until_event:
            return True
        return self.irrevocable_until is not None and at < start_of_day(
            self.irrevocable_until, self.disclosing_organization
        )

    def scope_text(self) -> str:
        """A plain explanation of what this consent allows (§2.32(b))."""
        categories = ", ".join(Category(c).label for c in self.categories)
        purpose = self.get_purpose_display()
        if self.purpose_detail:
            purpose = f"{purpose}: {self.purpose_detail}"
        return (
            f"{self.participant.legal_name} consented on {self.signed_at:%Y-%m-%d} to "
            f"{self.disclosing_organization.name} sharing: {categories}; with "
            f"{self.recipient_label}; for: {purpose}; {self.expiry_label}, unless revoked sooner."
        )


class Disclosure(AppendOnlyModel):
    """One consented sharing of a person's information with another organization.

    Append-only, like the audit trail: the model and queryset refuse change and removal, and a
    database trigger refuses UPDATE (both engines) and DELETE (PostgreSQL).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="disclosures"
    )
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="disclosures")
    from_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    to_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    categories = models.JSONField()
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # The §2.32(a) statement and the §2.32(b) scope of the consent, exactly as they went out.
    notice_text = models.TextField()
    consent_scope = models.TextField()
    is_part2_source = models.BooleanField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} to {self.to_organization}"


class SigningRequest(BaseModel):
    """A consent prepared with the person, to be signed on their own device through a link.

    The link carries a one-time token; only its SHA-256 is stored. The terms are the consent's
    elements except the signature, exactly as staff prepared them; signing checks them again.
    """

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="signing_requests"
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    terms = models.JSONField()
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    consent = models.OneToOneField(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="signing_request"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Consent to sign by {self.participant}"

    def is_open(self, at: datetime) -> bool:
        return self.used_at is None and self.cancelled_at is None and at < self.expires_at
