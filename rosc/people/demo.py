"""Demo participants: a few hundred invented people across the demo's recovery organizations.

`build_demo_participants(seed)` runs after the demo network exists. It enrols people through
rosc.people.services and records their consents to partner organizations through
rosc.consent.services, as the demo's own peer specialists, so every record is audited as real
work would be. The same seed always gives the same people. Names are invented by pairing two
fixed lists; nobody here is a real person.
"""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rosc.accounts.actor import Actor, actor_for_user
from rosc.accounts.models import Membership, Organization
from rosc.accounts.roles import Role
from rosc.consent.models import Category, Consent, Purpose, SignatureMethod
from rosc.consent.services import consent_record, consent_revoke
from rosc.people.models import (
    ContactMethod,
    JusticeInvolvement,
    LifeDomain,
    LivingSituation,
    Participant,
    RecoveryPathway,
    ReferralSource,
)
from rosc.people.services import participant_enrol

PARTICIPANT_COUNT = 300
# Organizations whose peer specialists enrol people, and the kinds people are referred on to.
ENROLLING_KINDS = (Organization.Kind.RCO, Organization.Kind.RECOVERY_CENTER)
PARTNER_KINDS = (
    Organization.Kind.TREATMENT,
    Organization.Kind.HOSPITAL,
    Organization.Kind.HARM_REDUCTION,
    Organization.Kind.HOUSING,
    Organization.Kind.EMPLOYMENT,
    Organization.Kind.TRANSPORTATION,
    Organization.Kind.LEGAL_AID,
    Organization.Kind.COURT,
    Organization.Kind.PROBATION,
    Organization.Kind.RECOVERY_RESIDENCE,
)
ENROLLING_ROLES = (Role.PEER_SPECIALIST, Role.SUPERVISOR)

FIRST_NAMES: tuple[str, ...] = (
    "Ada", "Alejandro", "Amara", "Anthony", "Ayesha", "Bianca", "Caleb", "Camila", "Connor",
    "Daniela", "Desmond", "Diego", "Ebony", "Emil", "Esperanza", "Fatima", "Felix", "Gloria",
    "Harold", "Ines", "Ivan", "Jada", "Javier", "Jonah", "Josefina", "Kai", "Kiara", "Lamar",
    "Leticia", "Lucas", "Makayla", "Mateo", "Miriam", "Nia", "Nico", "Noor", "Oscar", "Paloma",
    "Ray", "Renée", "Rohan", "Sade", "Santiago", "Sofía", "Tariq", "Theo", "Uma", "Victor",
    "Wanda", "Xavier", "Yusuf", "Zara",
)  # fmt: skip
LAST_NAMES: tuple[str, ...] = (
    "Acosta", "Adeyemi", "Baker", "Barros", "Benally", "Calloway", "Cruz", "Dubois", "Esposito",
    "Fernández", "Fitzgerald", "Gutierrez", "Hale", "Hernandez", "Holloway", "Ibrahim", "Jovanovic",
    "Keller", "Kim", "Lambert", "Larsen", "MacLeod", "Marquez", "Mbeki", "Nguyen", "Nowak",
    "Osei", "Pacheco", "Petrov", "Quigley", "Reyes", "Rosario", "Schmidt", "Shapiro", "Soto",
    "Tanaka", "Toussaint", "Valdez", "Vance", "Wojcik", "Whitaker", "Yamamoto", "Zamora",
)  # fmt: skip
PRONOUNS = ("she/her", "he/him", "they/them", "", "", "")
LANGUAGES = ("English", "English", "English", "Spanish", "Polish", "Arabic", "")


def _enrolling_staff() -> list[tuple[Organization, Actor]]:
    """One demo staff member per enrolling organization, in a stable order."""
    chosen: dict[int, tuple[Organization, Actor]] = {}
    memberships = (
        Membership.objects.active()
        .filter(
            user__is_demo=True,
            role__in=ENROLLING_ROLES,
            organization__kind__in=ENROLLING_KINDS,
            organization__is_active=True,
        )
        .select_related("user", "organization")
        .order_by("organization__slug", "role", "user__username")
    )
    for m in memberships:
        if m.organization_id not in chosen:
            chosen[m.organization_id] = (m.organization, actor_for_user(m.user, m.organization))
    return list(chosen.values())


def _partners() -> list[Organization]:
    return list(
        Organization.objects.filter(
            kind__in=PARTNER_KINDS,
            is_active=True,
            memberships__user__is_demo=True,
        )
        .distinct()
        .order_by("slug")
    )


