"""The referral lifecycle through the services: consent gates sending, the table gates moves."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rosc.consent.models import Category, Purpose
from rosc.consent.services import consent_record
from rosc.referrals.models import ReferralStatus
from rosc.referrals.services import referral_create, referral_open, referral_transition

pytestmark = pytest.mark.django_db


def _consent(actor, participant, recipient):
    return consent_record(
        actor=actor,
        participant=participant,
        recipient_organization=recipient,
        purpose=Purpose.REFERRAL,
        categories=[Category.IDENTITY_CONTACT, Category.REFERRAL_DETAILS],
        expires_on=timezone.localdate() + timedelta(days=365),
        right_to_revoke_acknowledged=True,
        signature_name="Maria Garcia",
        signature_confirmed=True,
        signature_method="in_person",
    )


def test_a_referral_without_consent_is_refused_and_with_consent_goes_round_the_loop(
    world, actor_of, enrol
):
    peer = actor_of("rco_a_peer")
    partner = actor_of("provider_staff")
    maria = enrol("rco_a_peer", "Maria", "Garcia")
    housing = world.org_of("provider_staff")
    with pytest.raises(ValidationError) as refused:
        referral_create(
            actor=peer, participant=maria, recipient_organization=housing, need="housing"
        )
    assert "no current, signed consent" in str(refused.value)

    _consent(peer, maria, housing)
    referral = referral_create(
        actor=peer, participant=maria, recipient_organization=housing, need="housing"
    )
    assert referral.status == ReferralStatus.REQUESTED
    assert referral.shared["identity_and_contact"]["name"] == maria.display_name
    referral_open(actor=partner, referral=referral)
    referral = referral_transition(actor=partner, referral=referral, to_status="accepted")
    referral = referral_transition(actor=partner, referral=referral, to_status="in-progress")
    referral = referral_transition(actor=partner, referral=referral, to_status="completed")
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.opened_at is not None
    assert list(referral.events.values_list("to_status", flat=True)) == [
        "draft",
        "requested",
        "",
        "accepted",
        "in-progress",
        "completed",
    ]
    with pytest.raises(ValidationError):
        referral_transition(actor=peer, referral=referral, to_status="accepted")


def test_the_recipient_enrols_the_referred_person_from_what_was_shared(world, actor_of, enrol):
    from rosc.referrals.services import referral_enrol_person

    peer = actor_of("rco_a_peer")
    partner = actor_of("provider_staff")
    maria = enrol("rco_a_peer", "Maria", "Garcia", phone="555-0100")
    housing = world.org_of("provider_staff")
    _consent(peer, maria, housing)
    referral = referral_create(
        actor=peer, participant=maria, recipient_organization=housing, need="housing"
    )
    referral = referral_transition(actor=partner, referral=referral, to_status="accepted")
    theirs = referral_enrol_person(actor=partner, referral=referral)
    assert theirs.organization == housing
    assert (theirs.legal_first_name, theirs.phone) == ("Maria", "555-0100")
    assert theirs.pk != maria.pk
    referral.refresh_from_db()
    assert referral.recipient_participant == theirs
