"""Nothing is deleted: a contact is marked "entered in error" with a reason, or corrected by
its author soon after logging; both are audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rosc.core.models import AuditEvent
from rosc.encounters.models import Encounter
from rosc.encounters.selectors import last_contact_by_participant
from rosc.encounters.services import encounter_correct, encounter_void

from .conftest import NOTE


def void_path(person, encounter) -> str:
    return f"/participants/{person.public_id}/contacts/{encounter.public_id}/in-error/"


def test_a_contact_marked_in_error_stays_in_the_list_marked_with_the_reason(
    world, person, log, as_persona
):
    encounter = log(person, note=NOTE)
    peer = as_persona("rco_a_peer")
    assert peer.get(void_path(person, encounter)).status_code == 200

    response = peer.post(void_path(person, encounter), {"reason": "Logged for the wrong person"})

    assert response.status_code == 302
    assert response["Location"] == f"/participants/{person.public_id}/contacts/"
    encounter.refresh_from_db()
    assert encounter.voided_at is not None
    assert encounter.voided_by == world.users["rco_a_peer"]
    assert encounter.void_reason == "Logged for the wrong person"
    assert Encounter.objects.count() == 1
    page = peer.get(response["Location"]).content.decode()
    assert "Entered in error" in page and "Logged for the wrong person" in page
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.detail["entered_in_error"] is True
    assert event.subject_id == str(person.public_id)
    # It no longer counts as the last contact.
    assert (
        last_contact_by_participant(organization=world.orgs["rco_a"], participant_ids=[person.pk])
        == {}
    )


def test_marking_in_error_needs_a_reason(world, person, log, as_persona):
    encounter = log(person)
    response = as_persona("rco_a_peer").post(void_path(person, encounter), {"reason": "  "})
    assert response.status_code == 200
    assert "Say briefly why this entry is in error." in response.content.decode()
    encounter.refresh_from_db()
    assert encounter.voided_at is None


def test_a_contact_cannot_be_marked_in_error_twice(world, person, log, actor_of):
    encounter = log(person)
    encounter_void(actor=actor_of("rco_a_peer"), encounter=encounter, reason="Wrong day")
    with pytest.raises(ValidationError):
        encounter_void(actor=actor_of("rco_a_supervisor"), encounter=encounter, reason="Again")
    encounter.refresh_from_db()
    assert encounter.void_reason == "Wrong day"


def test_the_author_corrects_a_contact_soon_after_and_the_change_is_audited(
    world, person, log, actor_of
):
    encounter = log(person, duration_minutes=30, note="Short chat")
    corrected = encounter_correct(
        actor=actor_of("rco_a_peer"), encounter=encounter, duration_minutes=45, note="Longer chat"
    )
    assert corrected.duration_minutes == 45
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.detail == {"fields": ["duration_minutes", "note"]}
    assert "chat" not in str(event.detail) + event.record_label


def test_only_the_author_may_correct_and_only_for_a_short_while(world, person, log, actor_of):
    encounter = log(person)
    with pytest.raises(ValidationError):
        encounter_correct(
            actor=actor_of("rco_a_supervisor"), encounter=encounter, duration_minutes=5
        )
    Encounter.objects.filter(pk=encounter.pk).update(logged_at=timezone.now() - timedelta(hours=1))
    encounter.refresh_from_db()
    with pytest.raises(ValidationError):
        encounter_correct(actor=actor_of("rco_a_peer"), encounter=encounter, duration_minutes=5)
    encounter.refresh_from_db()
    assert encounter.duration_minutes == 30


def test_a_correction_follows_the_same_rules(world, person, log, actor_of):
    encounter = log(person)
    with pytest.raises(ValidationError) as caught:
        encounter_correct(actor=actor_of("rco_a_peer"), encounter=encounter, duration_minutes=0)
    assert "duration_minutes" in caught.value.message_dict
    encounter.refresh_from_db()
    assert encounter.duration_minutes == 30