def _enrol_one(rng: random.Random, actor: Actor, today_: datetime) -> Participant:
    """Enrol an invented person, drawing again if the name looks like someone already known."""
    while True:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        age_days = rng.randint(19 * 365, 70 * 365)
        birth = today_.date() - timedelta(days=age_days)
        domains = rng.sample(LifeDomain.values, rng.randint(1, 4))
        try:
            return participant_enrol(
                actor=actor,
                legal_first_name=first,
                legal_last_name=last,
                preferred_name=rng.choice(["", "", "", first[:3]]),
                pronouns=rng.choice(PRONOUNS),
                date_of_birth=birth if rng.random() < 0.8 else None,
                phone=f"555-01{rng.randint(0, 99):02d}",
                email=rng.choice(["", f"{first[0]}.{rng.randint(100, 999)}@example.org".lower()]),
                preferred_contact=rng.choice(ContactMethod.values),
                may_leave_message=rng.random() < 0.6,
                language=rng.choice(LANGUAGES),
                recovery_pathways=rng.sample(RecoveryPathway.values, rng.randint(1, 3)),
                living_situation=rng.choice(LivingSituation.values),
                intake_needs={d: "" for d in domains},
                justice_involvement=rng.choice(JusticeInvolvement.values),
                referral_source=rng.choice(ReferralSource.values),
                enrolled_on=today_.date() - timedelta(days=rng.randint(0, 365)),
            )
        except ValidationError as exc:
            if "confirmed_not_duplicate" not in exc.message_dict:
                raise


def _consent_for(
    rng: random.Random, actor: Actor, person: Participant, partner: Organization
) -> Consent:
    zone = ZoneInfo(person.organization.time_zone)
    signed_day = person.enrolled_on + timedelta(days=rng.randint(0, 14))
    signed_day = min(signed_day, timezone.localdate(timezone.now(), zone))
    signed_at = min(datetime.combine(signed_day, time(10, 0), tzinfo=zone), timezone.now())
    purpose = rng.choice(
        [Purpose.CARE_COORDINATION, Purpose.CARE_COORDINATION, Purpose.REFERRAL, Purpose.TREATMENT]
    )
    if partner.kind in (Organization.Kind.COURT, Organization.Kind.PROBATION):
        purpose = Purpose.JUSTICE
    categories = [Category.IDENTITY_CONTACT, *rng.sample(Category.values[1:], rng.randint(0, 3))]
    return consent_record(
        actor=actor,
        participant=person,
        recipient_organization=partner,
        purpose=purpose,
        categories=categories,
        expires_on=timezone.localdate() + timedelta(days=rng.randint(30, 365)),
        right_to_revoke_acknowledged=True,
        signature_name=person.legal_name,
        signature_confirmed=True,
        signature_method=SignatureMethod.IN_PERSON,
        signed_at=signed_at,
    )


@transaction.atomic
def build_demo_participants(seed: int, count: int = PARTICIPANT_COUNT) -> list[Participant]:
    """Enrol `count` invented people across the demo's recovery organizations, with consents.

    About two in three people consent to share with one or two partner organizations; a few
    of those consents have since been revoked. Needs the demo network (`rosc demo`) first.
    """
    staff = _enrolling_staff()
    partners = _partners()
    if not staff:
        raise ValueError("No demo recovery organization with peer staff: run `rosc demo` first.")
    rng = random.Random(f"participants:{seed}")
    now = timezone.localtime()  # enrolment dates are the organization's days, not UTC's
    people = []
    for i in range(count):
        _org, actor = staff[i % len(staff)]
        person = _enrol_one(rng, actor, now)
        people.append(person)
        if partners and rng.random() < 0.65:
            for partner in rng.sample(partners, min(len(partners), rng.randint(1, 2))):
                consent = _consent_for(rng, actor, person, partner)
                if rng.random() < 0.1 and consent.purpose != Purpose.JUSTICE:
                    consent_revoke(actor=actor, consent=consent, note="Told their peer in person.")
    return people


@transaction.atomic
def demo_participant_pks() -> list[int]:
    """The people demo staff enrolled, as a list of ids: a plain IN list keeps the demo's
    deletes on each table's participant index (a join inside DELETE took minutes on
    PostgreSQL)."""
    return list(Participant.objects.filter(enrolled_by__is_demo=True).values_list("pk", flat=True))


def clear_demo_participants() -> None:
    """Remove what build_demo_participants made (people enrolled by demo staff)."""
    pks = demo_participant_pks()
    Consent.objects.filter(participant_id__in=pks).delete()
    Participant.objects.filter(pk__in=pks).delete()
