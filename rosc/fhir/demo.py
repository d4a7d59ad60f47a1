"""Demo: an emergency department hands people over to recovery organizations over FHIR.

Northgate Community Hospital (demo) sends a few referrals from "its own system": each is a
FHIR Bundle (SDOHCC Task and ServiceRequest, the Patient, the person's consent) posted through
`rosc.fhir.services.inbound_referral_create`, exactly as a partner's API key would, so the
recovery organizations' inboxes show referrals whose source is a partner system. Made-up
people; the same seed gives the same referrals.
"""

import random
from typing import Any

from django.utils import timezone

from rosc.accounts.actor import actor_for_user
from rosc.accounts.models import Membership, Organization
from rosc.accounts.roles import Role
from rosc.demo.network import ORGANIZATIONS, demo_slugs
from rosc.fhir import resources as fr
from rosc.fhir.services import inbound_referral_create
from rosc.referrals.models import Referral, ReferralSource

HOSPITAL_SLUG = next(o.slug for o in ORGANIZATIONS if o.key == "northgate")
PEOPLE = (
    ("Daniel", "Okafor", "sms", "housing-instability", "urgent"),
    ("Rosa", "Delgado", "phone", "social-connection", "routine"),
    ("Tommy", "Nguyen", "email", "transportation-insecurity", "asap"),
    ("Aisha", "Bell", "phone", "employment-status", "routine"),
)
NOTES = (
    "Seen in the emergency department last night; asked for a peer to call today.",
    "Would like to meet someone in recovery before going home.",
    "Has no ride to appointments this week.",
    "Ready to talk about work and a recovery meeting nearby.",
)


def referral_bundle_example(
    *,
    task_id: str,
    owner_id: object,
    person: tuple[str, str],
    telecom: str,
    phone: str,
    category: str,
    priority: str,
    note: str,
    consent_date: str,
) -> dict[str, Any]:
    """A minimal partner Bundle: SDOHCC Task + ServiceRequest, Patient and active Consent."""
    first, last = person
    value = f"{first.lower()}@example.org" if telecom == "email" else phone
    urn = {k: f"urn:uuid:{task_id}-{k}" for k in ("sr", "pt", "cn")}
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": f"urn:uuid:{task_id}",
                "resource": {
                    "resourceType": "Task",
                    "id": task_id,
                    "meta": {"profile": [fr.TASK_PROFILE]},
                    "status": "requested",
                    "intent": "order",
                    "priority": priority,
                    "code": {"coding": [{"system": fr.TASK_CODES, "code": "fulfill"}]},
                    "focus": {"reference": urn["sr"]},
                    "for": {"reference": urn["pt"]},
                    "authoredOn": consent_date,
                    "owner": {"reference": f"Organization/{owner_id}"},
                },
            },
            {
                "fullUrl": urn["sr"],
                "resource": {
                    "resourceType": "ServiceRequest",
                    "meta": {"profile": [fr.SERVICE_REQUEST_PROFILE]},
                    "status": "active",
                    "intent": "order",
                    "category": [{"coding": [{"system": fr.SDOHCC_CODES, "code": category}]}],
                    "code": {"text": "Peer recovery support"},
                    "subject": {"reference": urn["pt"]},
                    "priority": priority,
                    "supportingInfo": [{"reference": urn["cn"]}],
                    "note": [{"text": note}],
                },
            },
            {
                "fullUrl": urn["pt"],
                "resource": {
                    "resourceType": "Patient",
                    "name": [{"use": "official", "family": last, "given": [first]}],
                    "telecom": [{"system": telecom, "value": value, "rank": 1}],
                },
            },
            {
                "fullUrl": urn["cn"],
                "resource": {
                    "resourceType": "Consent",
                    "meta": {"profile": [fr.CONSENT_PROFILE]},
                    "status": "active",
                    "scope": {"coding": [{"system": fr.CONSENT_SCOPE, "code": "patient-privacy"}]},
                    "category": [{"coding": [{"system": fr.ACT_CODE, "code": "IDSCL"}]}],
                    "patient": {"reference": urn["pt"]},
                    "dateTime": consent_date,
                    "sourceAttachment": {"title": "Release signed in the emergency department"},
                },
            },
        ],
    }


def build_demo_fhir(seed: int) -> list[Referral]:
    """A handful of referrals from the demo hospital's system to the demo's RCOs."""
    rng = random.Random(f"fhir:{seed}")
    hospital = Organization.objects.filter(slug=HOSPITAL_SLUG, is_active=True).first()
    coach = (
        Membership.objects.filter(organization=hospital, role=Role.PARTNER_STAFF, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    rcos = list(
        Organization.objects.filter(
            slug__in=demo_slugs(), kind=Organization.Kind.RCO, is_active=True
        ).order_by("slug")
    )
    if hospital is None or coach is None or not rcos:
        return []
    actor = actor_for_user(coach.user, hospital)
    now = fr.fhir_instant(timezone.now())
    made = []
    for i, (first, last, telecom, category, priority) in enumerate(PEOPLE):
        bundle = referral_bundle_example(
            task_id=f"ed-{seed}-{i + 1:03d}",
            owner_id=rng.choice(rcos).public_id,
            person=(first, last),
            telecom=telecom,
            phone=f"555-01{rng.randint(10, 99)}",
            category=category,
            priority=priority,
            note=NOTES[i],
            consent_date=now,
        )
        referral, _created = inbound_referral_create(actor=actor, data=bundle)
        made.append(referral)
    return made


def clear_demo_fhir() -> None:
    """Remove the referrals the demo hospital sent over FHIR (events and notices go with them)."""
    Referral.objects.filter(
        source=ReferralSource.FHIR, sender_organization__slug__in=demo_slugs()
    ).delete()
