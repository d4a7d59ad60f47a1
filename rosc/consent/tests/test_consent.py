"""Recording consent with every 42 CFR §2.31(a) element, revoking it, and what it covers."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from rosc.accounts.services import PermissionDenied
from rosc.consent.models import Consent, end_of_day
from rosc.consent.notices import CONSENT_STATEMENTS, IRREVOCABILITY_STATEMENT
from rosc.consent.selectors import consent_get, consent_list_for_participant
from rosc.consent.services import (
    consent_covers,
    consent_record,
    consent_record_expiry_event,
    consent_revoke,
    organization_consent_settings_set,
)
from rosc.consent.tests.conftest import consent_fields
from rosc.core.models import AuditEvent


def test_a_peer_records_a_consent_naming_an_organization(world, person, actor_of):
    consent = consent_record(
        actor=actor_of("rco_a_peer"),
        participant=person,
        recipient_organization=world.orgs["provider"],
        **consent_fields(),
    )
    assert consent.disclosing_organization == world.orgs["rco_a"]
    assert consent.recipient_label == "Lakeside Treatment Partners"
    assert consent.statements_text == CONSENT_STATEMENTS
    assert consent.recorded_by == world.users["rco_a_peer"]
    assert not consent.is_part2_source
    event = AuditEvent.objects.get(record_id=str(consent.public_id))
    assert event.action == "create"
    assert event.subject_id == str(person.public_id)


def test_a_consent_may_describe_a_class_of_recipients_instead(world, person, actor_of):
    consent = consent_record(
        actor=actor_of("rco_a_peer"),
        participant=person,
        recipient_class="My treating providers and people helping to operate this program",
        **consent_fields(purpose="treatment", expires_on=None, expiry_event="End of my support"),
    )
    assert consent.recipient_organization is None
    assert consent.expiry_label == "until End of my support"
    # A described class never covers a named organization by itself.
    assert (
        consent_covers(
            participant=person,
            recipient=world.orgs["provider"],
            purpose="treatment",
            category="identity_and_contact",
            at=timezone.now(),
        )
        is None
    )


MISSING = [
    ({"recipient_class": ""}, "recipient_organization"),
    ({"purpose": ""}, "purpose"),
    ({"purpose": "other"}, "purpose_detail"),
    ({"categories": []}, "categories"),
    ({"categories": ["everything"]}, "categories"),
    ({"expires_on": None}, "expires_on"),
    ({"expires_on": timezone.localdate() - timedelta(days=2)}, "expires_on"),
    ({"expiry_event": "When I finish the program"}, "expiry_event"),
    ({"right_to_revoke_acknowledged": False}, "right_to_revoke_acknowledged"),
    ({"signature_name": "  "}, "signature_name"),
    ({"signature_confirmed": False}, "signature_confirmed"),
    ({"signature_method": ""}, "signature_method"),
    ({"signed_at": timezone.now() + timedelta(days=1)}, "signed_at"),
    ({"irrevocable_until": timezone.localdate() + timedelta(days=30)}, "irrevocable_until"),
]


@pytest.mark.parametrize(("change", "field"), MISSING)
def test_each_missing_or_wrong_element_gets_its_own_field_error(
    world, person, actor_of, change, field
):
    with pytest.raises(ValidationError) as caught:
        consent_record(
            actor=actor_of("rco_a_peer"),
            participant=person,
            **consent_fields(
                **{"recipient_class": "Peer recovery programs in the region", **change}
            ),
        )
    assert list(caught.value.message_dict) == [field]
    assert not Consent.objects.exists()


def test_naming_an_organization_and_a_class_together_is_refused(world, person, actor_of):
    with pytest.raises(ValidationError) as caught:
        consent_record(
            actor=actor_of("rco_a_peer"),
            participant=person,
            recipient_organization=world.orgs["provider"],
            recipient_class="Anyone",
            **consent_fields(),
        )
    assert "recipient_class" in caught.value.message_dict


def test_a_consent_with_nothing_filled_in_lists_every_element_at_once(world, person, actor_of):
    with pytest.raises(ValidationError) as caught:
        consent_record(
            actor=actor_of("rco_a_peer"),
            participant=person,
            purpose="",
            categories=[],
            signature_name="",
            signature_confirmed=False,
            signature_method="",
            right_to_revoke_acknowledged=False,
        )
    assert set(caught.value.message_dict) == {
        "recipient_organization",
        "purpose",
        "categories",
        "expires_on",
        "right_to_revoke_acknowledged",
        "signature_name",
        "signature_confirmed",
        "signature_method",
    }


def test_another_organization_cannot_record_consent_for_someone_it_does_not_support(
    world, person, actor_of
):
    with pytest.raises(PermissionDenied):
        consent_record(
            actor=actor_of("rco_b_peer"),
            participant=person,
            recipient_organization=world.orgs["provider"],
            **consent_fields(),
        )


def test_a_part2_programs_consents_are_tagged_as_part2(world, person, actor_of):
    organization_consent_settings_set(actor=actor_of("rco_a_admin"), is_part2_program=True)
    consent = consent_record(
        actor=actor_of("rco_a_peer"),
        participant=person,
        recipient_organization=world.orgs["provider"],
        **consent_fields(),
    )
    assert consent.is_part2_source


def test_only_an_organization_admin_says_whether_it_is_a_part2_program(world, actor_of):
    with pytest.raises(PermissionDenied):
        organization_consent_settings_set(actor=actor_of("rco_a_peer"), is_part2_program=True)


@pytest.fixture
def provider_consent(world, person, actor_of) -> Consent:
    return consent_record(
        actor=actor_of("rco_a_peer"),
        participant=person,
        recipient_organization=world.orgs["provider"],
        **consent_fields(expires_on=timezone.localdate() + timedelta(days=10)),
    )


def covers(
    world,
    person,
    *,
    recipient="provider",
    purpose="care_coordination",
    category="identity_and_contact",
    at=None,
):
    return consent_covers(
        participant=person,
        recipient=world.orgs[recipient],
        purpose=purpose,
        category=category,
        at=at or timezone.now(),
    )


def test_consent_covers_only_the_named_recipient_purpose_and_categories(
    world, person, provider_consent
):
    assert covers(world, person) == provider_consent
    assert covers(world, person, category="engagement_and_attendance") == provider_consent
    assert covers(world, person, recipient="court") is None
    assert covers(world, person, purpose="research") is None
    assert covers(world, person, category="encounter_notes") is None


def test_consent_covers_nothing_before_it_was_signed_or_after_its_last_day(
    world, person, provider_consent
):
    last_day = provider_consent.expires_on
    end = end_of_day(last_day, world.orgs["rco_a"])
    assert covers(world, person, at=provider_consent.signed_at - timedelta(seconds=1)) is None
    assert covers(world, person, at=end - timedelta(seconds=1)) == provider_consent
    assert covers(world, person, at=end) is None


def test_revocation_is_effective_at_once_and_is_audited(world, person, actor_of, provider_consent):
    before = timezone.now()
    revoked = consent_revoke(
        actor=actor_of("rco_a_supervisor"), consent=provider_consent, note="Asked by phone"
    )
    assert revoked.revoked_by == world.users["rco_a_supervisor"]
    assert covers(world, person) is None
    assert covers(world, person, at=before) == provider_consent  # it did cover before
    assert AuditEvent.objects.filter(
        action="update", record_id=str(provider_consent.public_id), detail__revoked=True
    ).exists()
    with pytest.raises(ValidationError, match="already revoked"):
        consent_revoke(actor=actor_of("rco_a_peer"), consent=provider_consent, note="")


def test_another_organization_cannot_revoke(world, actor_of, provider_consent):
    with pytest.raises(PermissionDenied):
        consent_revoke(actor=actor_of("provider_staff"), consent=provider_consent, note="")
    provider_consent.refresh_from_db()
    assert provider_consent.revoked_at is None


def justice_consent(world, person, actor_of, **change):
    return consent_record(
        actor=actor_of("rco_a_peer"),
        participant=person,
        recipient_organization=world.orgs["court"],
        **consent_fields(purpose="justice", **change),
    )


def test_a_justice_consent_cannot_be_revoked_until_its_irrevocability_date(world, person, actor_of):
    until = timezone.localdate() + timedelta(days=60)
    consent = justice_consent(world, person, actor_of, irrevocable_until=until)
    assert IRREVOCABILITY_STATEMENT in consent.statements_text
    with pytest.raises(ValidationError, match=f"cannot be revoked until {until:%Y-%m-%d}"):
        consent_revoke(actor=actor_of("rco_a_peer"), consent=consent, note="Wants out")
    consent.refresh_from_db()
    assert consent.revoked_at is None
    assert covers(world, person, recipient="court", purpose="justice") == consent
    # From that day on it may be revoked.
    assert not consent.irrevocable_at(end_of_day(until, world.orgs["rco_a"]) - timedelta(hours=1))
    day_before_ends = end_of_day(until - timedelta(days=1), world.orgs["rco_a"])
    assert consent.irrevocable_at(day_before_ends - timedelta(seconds=1))


def test_a_justice_consent_whose_irrevocability_date_has_come_can_be_revoked(
    world, person, actor_of
):
    consent = justice_consent(world, person, actor_of, irrevocable_until=timezone.localdate())
    consent_revoke(actor=actor_of("rco_a_peer"), consent=consent, note="Program completed")
    assert covers(world, person, recipient="court", purpose="justice") is None


def test_an_event_based_irrevocability_needs_the_event_confirmed(world, person, actor_of):
    consent = justice_consent(
        world, person, actor_of, irrevocable_until_event="Completion of recovery court"
    )
    with pytest.raises(ValidationError, match="Completion of recovery court"):
        consent_revoke(actor=actor_of("rco_a_peer"), consent=consent, note="")
    with pytest.raises(ValidationError) as caught:
        consent_revoke(
            actor=actor_of("rco_a_peer"),
            consent=consent,
            note=" ",
            irrevocability_event_occurred=True,
        )
    assert "note" in caught.value.message_dict
    consent_revoke(
        actor=actor_of("rco_a_peer"),
        consent=consent,
        note="Graduated recovery court on the 3rd",
        irrevocability_event_occurred=True,
    )
    assert covers(world, person, recipient="court", purpose="justice") is None


def test_irrevocability_cannot_outlast_the_consent(world, person, actor_of):
    with pytest.raises(ValidationError) as caught:
        justice_consent(
            world,
            person,
            actor_of,
            expires_on=timezone.localdate() + timedelta(days=5),
            irrevocable_until=timezone.localdate() + timedelta(days=6),
        )
    assert list(caught.value.message_dict) == ["irrevocable_until"]


def test_an_event_expiry_ends_the_consent_once_recorded(world, person, actor_of):
    consent = consent_record(
        actor=actor_of("rco_a_peer"),
        participant=person,
        recipient_organization=world.orgs["provider"],
        **consent_fields(expires_on=None, expiry_event="When I am discharged"),
    )
    assert covers(world, person) == consent
    consent_record_expiry_event(actor=actor_of("rco_a_peer"), consent=consent)
    assert covers(world, person) is None


def test_the_newest_covering_consent_is_the_one_relied_on(world, person, actor_of):
    older = consent_record(
        actor=actor_of("rco_a_peer"),
        participant=person,
        recipient_organization=world.orgs["provider"],
        **consent_fields(signed_at=timezone.now() - timedelta(days=3)),
    )
    newer = consent_record(
        actor=actor_of("rco_a_peer"),
        participant=person,
        recipient_organization=world.orgs["provider"],
        **consent_fields(),
    )
    assert covers(world, person) == newer
    consent_revoke(actor=actor_of("rco_a_peer"), consent=newer, note="")
    assert covers(world, person) == older


def test_consents_are_read_only_by_the_persons_own_organization(
    world, person, actor_of, provider_consent
):
    assert consent_list_for_participant(
        actor=actor_of("rco_a_peer"), participant_id=person.public_id
    ) == [provider_consent]
    assert consent_get(actor=actor_of("rco_a_peer"), consent_id=provider_consent.public_id)
    for persona in ("rco_b_peer", "provider_staff"):
        with pytest.raises(Http404):
            consent_get(actor=actor_of(persona), consent_id=provider_consent.public_id)
        with pytest.raises(Http404):
            consent_list_for_participant(actor=actor_of(persona), participant_id=person.public_id)
    assert AuditEvent.objects.filter(outcome="denied", username="provider_staff").count() == 2
    assert isinstance(provider_consent.signed_at, datetime)
