"""The contact-me form on directory listings: a person asks an organization to reach out.

No sign-in: the person gives a name, a phone or an e-mail, how they like to be contacted and
their explicit consent to be contacted. That becomes a self-referral in the organization's
inbox (`Referral`, kind self_referral, source contact_form), with what they typed as the only
shared information. No participant record is made: the organization decides, after talking with
them, whether to enrol them (`referral_enrol_person`).

Protection without third-party services: a honeypot field and a signed, timed form token (in
`contact_forms`), and the rate limits here, counted per keyed hash of the client address (the
address itself is never stored) and per organization.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import salted_hmac

from rosc.accounts.models import Membership, Organization
from rosc.consent.models import Category
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.directory.models import Phone, Service
from rosc.directory.validation import clean_phone
from rosc.people.models import ContactMethod, LifeDomain
from rosc.referrals.models import (
    ContactAttempt,
    Referral,
    ReferralEvent,
    ReferralKind,
    ReferralSource,
    ReferralStatus,
    Urgency,
)
from rosc.referrals.notifications import WORKS_WITH_PEOPLE, notify

MAX_NAME = 100
MAX_MESSAGE = 1000
# The ways a person can ask to be reached from the public form (no "in person").
CONTACT_WAYS = (ContactMethod.PHONE_CALL, ContactMethod.TEXT, ContactMethod.EMAIL)
# What an organization takes in an hour: from one address, and from everyone.
PER_ADDRESS_PER_HOUR = 5
PER_ORGANIZATION_PER_HOUR = 20
# When nobody says what it is about, it is general recovery support.
DEFAULT_NEED = LifeDomain.RECOVERY_WELLNESS


class ContactLimitReached(Exception):
    """Too many contact requests in the last hour (from this address, or to this organization)."""


def client_hash(ip: str | None) -> str:
    """A keyed hash of the client's address (HMAC-SHA256 with SECRET_KEY); never the address."""
    return salted_hmac("rosc.referrals.contact", ip or "unknown", algorithm="sha256").hexdigest()


def consent_statement(organization: Organization) -> str:
    return f"I agree that {organization.name} may contact me about this."


# ---- Reads (public directory data only) -----------------------------------------------------


def accepts_contact_requests(organization: Organization) -> bool:
    """Only organizations whose staff use ROSC Hub can answer a request: anyone else's inbox
    would be read by nobody, so their listing shows their phone instead of the form."""
    return (
        organization.is_active
        and Membership.objects.active()
        .filter(organization=organization, role__in=WORKS_WITH_PEOPLE)
        .exists()
    )


def contact_organization(organization_id: Any) -> Organization:
    """The organization of a listing that takes contact requests; 404 for any other id."""
    org = Organization.objects.filter(public_id=organization_id, is_active=True).first()
    if org is None or not accepts_contact_requests(org):
        raise Http404("Not found")
    return org


def contact_service(service_id: Any) -> Service:
    """An active service whose organization takes contact requests; 404 for any other id."""
    service = (
        Service.objects.filter(public_id=service_id, status=Service.Status.ACTIVE)
        .select_related("organization")
        .first()
    )
    if service is None or not accepts_contact_requests(service.organization):
        raise Http404("Not found")
    return service


def organization_phone(organization: Organization) -> str:
    """A number to call instead: the organization's own, else one of its active services'."""
    own = (
        Phone.objects.filter(organization=organization, service__isnull=True)
        .order_by("created_at")
        .values_list("number", flat=True)
        .first()
    )
    if own:
        return own
    return (
        Phone.objects.filter(
            service__organization=organization, service__status=Service.Status.ACTIVE
        )
        .order_by("created_at")
        .values_list("number", flat=True)
        .first()
    ) or ""


def contact_limit_reached(*, organization: Organization, ip_hash: str) -> bool:
    """True when this address, or everyone together, reached the hourly limit for requests."""
    since = timezone.now() - timedelta(hours=1)
    recent = ContactAttempt.objects.filter(at__gte=since)
    if recent.filter(ip_hash=ip_hash).count() >= PER_ADDRESS_PER_HOUR:
        return True
    return recent.filter(organization=organization).count() >= PER_ORGANIZATION_PER_HOUR


# ---- The write ------------------------------------------------------------------------------


def _split_name(name: str) -> tuple[str, str]:
    """Split on the last space: "Mary Ann Lee" is ("Mary Ann", "Lee"); one word has no last name."""
    first, _, last = name.rpartition(" ")
    return (first, last) if first else (name, "")


