"""Enrolment, the likely-duplicate warning, and the access gate around participant records."""

import uuid
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from rosc.accounts.services import PermissionDenied
from rosc.core.models import AuditEvent
from rosc.people.models import LifeDomain, Participant, RecoveryPathway
from rosc.people.names import name_key
from rosc.people.selectors import (
    participant_get,
    participant_likely_duplicates,
    participant_list,
)
from rosc.people.services import participant_enrol, participant_update

BIRTH = date(1990, 4, 2)


def test_a_peer_enrols_a_person_with_their_chosen_pathways_and_needs(world, enrol):
    person = enrol(
        "rco_a_peer",
        "Maria",
        "Garcia",
        preferred_name="Mari",
        pronouns="she/her",
        date_of_birth=BIRTH,
        preferred_contact="text",
        may_leave_message=True,
        recovery_pathways=[RecoveryPathway.HARM_REDUCTION, RecoveryPathway.MEDICATION],
        intake_needs={LifeDomain.HOUSING: "needs a bed this week", LifeDomain.LEGAL: ""},
        referral_source="hospital",
    )
    assert person.organization == world.orgs["rco_a"]
    assert person.enrolled_by == world.users["rco_a_peer"]
    assert person.display_name == "Mari Garcia"
    assert person.recovery_pathways == ["harm_reduction", "medication"]
    event = AuditEvent.objects.get(action="create", subject_id=str(person.public_id))
    assert event.outcome == "ok"
    assert event.username == "rco_a_peer"
    assert event.record_organization_id == world.orgs["rco_a"].public_id


def test_a_council_coordinator_cannot_enrol_anyone(world, actor_of):
    with pytest.raises(PermissionDenied):
        participant_enrol(
            actor=actor_of("council_coordinator"), legal_first_name="Sam", legal_last_name="Lee"
        )
    assert not Participant.objects.exists()


def test_enrolment_gives_a_field_error_for_each_problem(world, enrol):
    with pytest.raises(ValidationError) as caught:
        enrol(
            "rco_a_peer",
            " ",
            "",
            recovery_pathways=["the_best_one"],
            intake_needs={"astrology": "x"},
            date_of_birth=date(2999, 1, 1),
            email="not an address",
            preferred_contact="carrier_pigeon",
        )
    errors = caught.value.message_dict
    for field in (
        "legal_first_name",
        "legal_last_name",
        "recovery_pathways",
        "intake_needs",
        "date_of_birth",
        "email",
        "preferred_contact",
    ):
        assert field in errors, field
    assert not Participant.objects.exists()


def test_names_compare_without_case_accents_or_punctuation():
    assert name_key("  María-José  GARCÍA ") == "maria jose garcia"
    assert name_key("O'Brien") == "o brien"


def test_the_duplicate_warning_fires_for_the_same_person_written_with_accents(world, enrol):
    first = enrol("rco_a_peer", "Maria", "Garcia", date_of_birth=BIRTH)
    with pytest.raises(ValidationError) as caught:
        enrol("rco_a_supervisor", "María", "García", date_of_birth=BIRTH)
    error = caught.value.error_dict["confirmed_not_duplicate"][0]
    assert error.code == "likely_duplicate"
    assert error.params == {"public_ids": [str(first.public_id)]}
    assert "Maria Garcia, born 1990-04-02" in caught.value.messages[0]
    assert Participant.objects.count() == 1


def test_confirming_it_is_someone_else_enrols_them_anyway(world, enrol):
    enrol("rco_a_peer", "Maria", "Garcia", date_of_birth=BIRTH)
    second = enrol(
        "rco_a_peer", "María", "García", date_of_birth=BIRTH, confirmed_not_duplicate=True
    )
    assert Participant.objects.filter(organization=world.orgs["rco_a"]).count() == 2
    assert AuditEvent.objects.get(subject_id=str(second.public_id)).detail == {
        "confirmed_not_duplicate": True
    }


def test_the_duplicate_warning_never_looks_into_another_organization(world, enrol, actor_of):
    enrol("rco_a_peer", "Maria", "Garcia", date_of_birth=BIRTH)
    person_b = enrol("rco_b_peer", "María", "García", date_of_birth=BIRTH)
    assert person_b.organization == world.orgs["rco_b"]
    found = participant_likely_duplicates(
        actor=actor_of("rco_b_peer"), first_name="Maria", last_name="Garcia", date_of_birth=BIRTH
    )
    assert found == [person_b]


