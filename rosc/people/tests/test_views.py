"""The caseload list and the enrolment form, through the full request cycle."""

from collections.abc import Callable
from typing import Any

from django.test import Client

from rosc.core.models import AuditEvent
from rosc.people.models import Participant


def enrolment(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "legal_first_name": "Maria",
        "legal_last_name": "Garcia",
        "preferred_name": "Mari",
        "pronouns": "she/her",
        "date_of_birth": "1990-04-02",
        "preferred_contact": "text",
        "may_leave_message": "on",
        "recovery_pathways": ["mutual_aid", "medication"],
        "intake_needs": ["housing", "employment_education"],
        "living_situation": "shelter",
        "referral_source": "hospital",
    }
    data.update(overrides)
    return data


def test_peer_enrols_a_person_and_sees_them_in_the_list(world, as_persona):
    peer = as_persona("rco_a_peer")
    assert peer.get("/participants/new/").status_code == 200

    response = peer.post("/participants/new/", enrolment())

    person = Participant.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/participants/{person.public_id}/"
    assert person.organization == world.orgs["rco_a"]
    assert person.recovery_pathways == ["mutual_aid", "medication"]
    assert person.intake_needs == {"housing": "", "employment_education": ""}
    assert person.may_leave_message is True
    listing = peer.get("/participants/")
    assert listing.status_code == 200
    assert b"Mari Garcia" in listing.content
    assert b"she/her" in listing.content
    page = peer.get(response["Location"])
    assert page.status_code == 200
    assert b"Mari Garcia" in page.content
    assert b"Shelter" in page.content
    assert b"Record consent" in page.content


def test_the_list_finds_people_by_any_part_of_their_name(world, as_persona, enrol):
    enrol("rco_a_peer", "María", "López")
    enrol("rco_a_peer", "Sam", "Okafor", preferred_name="Sammy")
    peer = as_persona("rco_a_peer")
    found = peer.get("/participants/", {"q": "maria"})
    assert b"Mar\xc3\xada L\xc3\xb3pez" in found.content
    assert b"Okafor" not in found.content
    assert b"Sammy Okafor" in peer.get("/participants/", {"q": "samm"}).content


def test_a_likely_duplicate_is_shown_and_a_different_person_can_still_be_enrolled(
    world, as_persona, enrol
):
    first = enrol("rco_a_peer", "Maria", "Garcia", date_of_birth=None)
    peer = as_persona("rco_a_peer")

    response = peer.post("/participants/new/", enrolment(preferred_name=""))

    assert response.status_code == 200
    assert Participant.objects.count() == 1
    content = response.content.decode()
    assert "Your organization may already know this person" in content
    assert f'href="/participants/{first.public_id}/"' in content
    assert 'name="confirmed_not_duplicate"' in content
    assert 'type="checkbox" name="confirmed_not_duplicate"' in content
    assert 'aria-invalid="true"' in content

    response = peer.post(
        "/participants/new/", enrolment(preferred_name="", confirmed_not_duplicate="on")
    )
    assert response.status_code == 302
    assert Participant.objects.count() == 2


def test_a_missing_name_and_a_future_birth_date_show_next_to_their_fields(world, as_persona):
    peer = as_persona("rco_a_peer")
    response = peer.post(
        "/participants/new/", enrolment(legal_first_name=" ", date_of_birth="2999-01-01")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["legal_first_name"] == ["Please enter the person's first name."]
    assert form.errors["date_of_birth"] == ["The date of birth cannot be in the future."]
    assert b"There is a problem" in response.content
    assert not Participant.objects.exists()


def test_a_council_coordinator_gets_404_on_the_caseload_and_enrolment(world, as_persona):
    coordinator = as_persona("council_coordinator")
    assert coordinator.get("/participants/").status_code == 404
    assert coordinator.get("/participants/new/").status_code == 404
    assert coordinator.post("/participants/new/", enrolment()).status_code == 404
    assert not Participant.objects.exists()
    assert (
        AuditEvent.objects.filter(
            username="council_coordinator", outcome=AuditEvent.Outcome.DENIED
        ).count()
        == 3
    )


def test_another_organizations_peer_cannot_learn_the_person_exists(
    world, as_persona, enrol: Callable[..., Participant]
):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    other: Client = as_persona("rco_b_peer")
    assert b"Garcia" not in other.get("/participants/").content
    assert b"Garcia" not in other.get("/participants/", {"q": "garcia"}).content
    response = other.get(f"/participants/{person.public_id}/")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        username="rco_b_peer",
        outcome=AuditEvent.Outcome.DENIED,
        record_id=str(person.public_id),
    ).exists()
    # Enrolling the same name in their own organization raises no warning about rco_a's person.
    assert other.post("/participants/new/", enrolment()).status_code == 302


def test_the_home_page_links_a_peer_to_their_caseload(world, as_persona):
    assert b'href="/participants/"' in as_persona("rco_a_peer").get("/").content


def test_the_header_links_the_caseload_only_for_roles_that_open_participant_records(
    world, as_persona
):
    assert b'href="/participants/"' in as_persona("rco_a_peer").get("/").content
    assert b'href="/participants/"' not in as_persona("council_coordinator").get("/").content
