"""The demo hospital's FHIR referrals: built through the inbound service, the same each time,
and cleared by the demo's reset."""

import pytest

from rosc.accounts.models import Organization
from rosc.accounts.roles import Role
from rosc.accounts.services import membership_create, organization_create, user_create
from rosc.demo.network import ORGANIZATIONS
from rosc.fhir.demo import build_demo_fhir, clear_demo_fhir
from rosc.referrals.models import Referral, ReferralSource

pytestmark = pytest.mark.django_db


def _demo_org(key: str) -> Organization:
    spec = next(o for o in ORGANIZATIONS if o.key == key)
    return organization_create(name=spec.name, kind=spec.kind, slug=spec.slug)


def test_the_demo_hospital_refers_people_to_rcos_over_fhir_and_reset_removes_them():
    hospital = _demo_org("northgate")
    rco = _demo_org(next(o.key for o in ORGANIZATIONS if o.kind == Organization.Kind.RCO))
    coach = user_create(username="ed_coach", email="ed@example.org", password=None)
    membership_create(user=coach, organization=hospital, role=Role.PARTNER_STAFF)

    made = build_demo_fhir(7)
    assert len(made) == 4
    assert {r.recipient_organization for r in made} == {rco}
    assert all(r.source == ReferralSource.FHIR and r.sender_organization == hospital for r in made)
    assert all(r.shared["referral_details"]["consent_status"] == "active" for r in made)
    assert sorted(r.external_id for r in made) == [f"ed-7-00{i}" for i in range(1, 5)]
    # Building again with the same seed finds the same Tasks: nothing is doubled.
    assert {r.pk for r in build_demo_fhir(7)} == {r.pk for r in made}
    clear_demo_fhir()
    assert not Referral.objects.exists()
