"""The demo's directory listings: one HSDS service at one location for each service organization.

Deterministic from the seed (HSDS ids are uuid5 of the seed and the organization's key). Places
are invented street addresses in real towns of each council region; phone numbers use the
555-01xx range reserved for fiction.
"""

import random
import uuid
from datetime import date, time, timedelta
from typing import TYPE_CHECKING

from rosc.accounts.models import Organization, RecoveryPathway
from rosc.demo.network import demo_slugs
from rosc.directory import taxonomy as recovery
from rosc.directory.models import (
    Address,
    Attribute,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from rosc.directory.search_index import search_index_deferred
from rosc.directory.services import taxonomy_load_recovery_support

if TYPE_CHECKING:
    from rosc.demo.management.commands.demo import DemoContext

Kind = Organization.Kind
P = RecoveryPathway
NAMESPACE = uuid.UUID("0d7c5a52-93a4-5f4e-8d27-7c1c4b3f6a10")

# region -> (town, postal code, latitude, longitude); "" is statewide (Springfield).
PLACES: dict[str, tuple[str, str, float, float]] = {
    "": ("Springfield", "62701", 39.7990, -89.6440),
    "metro": ("Evanston", "60201", 42.0451, -87.6877),
    "rock_river": ("Rockford", "61101", 42.2711, -89.0940),
    "central": ("Peoria", "61602", 40.6936, -89.5890),
    "capital": ("Springfield", "62701", 39.7990, -89.6440),
    "metro_east": ("Belleville", "62220", 38.5201, -89.9840),
    "southern": ("Carbondale", "62901", 37.7273, -89.2168),
}

# kind -> (service name, description, term codes, pathways, peer-led)
LISTINGS: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...], bool]] = {
    Kind.RCO: (
        "Peer recovery coaching",
        "Free one-to-one recovery coaching and all-recovery support groups, by people in recovery.",
        ("recovery-coaching", "support-groups", "family-support", "naloxone"),
        (P.MUTUAL_AID, P.MEDICATION_ASSISTED, P.HARM_REDUCTION, P.FAMILY_COMMUNITY),
        True,
    ),
    Kind.RECOVERY_CENTER: (
        "Recovery community center drop-in",
        "A peer-run place to meet, join a meeting, use a computer or find a ride.",
        ("peer-run-recovery-community-center", "support-groups", "employment", "transportation"),
        (P.MUTUAL_AID, P.NATURAL_RECOVERY, P.DIGITAL_ONLINE, P.FAITH_BASED),
        True,
    ),
    Kind.RECOVERY_CAFE: (
        "Recovery café membership",
        "Meals, recovery circles and classes for members who keep a few simple agreements.",
        ("recovery-cafe", "food", "support-groups", "education"),
        (P.MUTUAL_AID, P.FAMILY_COMMUNITY),
        True,
    ),
    Kind.RECOVERY_RESIDENCE: (
        "Recovery residence beds",
        "Safe, substance-free housing with house meetings and peer support.",
        ("recovery-residence", "recovery-housing"),
        (P.MUTUAL_AID, P.MEDICATION_ASSISTED),
        True,
    ),
    Kind.TREATMENT: (
        "Outpatient treatment and medication",
        "Assessment, counseling and medication for opioid and alcohol use disorders.",
        ("medication-for-oud", "treatment-referral", "mental-health"),
        (P.CLINICAL_TREATMENT, P.MEDICATION_ASSISTED),
        False,
    ),
    Kind.HOSPITAL: (
        "Emergency department recovery support",
        "Peer recovery coaches meet people in the emergency department, day and night.",
        ("recovery-coaching", "naloxone", "treatment-referral", "health-care"),
        (P.CLINICAL_TREATMENT, P.MEDICATION_ASSISTED, P.HARM_REDUCTION),
        False,
    ),
    Kind.HARM_REDUCTION: (
        "Harm-reduction supplies and naloxone",
        "Naloxone, test strips, safer-use supplies and a warm welcome, no questions asked.",
        ("harm-reduction", "naloxone", "treatment-referral"),
        (P.HARM_REDUCTION,),
        True,
    ),
    Kind.HOUSING: (
        "Housing help",
        "Help finding and keeping a home, including recovery housing.",
        ("recovery-housing",),
        (P.OTHER,),
        False,
    ),
    Kind.EMPLOYMENT: (
        "Second-chance employment",
        "Job search, résumés and employers who hire people in recovery.",
        ("employment", "education"),
        (P.OTHER,),
        False,
    ),
    Kind.TRANSPORTATION: (
        "Rides to recovery",
        "Rides to treatment, meetings, court and work.",
        ("transportation",),
        (P.OTHER,),
        False,
    ),
    Kind.LEGAL_AID: (
        "Legal help and record relief",
        "Free legal advice, expungement and sealing clinics.",
        ("legal-help", "reentry-support"),
        (P.OTHER,),
        False,
    ),
    Kind.COURT: (
        "Recovery court",
        "A treatment court that supports people in recovery instead of jail.",
        ("legal-help", "treatment-referral"),
        (P.CLINICAL_TREATMENT, P.MEDICATION_ASSISTED),
        False,
    ),
    Kind.JAIL: (
        "Reentry planning",
        "Recovery support and medication before and after release.",
        ("reentry-support", "medication-for-oud"),
        (P.MEDICATION_ASSISTED,),
        False,
    ),
    Kind.PROBATION: (
        "Probation recovery support",
        "Links to recovery coaching and treatment for people on probation.",
        ("reentry-support", "recovery-coaching"),
        (P.OTHER,),
        False,
    ),
}

