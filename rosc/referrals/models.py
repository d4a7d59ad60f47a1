"""Closed-loop referrals between organizations (the HL7 SDOH Clinical Care referral Task).

A Referral is one request from a sending organization (or a person, for a self-referral, or a
partner system, over FHIR) to a recipient organization, optionally to one of its directory
services. The recipient never reads the sender's participant record: it sees `shared`, the
snapshot of the consented categories disclosed when the referral was sent (each share is a
consent Disclosure). Every status change and progress note is a ReferralEvent (append-only).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from rosc.accounts.models import Organization
from rosc.consent.models import Consent, Purpose
from rosc.core.models import AppendOnlyModel, BaseModel
from rosc.people.models import LifeDomain, Participant


class ReferralStatus(models.TextChoices):
    """FHIR TaskStatus codes used by SDOHCC referral Tasks (no `ready`, no `received`)."""

    DRAFT = "draft", "Draft, not sent"
    REQUESTED = "requested", "Sent, waiting for a reply"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Declined"
    IN_PROGRESS = "in-progress", "In progress"
    ON_HOLD = "on-hold", "On hold"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Could not be completed"
    CANCELLED = "cancelled", "Cancelled"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"


OPEN_STATUSES = (
    ReferralStatus.REQUESTED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.IN_PROGRESS,
    ReferralStatus.ON_HOLD,
)
CLOSED_STATUSES = (
    ReferralStatus.REJECTED,
    ReferralStatus.COMPLETED,
    ReferralStatus.FAILED,
    ReferralStatus.CANCELLED,
    ReferralStatus.ENTERED_IN_ERROR,
)


NAME_NOT_SHARED = "Person referred (name not shared)"


class StatusReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", "No capacity right now"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    COULD_NOT_REACH = "could_not_reach", "Could not reach the person"
    PERSON_DECLINED = "person_declined", "The person declined"
    PERSON_CHOSE_OTHER = "person_chose_other", "The person chose another service"
    NO_LONGER_NEEDED = "no_longer_needed", "No longer needed"
    OTHER = "other", "Another reason (described)"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    SOON = "soon", "Soon (within a few days)"
    URGENT = "urgent", "Urgent (today)"


class ReferralKind(models.TextChoices):
    STANDARD = "standard", "Referral"
    REENTRY = "reentry", "Reentry from jail or prison"
    DIVERSION = "diversion", "Diversion or recovery court"
    SELF_REFERRAL = "self_referral", "Self-referral (contact me)"


class ReferralSource(models.TextChoices):
    APP = "app", "ROSC Hub"
    CONTACT_FORM = "contact_form", "Contact-me form on the directory"
    FHIR = "fhir", "Partner system (FHIR)"


class Referral(BaseModel):
    kind = models.CharField(max_length=20, choices=ReferralKind.choices, default="standard")
    source = models.CharField(max_length=20, choices=ReferralSource.choices, default="app")
    # Sender: an organization and the staff member who made it; both empty for a self-referral.
    sender_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sender_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The sender's own record of the person (never shown to the recipient).
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    recipient_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+"
    )
    recipient_service = models.ForeignKey(
        "directory.Service", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Recipient side: who took it on, and the recipient's own record once they enrol the person.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient_participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    need = models.CharField("need", max_length=30, choices=LifeDomain.choices)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default="routine")
    note_for_recipient = models.TextField("note for the recipient", blank=True, max_length=4000)
    purpose = models.CharField(max_length=30, choices=Purpose.choices, default=Purpose.REFERRAL)
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    categories = models.JSONField("information shared", default=list)
    # What the recipient may see: the consented categories as disclosed when sent.
    shared = models.JSONField(default=dict, blank=True)
    is_part2_source = models.BooleanField(default=False)
    external_id = models.CharField("id in the partner system", max_length=200, blank=True)

    status = models.CharField(max_length=20, choices=ReferralStatus.choices, default="draft")
    status_reason = models.CharField(max_length=30, choices=StatusReason.choices, blank=True)
    status_reason_text = models.CharField(max_length=500, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient_organization", "status", "-sent_at"], name="referral_inbox"
            ),
            models.Index(fields=["recipient_organization", "-sent_at"], name="referral_inbox_all"),
            models.Index(
                fields=["sender_organization", "status", "-sent_at"], name="referral_outbox"
            ),
            models.Index(fields=["sender_organization", "-sent_at"], name="referral_outbox_all"),
        ]

    def __str__(self) -> str:
        return f"Referral to {self.recipient_organization} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def person_label(self) -> str:
        """How the recipient names the person: from what was shared, else a neutral label."""
        identity = self.shared.get("identity_and_contact") or {}
        return str(identity.get("name") or NAME_NOT_SHARED)


class ReferralEvent(AppendOnlyModel):
    """One step in a referral's history: a status change, the first opening, or a note."""

    class Kind(models.TextChoices):
        STATUS = "status", "Status changed"
        OPENED = "opened", "Opened by the recipient"
        NOTE = "note", "Progress note"
        SHARED = "shared", "Information shared"

    class Side(models.TextChoices):
        SENDER = "sender", "Sender"
        RECIPIENT = "recipient", "Recipient"
        PERSON = "person", "The person"
        SYSTEM = "system", "ROSC Hub"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    side = models.CharField(max_length=10, choices=Side.choices)
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    by_name = models.CharField(max_length=200, blank=True)
    by_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReferralStatus.choices, blank=True)
    reason = models.CharField(max_length=30, choices=StatusReason.choices, blank=True)
    text = models.TextField(blank=True, max_length=4000)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["referral", "at"], name="referral_event_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.referral_id} at {self.at:%Y-%m-%d %H:%M}"


class ReferralSettings(models.Model):
    """An organization's overdue rules for referrals sent to it (business days, Mon to Fri)."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="referral_settings"
    )
    open_within_business_days = models.PositiveSmallIntegerField(
        "flag when not opened within (business days)", default=1
    )
    respond_within_business_days = models.PositiveSmallIntegerField(
        "flag when not accepted or declined within (business days)", default=3
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "referral settings"

    def __str__(self) -> str:
        return f"Referral settings of {self.organization}"


class Notification(BaseModel):
    """An in-app notice to one staff member about a referral (also e-mailed by a task)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    message = models.CharField(max_length=300)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.message


class ContactAttempt(models.Model):
    """One contact-me request that reached an organization, kept to rate-limit the public form.

    The client's address is never stored: only a keyed hash of it (HMAC with SECRET_KEY), so
    requests from one address can be counted but not traced back. Rows older than a day are
    removed as new ones arrive.
    """

    ip_hash = models.CharField(max_length=64)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["ip_hash", "at"], name="contact_attempt_ip_at"),
            models.Index(fields=["organization", "at"], name="contact_attempt_org_at"),
            models.Index(fields=["at"], name="contact_attempt_at"),
        ]

    def __str__(self) -> str:
        return f"Contact request to {self.organization_id} at {self.at:%Y-%m-%d %H:%M}"
