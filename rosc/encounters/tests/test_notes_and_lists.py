"""Notes are the most sensitive field: never in a list, the section or the API list; each read
is audited once, as a VIEW of "encounters.encounter_note" about the participant."""

from datetime import timedelta

from django.template.loader import render_to_string
from django.utils import timezone

from rosc.core.models import AuditEvent
from rosc.encounters.selectors import NOTE as NOTE_RECORD
from rosc.encounters.selectors import encounter_note_get, participant_section

from .conftest import NOTE


def list_path(person) -> str:
    return f"/participants/{person.public_id}/contacts/"


def note_path(person, encounter) -> str:
    return f"/participants/{person.public_id}/contacts/{encounter.public_id}/note/"


def api_base(world, person) -> str:
    return (
        f"/api/v1/orgs/{world.orgs['rco_a'].public_id}/participants/{person.public_id}/encounters"
    )


def note_reads():
    return AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, record_type=NOTE_RECORD)


def test_the_contact_list_shows_contacts_but_never_a_note(world, person, log, as_persona):
    with_note = log(person, note=NOTE, needs="Bus pass", life_domains=["employment_education"])
    log(person, kind="text", duration_minutes=5, place="remote")

    response = as_persona("rco_a_peer").get(list_path(person))

    page = response.content.decode()
    assert response.status_code == 200
    assert NOTE not in page and "job interview" not in page
    assert "Text message" in page and "One-to-one" in page
    assert "Bus pass" in page and "Employment and education" in page
    # Only the contact with a note offers to show it.
    assert page.count("Show note") == 1
    assert note_path(person, with_note) in page
    assert not note_reads().exists()


def test_the_list_is_audited_as_a_list_about_the_person(world, person, log, as_persona):
    log(person)
    as_persona("rco_a_peer").get(list_path(person))
    event = AuditEvent.objects.get(
        action=AuditEvent.Action.LIST, record_type="encounters.encounter"
    )
    assert event.subject_type == "people.participant"
    assert event.subject_id == str(person.public_id)
    assert event.username == "rco_a_peer"
    assert event.detail == {"page": 1, "count": 1}


def test_the_list_is_paginated_newest_first(world, person, log, as_persona):
    now = timezone.now()
    for days in range(30):
        log(person, occurred_at=now - timedelta(days=days), duration_minutes=days + 1)
    peer = as_persona("rco_a_peer")
    first = peer.get(list_path(person)).context["page"]
    second = peer.get(list_path(person), {"page": 2}).context["page"]
    assert [e.duration_minutes for e in first.object_list][:3] == [1, 2, 3]
    assert len(first.object_list) == 25
    assert [e.duration_minutes for e in second.object_list] == [26, 27, 28, 29, 30]
    # A page number that is not one falls back to a page that exists.
    assert peer.get(list_path(person), {"page": "lots"}).status_code == 200


def test_each_reading_of_a_note_is_audited_exactly_once(world, person, log, as_persona):
    encounter = log(person, note=NOTE)
    peer = as_persona("rco_a_peer")

    first = peer.get(note_path(person, encounter))
    assert first.status_code == 200
    assert NOTE in first.content.decode()
    assert first["Cache-Control"] == "no-store"
    assert note_reads().count() == 1
    event = note_reads().get()
    assert event.record_id == str(encounter.public_id)
    assert event.subject_id == str(person.public_id)
    assert event.record_organization_id == world.orgs["rco_a"].public_id
    assert NOTE not in event.record_label

    peer.get(note_path(person, encounter))
    assert note_reads().count() == 2


def test_the_supervisor_of_the_same_organization_may_read_a_note(world, person, log, as_persona):
    encounter = log(person, note=NOTE)
    response = as_persona("rco_a_supervisor").get(note_path(person, encounter))
    assert response.status_code == 200
    assert note_reads().get().username == "rco_a_supervisor"


def test_the_participant_section_shows_the_last_three_contacts_without_notes(
    world, person, log, actor_of, django_assert_max_num_queries
):
    now = timezone.now()
    for days in (40, 20, 10, 2, 1):
        log(person, occurred_at=now - timedelta(days=days), note=f"{NOTE} ({days})")
    in_error = log(person, occurred_at=now - timedelta(hours=1))
    from rosc.encounters.services import encounter_void

    encounter_void(actor=actor_of("rco_a_peer"), encounter=in_error, reason="Wrong person")

    actor = actor_of("rco_a_peer")
    with django_assert_max_num_queries(2):
        section = participant_section(actor=actor, participant=person)

    assert section["encounter_count_30_days"] == 4
    assert abs(section["encounter_last_contact"] - (now - timedelta(days=1))) < timedelta(seconds=1)
    assert len(section["encounter_recent"]) == 3
    html = render_to_string(
        "encounters/_participant_section.html", {"participant": person, **section}
    )
    assert "job interview" not in html
    assert "Log a contact" in html
    assert f"/participants/{person.public_id}/contacts/new/" in html
    assert "4 in the last 30 days" in html


def test_the_section_for_someone_never_contacted_says_so(world, person, actor_of):
    section = participant_section(actor=actor_of("rco_a_peer"), participant=person)
    html = render_to_string(
        "encounters/_participant_section.html", {"participant": person, **section}
    )
    assert "No contacts logged yet." in html
    assert "Log a contact" in html


def test_the_api_list_never_carries_a_note_but_says_whether_there_is_one(
    world, person, log, as_persona
):
    log(person, note=NOTE)
    log(person, kind="group", place="community")
    response = as_persona("rco_a_peer").get(api_base(world, person))
    assert response.status_code == 200
    body = response.json()
    assert "job interview" not in response.content.decode()
    assert all("note" not in item for item in body["items"])
    assert sorted(item["has_note"] for item in body["items"]) == [False, True]
    assert body["count"] == 2


def test_the_api_note_read_is_audited(world, person, log, as_persona):
    encounter = log(person, note=NOTE)
    response = as_persona("rco_a_peer").get(f"{api_base(world, person)}/{encounter.public_id}/note")
    assert response.status_code == 200
    assert response.json()["note"] == NOTE
    assert note_reads().count() == 1


def test_the_selector_reads_a_note_only_for_the_enrolling_organization(
    world, person, log, actor_of
):
    import pytest
    from django.http import Http404

    encounter = log(person, note=NOTE)
    assert (
        encounter_note_get(
            actor=actor_of("rco_a_admin"),
            participant_id=person.public_id,
            encounter_id=encounter.public_id,
        ).note
        == NOTE
    )
    for persona in ("rco_b_peer", "provider_staff", "court_partner", "network_admin"):
        with pytest.raises(Http404):
            encounter_note_get(
                actor=actor_of(persona),
                participant_id=person.public_id,
                encounter_id=encounter.public_id,
            )
    assert note_reads().filter(outcome=AuditEvent.Outcome.OK).count() == 1
    assert note_reads().filter(outcome=AuditEvent.Outcome.DENIED).count() == 4
