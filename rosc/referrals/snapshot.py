"""What a referral shares: the consented categories of a participant's record, as of sending.

The recipient sees only this snapshot (never the live record), so a later revocation cannot
take back what was disclosed but also lets nothing new through. Encounter notes are never
copied into a referral; the sender writes a note for the recipient instead.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from rosc.assessments.models import Assessment
from rosc.consent.models import Category
from rosc.encounters.models import Encounter
from rosc.people.models import Participant
from rosc.plans.models import PlanVersion

# What a referral may carry. Encounter notes stay with the organization that wrote them.
SHAREABLE = (
    Category.IDENTITY_CONTACT,
    Category.ENGAGEMENT,
    Category.RECOVERY_PLAN,
    Category.ASSESSMENTS,
    Category.REFERRAL_DETAILS,
)


def _identity(p: Participant) -> dict[str, Any]:
    return {
        "name": p.display_name,
        "legal_name": p.legal_name,
        "first_name": p.legal_first_name,
        "last_name": p.legal_last_name,
        "preferred_name": p.preferred_name,
        "pronouns": p.pronouns,
        "date_of_birth": p.date_of_birth.isoformat() if p.date_of_birth else "",
        "phone": p.phone,
        "email": p.email,
        "preferred_contact": p.preferred_contact,
        "preferred_contact_label": (
            p.get_preferred_contact_display() if p.preferred_contact else ""
        ),
        "may_leave_message": p.may_leave_message,
        "language": p.language,
    }


def _engagement(p: Participant) -> dict[str, Any]:
    since = timezone.now() - timedelta(days=90)
    contacts = Encounter.objects.filter(participant=p, voided_at__isnull=True)
    last = contacts.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    return {
        "enrolled_on": p.enrolled_on.isoformat(),
        "contacts_last_90_days": contacts.filter(occurred_at__gte=since).count(),
        "last_contact_on": timezone.localdate(last).isoformat() if last else "",
    }


def _plan(p: Participant) -> dict[str, Any]:
    version = PlanVersion.objects.filter(participant=p).order_by("-number").first()
    if version is None:
        return {"goals": []}
    return {
        "version": version.number,
        "saved_on": timezone.localdate(version.saved_at).isoformat(),
        "goals": [
            {"domain": g.get_domain_display(), "text": g.text, "status": g.get_status_display()}
            for g in version.goals.order_by("position")
        ],
    }


def _assessments(p: Participant) -> dict[str, Any]:
    latest = (
        Assessment.objects.filter(participant=p)
        .select_related("instrument")
        .order_by("-taken_on", "-id")[:3]
    )
    return {
        "latest": [
            {"instrument": a.instrument.code, "taken_on": a.taken_on.isoformat(), "total": a.total}
            for a in latest
        ]
    }


def referral_snapshot(
    participant: Participant, categories: list[str], details: dict[str, Any]
) -> dict[str, Any]:
    """The consented categories of `participant` as the recipient will see them."""
    builders: dict[str, Callable[[Participant], dict[str, Any]]] = {
        Category.IDENTITY_CONTACT: _identity,
        Category.ENGAGEMENT: _engagement,
        Category.RECOVERY_PLAN: _plan,
        Category.ASSESSMENTS: _assessments,
    }
    shared: dict[str, Any] = {}
    for category in categories:
        if category == Category.REFERRAL_DETAILS:
            shared[category] = details
        elif category in builders:
            shared[category] = builders[category](participant)
    return shared
