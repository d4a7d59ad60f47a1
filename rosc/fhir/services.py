"""Writes over FHIR: a partner system's referral Bundle becomes a referral in ROSC Hub."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization
from rosc.accounts.roles import Perm
from rosc.accounts.services import PermissionDenied
from rosc.consent.models import Category, Purpose
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.directory.models import Service
from rosc.fhir.inbound import read_referral_bundle
from rosc.fhir.problems import FhirProblem, Issue
from rosc.people.models import LifeDomain
from rosc.referrals.models import (
    Referral,
    ReferralEvent,
    ReferralKind,
    ReferralSource,
    ReferralStatus,
    Urgency,
)
from rosc.referrals.notifications import notify


@transaction.atomic
def inbound_referral_create(*, actor: Actor, data: Any) -> tuple[Referral, bool]:
    """Make the referral a partner system's Bundle asks for; (referral, created).

    The actor is the API key's owner: the key's organization is the sender, the key's user
    the sending staff member; the partner has no participant record here (participant None),
    so what the recipient sees is exactly what the Bundle carried (`shared`: identity and
    contact from the Patient, the referral details with the attested consent). The same Task
    id sent again by the same organization answers the referral made the first time
    (created False) instead of a second one. Raises FhirProblem(422) listing what is wrong.
    """
    org = actor.organization
    if org is None or not actor.can(Perm.PARTICIPANTS_OPEN):
        raise PermissionDenied
    now = timezone.now()
    wanted = read_referral_bundle(data, now=now)
    earlier = (
        Referral.objects.filter(
            sender_organization=org, source=ReferralSource.FHIR, external_id=wanted.external_id
        )
        .order_by("id")
        .first()
    )
    if earlier is not None:
        return earlier, False

    issues: list[Issue] = []
    recipient = Organization.objects.filter(public_id=wanted.owner_id).first()
    if recipient is None or not recipient.is_active:
        issues.append(
            (
                "not-found",
                "Task.owner: no active organization in ROSC Hub has that id.",
                "Task.owner",
            )
        )
    elif recipient.pk == org.pk:
        issues.append(("business-rule", "A referral goes to another organization.", "Task.owner"))
    service = None
    if wanted.service_id is not None:
        service = (
            Service.objects.filter(public_id=wanted.service_id)
            .exclude(status=Service.Status.DEFUNCT)
            .first()
        )
        if service is None or recipient is None or service.organization_id != recipient.public_id:
            issues.append(
                (
                    "not-found",
                    "ServiceRequest.performer: that HealthcareService is not a service of the "
                    "organization in Task.owner.",
                    "ServiceRequest.performer",
                )
            )
    if issues:
        raise FhirProblem(422, issues)
    assert recipient is not None

    need_label = LifeDomain(wanted.need).label
    details = {
        "need": need_label,
        "urgency": Urgency(wanted.urgency).label,
        "note": wanted.note,
        "service": service.name if service else "",
        "kind": ReferralKind.STANDARD.label,
        "source": ReferralSource.FHIR.label,
        **wanted.consent,
    }
    referral = Referral.objects.create(
        kind=ReferralKind.STANDARD,
        source=ReferralSource.FHIR,
        sender_organization=org,
        sender_user=actor.user,
        participant=None,
        recipient_organization=recipient,
        recipient_service=service,
        need=wanted.need,
        urgency=wanted.urgency,
        note_for_recipient=wanted.note,
        purpose=Purpose.REFERRAL,
        categories=[Category.IDENTITY_CONTACT, Category.REFERRAL_DETAILS],
        shared={Category.IDENTITY_CONTACT: wanted.identity, Category.REFERRAL_DETAILS: details},
        external_id=wanted.external_id,
        status=ReferralStatus.REQUESTED,
        status_changed_at=now,
        sent_at=now,
    )
    ReferralEvent.objects.create(
        referral=referral,
        kind=ReferralEvent.Kind.STATUS,
        side=ReferralEvent.Side.SENDER,
        by_user=actor.user,
        by_name=actor.user.get_full_name() or actor.user.email,
        by_organization=org,
        to_status=ReferralStatus.REQUESTED,
        at=now,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=referral,
        record_organization_id=org.public_id,
        detail={
            "source": ReferralSource.FHIR.value,
            "external_id": wanted.external_id,
            "status": ReferralStatus.REQUESTED.value,
            "consent": wanted.consent.get("consent_reference", ""),
        },
    )
    notify(
        referral=referral,
        organization=recipient,
        named=None,
        message=f"Referral for {need_label.lower()} from {org.name} to {recipient.name}: "
        f"{ReferralStatus.REQUESTED.label}.",
    )
    return referral, True