def contact_errors(
    *,
    name: str,
    phone: str,
    email: str,
    preferred_contact: str,
    message: str,
    need: str,
    consent_to_contact: bool,
) -> tuple[dict[str, str], str]:
    """Field errors, and the phone number as it will be stored."""
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Please tell us what to call you."
    elif len(name) > MAX_NAME:
        errors["name"] = f"Please keep the name under {MAX_NAME} characters."
    if phone:
        try:
            phone = clean_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
    if email:
        try:
            EmailValidator(message="Enter an e-mail address like name@example.org.")(email)
        except ValidationError as exc:
            errors["email"] = exc.messages[0]
    if not phone and not email:
        errors["phone"] = "Please give a phone number or an e-mail address, so they can reach you."
    if preferred_contact not in CONTACT_WAYS:
        errors["preferred_contact"] = "Choose how you would like to be contacted."
    elif preferred_contact == ContactMethod.EMAIL and not email and "email" not in errors:
        errors["email"] = "You chose e-mail: please give your e-mail address."
    elif preferred_contact != ContactMethod.EMAIL and not phone and "phone" not in errors:
        errors["phone"] = "You chose a call or a text: please give your phone number."
    if len(message) > MAX_MESSAGE:
        errors["message"] = f"Please keep the message under {MAX_MESSAGE} characters."
    if need and need not in LifeDomain.values:
        errors["need"] = "Choose one of the listed kinds of help, or leave it empty."
    if not consent_to_contact:
        errors["consent_to_contact"] = (
            "Please tick the box to agree to be contacted: without it they cannot reach out."
        )
    return errors, phone


@transaction.atomic
def self_referral_create(
    *,
    organization: Organization,
    ip_hash: str,
    name: str,
    phone: str = "",
    email: str = "",
    preferred_contact: str,
    may_leave_message: bool = False,
    message: str = "",
    need: str = "",
    consent_to_contact: bool,
    service: Service | None = None,
) -> Referral:
    """A person's request to be contacted, as a requested self-referral in `organization`'s inbox.

    Refused with ValidationError (field errors) when what they typed cannot be used, and with
    ContactLimitReached past the hourly limits. Nothing is saved when refused.
    """
    # One request at a time per organization, so concurrent requests cannot pass the limit.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if not accepts_contact_requests(organization):
        raise ValidationError("This organization does not take requests through ROSC Hub.")
    if service is not None and (
        service.organization_id != organization.public_id or service.status != Service.Status.ACTIVE
    ):
        raise ValidationError("Choose a service of this organization.")
    if contact_limit_reached(organization=organization, ip_hash=ip_hash):
        raise ContactLimitReached
    name = " ".join((name or "").split())
    email = (email or "").strip()
    message = (message or "").strip()
    errors, phone = contact_errors(
        name=name,
        phone=(phone or "").strip(),
        email=email,
        preferred_contact=preferred_contact,
        message=message,
        need=need,
        consent_to_contact=consent_to_contact,
    )
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    first_name, last_name = _split_name(name)
    need_code = need or DEFAULT_NEED
    referral = Referral(
        kind=ReferralKind.SELF_REFERRAL,
        source=ReferralSource.CONTACT_FORM,
        recipient_organization=organization,
        recipient_service=service,
        need=need_code,
        urgency=Urgency.ROUTINE,
        note_for_recipient=message,
        categories=[Category.IDENTITY_CONTACT, Category.REFERRAL_DETAILS],
        status=ReferralStatus.REQUESTED,
        status_changed_at=now,
        sent_at=now,
    )
    referral.shared = {
        # The same keys as a referral sent by an organization (snapshot._identity).
        Category.IDENTITY_CONTACT: {
            "name": name,
            "legal_name": "",
            "first_name": first_name,
            "last_name": last_name,
            "preferred_name": name,
            "pronouns": "",
            "date_of_birth": "",
            "phone": phone,
            "email": email,
            "preferred_contact": preferred_contact,
            "preferred_contact_label": str(ContactMethod(preferred_contact).label),
            "may_leave_message": bool(may_leave_message),
            "language": "",
        },
        # The same keys as services._details, and the person's consent to be contacted.
        Category.REFERRAL_DETAILS: {
            "need": str(LifeDomain(need_code).label),
            "need_stated": bool(need),
            "urgency": str(Urgency.ROUTINE.label),
            "note": message,
            "service": service.name if service else "",
            "kind": str(ReferralKind.SELF_REFERRAL.label),
            "consent_to_contact": True,
            "consent_statement": consent_statement(organization),
            "consented_at": now.isoformat(),
        },
    }
    referral.save()
    ReferralEvent.objects.create(
        referral=referral,
        at=now,
        kind=ReferralEvent.Kind.STATUS,
        side=ReferralEvent.Side.PERSON,
        to_status=ReferralStatus.REQUESTED,
    )
    ContactAttempt.objects.filter(at__lt=now - timedelta(days=1)).delete()
    ContactAttempt.objects.create(ip_hash=ip_hash, organization=organization, at=now)
    audit_record(
        actor=None,
        action=AuditEvent.Action.CREATE,
        record=referral,
        record_organization_id=organization.public_id,
        detail={
            "kind": ReferralKind.SELF_REFERRAL,
            "source": ReferralSource.CONTACT_FORM,
            "status": ReferralStatus.REQUESTED,
            "client_hash": ip_hash[:16],
        },
    )
    about = service.name if service else str(LifeDomain(need_code).label).lower()
    notify(
        referral=referral,
        organization=organization,
        named=None,
        message=(
            f"New request through the directory: a person asked {organization.name} to "
            f"contact them about {about}."
        ),
    )
    return referral


def contact_min_seconds() -> float:
    """How soon after opening the form a request may be sent (faster is a bot)."""
    return float(getattr(settings, "ROSC_CONTACT_MIN_SECONDS", 3))
