"""Making reentry and diversion referrals in tests, through the real services.

The shared world has a court but no jail: `justice_partner` adds an organization of any kind
with a legal-system partner (registered in the World, so `sign_in` works for them too).
"""

from datetime import date, timedelta

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import World
from rosc.accounts.actor import Actor, actor_for_user
from rosc.accounts.models import Organization
from rosc.accounts.roles import Role
from rosc.accounts.services import membership_create, organization_create, user_create
from rosc.consent.models import Category, Consent, Purpose
from rosc.consent.services import consent_record
from rosc.justice.models import (
    DiversionAgreement,
    Pathway,
    ProgressReport,
    ReentryPlan,
    ReportEvery,
)
from rosc.justice.services import (
    diversion_referral_create,
    progress_report_create,
    reentry_referral_create,
)
from rosc.people.models import Participant
from rosc.people.services import participant_enrol
from rosc.referrals.models import Referral
from rosc.referrals.services import referral_enrol_person, referral_transition

REPORT_CATEGORIES = [Category.ENGAGEMENT, Category.RECOVERY_PLAN]


def justice_partner(world: World, key: str, name: str, kind: str) -> Actor:
    """A new organization of `kind` with one legal partner, named `key` in the world."""
    org = organization_create(name=name, kind=kind)
    user = user_create(
        username=key, email=f"{key}@example.org", password=None, first_name="Sam", last_name=key
    )
    world.orgs[key] = org
    world.users[key] = user
    world.memberships[key] = membership_create(user=user, organization=org, role=Role.LEGAL_PARTNER)
    world.devices[key] = TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)
    return actor_for_user(user, org)


def consent_to(
    actor: Actor,
    participant: Participant,
    recipient: Organization,
    *,
    purpose: str = Purpose.JUSTICE,
    categories: list[Category] | None = None,
    irrevocable_until: date | None = None,
) -> Consent:
    return consent_record(
        actor=actor,
        participant=participant,
        recipient_organization=recipient,
        purpose=purpose,
        categories=categories or [Category.IDENTITY_CONTACT, Category.REFERRAL_DETAILS],
        expires_on=timezone.localdate() + timedelta(days=365),
        irrevocable_until=irrevocable_until,
        right_to_revoke_acknowledged=True,
        signature_name=participant.legal_name,
        signature_confirmed=True,
        signature_method="in_person",
    )


def reentry_referral(
    jail: Actor,
    rco: Organization,
    *,
    first: str = "Dana",
    last: str = "Reyes",
    expected: date | None = None,
) -> ReentryPlan:
    """The jail enrols a person, records their consent to the RCO, and refers them."""
    person = participant_enrol(actor=jail, legal_first_name=first, legal_last_name=last)
    consent_to(jail, person, rco, purpose=Purpose.REFERRAL)
    return reentry_referral_create(
        actor=jail,
        participant=person,
        recipient_organization=rco,
        facility_name="Fictional County Jail",
        expected_release_on=expected or timezone.localdate() + timedelta(days=7),
    )


def diversion_referral(
    court: Actor,
    rco: Actor,
    *,
    first: str = "Robin",
    last: str = "Okafor",
    report_consent: bool = True,
    irrevocable_until: date | None = None,
) -> DiversionAgreement:
    """The court refers a person; the RCO accepts, enrols them and (by default) records their
    consent to report engagement and plan milestones to the court."""
    assert court.organization is not None and rco.organization is not None
    person = participant_enrol(actor=court, legal_first_name=first, legal_last_name=last)
    consent_to(court, person, rco.organization)
    agreement = diversion_referral_create(
        actor=court,
        participant=person,
        recipient_organization=rco.organization,
        pathway=Pathway.RECOVERY_COURT,
        report_every_days=ReportEvery.TWO_WEEKS,
    )
    referral = referral_transition(actor=rco, referral=agreement.referral, to_status="accepted")
    theirs = referral_enrol_person(actor=rco, referral=referral, confirmed_not_duplicate=True)
    if report_consent:
        consent_to(
            rco,
            theirs,
            court.organization,
            categories=REPORT_CATEGORIES,
            irrevocable_until=irrevocable_until,
        )
    agreement.refresh_from_db()
    return agreement


def outside_partner(key: str, name: str, kind: str) -> Actor:
    """An organization no persona belongs to, with one legal partner (not in the World)."""
    org = organization_create(name=name, kind=kind)
    user = user_create(username=key, email=f"{key}@example.org", password=None)
    membership_create(user=user, organization=org, role=Role.LEGAL_PARTNER)
    return actor_for_user(user, org)


def matrix_records(recipient: Actor, key: str) -> tuple[Referral, Referral, ProgressReport]:
    """For the authorization matrix: a reentry referral and a diversion referral (with one
    progress report) to `recipient`'s organization, each sent by an organization no persona
    belongs to, so every persona but the recipient's own gets the 404."""
    assert recipient.organization is not None
    jail = outside_partner(f"jail_{key}", f"Outside County Jail {key}", Organization.Kind.JAIL)
    court = outside_partner(f"court_{key}", f"Outside County Court {key}", Organization.Kind.COURT)
    plan = reentry_referral(jail, recipient.organization, first="Casey", last=f"Reentry {key}")
    agreement = diversion_referral(court, recipient, first="Alex", last=f"Diversion {key}")
    report = progress_report_create(actor=recipient, referral=agreement.referral)
    return plan.referral, agreement.referral, report