STREETS = ("Main Street", "Oak Avenue", "Washington Street", "Lincoln Avenue", "Elm Street")


def _id(seed: int, *parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join([str(seed), *parts]))


@search_index_deferred()  # one index refresh at the end, not one per record
def build_directory(ctx: "DemoContext") -> None:
    """HSDS fields and recovery extensions on each organization, and a listing for each."""
    taxonomy_load_recovery_support()
    rng = random.Random(f"directory:{ctx.seed}")
    for spec in ctx.plan.organizations:
        org = ctx.organizations[spec.key]
        listing = LISTINGS.get(spec.kind)
        town, postal_code, lat, lon = PLACES.get(spec.region, PLACES[""])
        org.alternate_name = spec.name.removesuffix(" (demo)")
        org.legal_status = "Nonprofit corporation"
        org.last_verified_on = date(2026, 1, 15) - timedelta(days=rng.randrange(0, 500))
        if listing is None:
            org.save()
            continue
        name, description, terms, pathways, peer_led = listing
        org.peer_led = peer_led
        org.recovery_pathways = [str(p) for p in pathways]
        org.accepting_new_people = rng.random() > 0.2
        org.capacity_note = "" if org.accepting_new_people else "Waiting list: about two weeks."
        org.save()
        service = Service.objects.create(
            public_id=_id(ctx.seed, spec.key, "service"),
            organization=org,
            name=name,
            description=description,
            status=Service.Status.ACTIVE,
            email=spec.email,
            url=spec.url,
            fees_description="Free of charge." if peer_led else "Insurance or sliding scale.",
        )
        location = Location.objects.create(
            public_id=_id(ctx.seed, spec.key, "location"),
            organization=org,
            location_type=Location.LocationType.PHYSICAL,
            name=org.alternate_name,
            latitude=round(lat + rng.uniform(-0.05, 0.05), 5),
            longitude=round(lon + rng.uniform(-0.05, 0.05), 5),
        )
        Address.objects.create(
            public_id=_id(ctx.seed, spec.key, "address"),
            location=location,
            address_1=f"{rng.randrange(100, 2000)} {rng.choice(STREETS)}",
            city=town,
            state_province="IL",
            postal_code=postal_code,
            country="US",
            address_type=Location.LocationType.PHYSICAL,
        )
        ServiceAtLocation.objects.create(
            public_id=_id(ctx.seed, spec.key, "service_at_location"),
            service=service,
            location=location,
        )
        Phone.objects.create(
            public_id=_id(ctx.seed, spec.key, "phone"),
            service=service,
            number=f"217-555-01{rng.randrange(0, 100):02d}",
            type="voice",
        )
        Schedule.objects.create(
            public_id=_id(ctx.seed, spec.key, "schedule"),
            service=service,
            freq=Schedule.Freq.WEEKLY,
            byday="MO,TU,WE,TH,FR",
            opens_at=time(9),
            closes_at=time(17),
            description="Weekdays, 9 am to 5 pm.",
        )
        for code in terms:
            Attribute.objects.create(
                public_id=_id(ctx.seed, spec.key, "attribute", code),
                link_id=service.public_id,
                link_entity="service",
                link_type="recovery_support",
                taxonomy_term_id=recovery.term_id(code),
            )


def clear_directory() -> None:
    """Remove the listings of the demo's organizations (their HSDS children go with them)."""
    slugs = demo_slugs()
    services = Service.objects.filter(organization__slug__in=slugs)
    Attribute.objects.filter(
        link_id__in=list(services.values_list("public_id", flat=True))
    ).delete()
    services.delete()
    Location.objects.filter(organization__slug__in=slugs).delete()
