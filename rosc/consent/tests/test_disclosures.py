"""Disclosures: refused unless consent covers every category; logged with the §2.32 notice."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.http import Http404
from django.utils import timezone

from rosc.accounts.services import PermissionDenied
from rosc.consent.models import Consent, Disclosure
from rosc.consent.notices import REDISCLOSURE_NOTICE
from rosc.consent.selectors import disclosure_list_for_participant
from rosc.consent.services import (
    consent_record,
    consent_revoke,
    disclosure_record,
    organization_consent_settings_set,
)
from rosc.consent.tests.conftest import consent_fields
from rosc.core.models import AppendOnlyError, AuditEvent


@pytest.fixture
def provider_consent(world, person, actor_of) -> Consent:
    return consent_record(
        actor=actor_of("rco_a_peer"),
        participant=person,
        recipient_organization=world.orgs["provider"],
        **consent_fields(categories=["identity_and_contact", "recovery_plan"]),
    )


def share(
    world,
    person,
    actor_of,
    categories,
    *,
    recipient="provider",
    purpose="care_coordination",
    persona="rco_a_peer",
    **kw,
):
    return disclosure_record(
        actor=actor_of(persona),
        participant=person,
        recipient=world.orgs[recipient],
        purpose=purpose,
        categories=categories,
        **kw,
    )


def test_a_covered_disclosure_is_logged_with_the_notice_the_scope_and_an_audit_event(
    world, person, actor_of, provider_consent
):
    [disclosure] = share(world, person, actor_of, ["identity_and_contact", "recovery_plan"])
    assert disclosure.consent == provider_consent
    assert disclosure.from_organization == world.orgs["rco_a"]
    assert disclosure.to_organization == world.orgs["provider"]
    assert disclosure.categories == ["identity_and_contact", "recovery_plan"]
    assert disclosure.notice_text == REDISCLOSURE_NOTICE
    assert "42 CFR part 2" in disclosure.notice_text
    assert "Lakeside Treatment Partners" in disclosure.consent_scope
    assert "Recovery plan" in disclosure.consent_scope
    assert disclosure.is_part2_source is False
    assert disclosure.by_user == world.users["rco_a_peer"]
    event = AuditEvent.objects.get(record_id=str(disclosure.public_id))
    assert event.action == "create"
    assert event.subject_id == str(person.public_id)
    assert event.detail["consent"] == str(provider_consent.public_id)


def test_a_disclosure_from_a_part2_program_is_tagged_part2(
    world, person, actor_of, provider_consent
):
    organization_consent_settings_set(actor=actor_of("rco_a_admin"), is_part2_program=True)
    [disclosure] = share(world, person, actor_of, ["identity_and_contact"])
    assert disclosure.is_part2_source is True


def test_a_part2_tag_on_the_consent_stays_even_if_the_setting_changes_later(
    world, person, actor_of
):
    organization_consent_settings_set(actor=actor_of("rco_a_admin"), is_part2_program=True)
    consent_record(
        actor=actor_of("rco_a_peer"),
        participant=person,
        recipient_organization=world.orgs["provider"],
        **consent_fields(),
    )
    organization_consent_settings_set(actor=actor_of("rco_a_admin"), is_part2_program=False)
    [disclosure] = share(world, person, actor_of, ["identity_and_contact"])
    assert disclosure.is_part2_source is True


def test_a_disclosure_names_the_categories_the_consent_does_not_cover(
    world, person, actor_of, provider_consent
):
    with pytest.raises(ValidationError) as caught:
        share(world, person, actor_of, ["identity_and_contact", "assessments", "encounter_notes"])
    message = caught.value.message_dict["categories"][0]
    assert "does not cover" in message
    assert "Assessments" in message
    assert "Notes from meetings and contacts" in message
    assert "Identity" not in message
    assert not Disclosure.objects.exists()


def test_a_disclosure_without_any_consent_for_that_recipient_or_purpose_is_refused(
    world, person, actor_of, provider_consent
):
    for recipient, purpose in (("court", "care_coordination"), ("provider", "research")):
        with pytest.raises(ValidationError) as caught:
            share(
                world,
                person,
                actor_of,
                ["identity_and_contact"],
                recipient=recipient,
                purpose=purpose,
            )
        assert "There is no current, signed consent" in caught.value.message_dict["categories"][0]
    assert not Disclosure.objects.exists()


def test_a_disclosure_right_after_revocation_is_refused(world, person, actor_of, provider_consent):
    share(world, person, actor_of, ["identity_and_contact"])
    consent_revoke(actor=actor_of("rco_a_peer"), consent=provider_consent, note="Changed mind")
    with pytest.raises(ValidationError, match="There is no current, signed consent"):
        share(world, person, actor_of, ["identity_and_contact"])
    assert Disclosure.objects.count() == 1


def test_a_disclosure_after_the_consent_expired_is_refused(
    world, person, actor_of, provider_consent
):
    # As if signed a month ago with a last day of yesterday.
    Consent.objects.filter(pk=provider_consent.pk).update(
        signed_at=timezone.now() - timedelta(days=30),
        expires_on=timezone.localdate() - timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="There is no current, signed consent"):
        share(world, person, actor_of, ["identity_and_contact"])


def test_a_disclosure_cannot_be_dated_ahead_or_go_to_ones_own_organization(
    world, person, actor_of, provider_consent
):
    with pytest.raises(ValidationError) as ahead:
        share(
            world,
            person,
            actor_of,
            ["identity_and_contact"],
            at=timezone.now() + timedelta(hours=1),
        )
    assert "at" in ahead.value.message_dict
    with pytest.raises(ValidationError) as own:
        share(world, person, actor_of, ["identity_and_contact"], recipient="rco_a")
    assert "recipient" in own.value.message_dict
    with pytest.raises(ValidationError) as nothing:
        share(world, person, actor_of, [])
    assert "categories" in nothing.value.message_dict


def test_only_the_persons_own_organization_can_disclose(world, person, actor_of, provider_consent):
    for persona in ("rco_b_peer", "provider_staff", "council_coordinator"):
        with pytest.raises(PermissionDenied):
            share(world, person, actor_of, ["identity_and_contact"], persona=persona)


def test_categories_covered_by_two_consents_are_logged_under_each(
    world, person, actor_of, provider_consent
):
    second = consent_record(
        actor=actor_of("rco_a_peer"),
        participant=person,
        recipient_organization=world.orgs["provider"],
        **consent_fields(categories=["assessments"]),
    )
    written = share(world, person, actor_of, ["recovery_plan", "assessments"])
    assert {(d.consent_id, tuple(d.categories)) for d in written} == {
        (provider_consent.pk, ("recovery_plan",)),
        (second.pk, ("assessments",)),
    }


def test_disclosure_rows_cannot_be_changed_or_removed(world, person, actor_of, provider_consent):
    [disclosure] = share(world, person, actor_of, ["identity_and_contact"])
    disclosure.purpose = "research"
    with pytest.raises(AppendOnlyError):
        disclosure.save()
    with pytest.raises(AppendOnlyError):
        disclosure.delete()
    with pytest.raises(AppendOnlyError):
        Disclosure.objects.filter(pk=disclosure.pk).update(purpose="research")
    with pytest.raises(AppendOnlyError):
        Disclosure.objects.all().delete()


def test_the_database_refuses_to_change_a_disclosure(world, person, actor_of, provider_consent):
    [disclosure] = share(world, person, actor_of, ["identity_and_contact"])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        # Past the model and the queryset, straight to the database.
        cursor.execute(
            "UPDATE consent_disclosure SET purpose = 'research' WHERE id = %s", [disclosure.pk]
        )
    disclosure.refresh_from_db()
    assert disclosure.purpose == "care_coordination"


def test_the_person_can_be_shown_every_disclosure_and_others_cannot_see_them(
    world, person, actor_of, provider_consent
):
    share(world, person, actor_of, ["identity_and_contact"])
    share(world, person, actor_of, ["recovery_plan"])
    shown = disclosure_list_for_participant(
        actor=actor_of("rco_a_supervisor"), participant_id=person.public_id
    )
    assert [d.categories for d in shown] == [["recovery_plan"], ["identity_and_contact"]]
    assert all(d.consent == provider_consent for d in shown)
    listed = AuditEvent.objects.get(action="list", record_type="consent.disclosure")
    assert listed.subject_id == str(person.public_id)
    for persona in ("rco_b_peer", "provider_staff"):
        with pytest.raises(Http404):
            disclosure_list_for_participant(
                actor=actor_of(persona), participant_id=person.public_id
            )
    with pytest.raises(Http404):
        disclosure_list_for_participant(actor=actor_of("rco_a_peer"), participant_id=uuid.uuid4())
    denied = AuditEvent.objects.filter(outcome="denied", record_type="consent.disclosure")
    assert denied.count() == 3
    assert denied.filter(record_organization_id=world.orgs["rco_a"].public_id).count() == 2