@pytest.mark.parametrize(
    ("first", "last", "birth", "expected"),
    [
        ("Mar", "GARCIA", None, True),  # same last name, first name starts the same
        ("Marisol", "Garcia", None, True),
        ("Jorge", "Garcia", None, False),  # same family, different person
        ("Mariah", "Smith", BIRTH, True),  # same birth date, first name starts the same
        ("Tom", "Garcia", BIRTH, True),  # same birth date and last name
        ("Tom", "Smith", BIRTH, False),  # only the birth date in common
    ],
)
def test_likely_duplicates_need_a_similar_name(
    world, enrol, actor_of, first, last, birth, expected
):
    existing = enrol("rco_a_peer", "Maria", "Garcia", date_of_birth=BIRTH)
    found = participant_likely_duplicates(
        actor=actor_of("rco_a_peer"), first_name=first, last_name=last, date_of_birth=birth
    )
    assert (found == [existing]) is expected


def test_a_peer_of_another_rco_gets_404_and_the_attempt_is_audited(world, enrol, actor_of):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    with pytest.raises(Http404) as other_org:
        participant_get(actor=actor_of("rco_b_peer"), participant_id=person.public_id)
    with pytest.raises(Http404) as missing:
        participant_get(actor=actor_of("rco_b_peer"), participant_id=uuid.uuid4())
    assert str(other_org.value) == str(missing.value)
    denied = AuditEvent.objects.get(record_id=str(person.public_id), outcome="denied")
    assert denied.outcome == AuditEvent.Outcome.DENIED
    assert denied.username == "rco_b_peer"
    assert denied.record_organization_id == world.orgs["rco_a"].public_id


def test_roles_without_participant_access_are_refused_and_partners_see_only_their_own(
    world, enrol, actor_of
):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    for persona in ("council_coordinator", "network_admin", "data_steward"):
        with pytest.raises(Http404):
            participant_get(actor=actor_of(persona), participant_id=person.public_id)
        with pytest.raises(Http404):
            participant_list(actor=actor_of(persona))
    with pytest.raises(Http404):
        participant_get(actor=actor_of("provider_staff"), participant_id=person.public_id)
    assert participant_list(actor=actor_of("provider_staff")) == []


def test_a_garbled_id_is_refused_like_a_missing_one(world, actor_of):
    with pytest.raises(Http404):
        participant_get(actor=actor_of("rco_a_peer"), participant_id="not-a-uuid")
    assert AuditEvent.objects.filter(outcome="denied", record_id="not-a-uuid").exists()


def test_each_allowed_read_is_audited_with_the_person_as_subject(world, enrol, actor_of):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    got = participant_get(actor=actor_of("rco_a_supervisor"), participant_id=str(person.public_id))
    assert got == person
    event = AuditEvent.objects.get(action="view")
    assert event.outcome == "ok"
    assert event.subject_type == "people.participant"
    assert event.subject_id == str(person.public_id)
    assert event.username == "rco_a_supervisor"


def test_the_list_shows_only_the_own_organizations_people_and_finds_by_name(world, enrol, actor_of):
    maria = enrol("rco_a_peer", "María", "García")
    enrol("rco_a_peer", "Dev", "Patel")
    enrol("rco_b_peer", "Maria", "Garcia")
    assert {p.legal_last_name for p in participant_list(actor=actor_of("rco_a_peer"))} == {
        "García",
        "Patel",
    }
    assert participant_list(actor=actor_of("rco_a_peer"), search="garcia MAR") == [maria]
    listed = AuditEvent.objects.filter(action="list", username="rco_a_peer").first()
    assert listed is not None
    assert listed.detail["count"] == 1


def test_an_update_changes_the_record_and_audits_which_fields_changed(world, enrol, actor_of):
    person = enrol("rco_a_peer", "Maria", "Garcia", phone="555-0100")
    participant_update(
        actor=actor_of("rco_a_supervisor"),
        participant=person,
        preferred_name="Mari",
        legal_last_name="García López",
    )
    person.refresh_from_db()
    assert person.display_name == "Mari García López"
    assert person.last_name_key == "garcia lopez"
    event = AuditEvent.objects.get(action="update")
    assert event.detail == {"fields": ["legal_last_name", "preferred_name"]}
    assert "Mari" not in str(event.detail)


def test_another_organization_cannot_update_and_nothing_changes(world, enrol, actor_of):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    with pytest.raises(PermissionDenied):
        participant_update(actor=actor_of("rco_b_admin"), participant=person, pronouns="they")
    person.refresh_from_db()
    assert person.pronouns == ""


def test_the_enrolling_organization_and_date_cannot_be_changed_by_update(world, enrol, actor_of):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    with pytest.raises(ValidationError):
        participant_update(
            actor=actor_of("rco_a_peer"), participant=person, organization=world.orgs["rco_b"]
        )
