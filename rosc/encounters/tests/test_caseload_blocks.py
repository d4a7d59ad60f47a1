"""The caseload's building blocks: one aggregate query each, scoped to one organization."""

from datetime import timedelta

from django.utils import timezone

from rosc.encounters.selectors import (
    contact_counts_by_staff,
    last_contact_by_participant,
    recent_encounters,
)
from rosc.encounters.services import encounter_void

from .conftest import NOTE


def test_last_contact_by_participant_is_one_query_for_any_number_of_people(
    world, person, enrol, log, actor_of, django_assert_num_queries
):
    now = timezone.now()
    other = enrol("rco_a_peer", "Ana", "Lopez")
    never = enrol("rco_a_peer", "Sam", "Okafor")
    log(person, occurred_at=now - timedelta(days=9))
    log(person, occurred_at=now - timedelta(days=3))
    latest_for_other = log(other, occurred_at=now - timedelta(days=1))
    in_error = log(other, occurred_at=now - timedelta(hours=1))
    encounter_void(actor=actor_of("rco_a_peer"), encounter=in_error, reason="Wrong person")
    org = world.orgs["rco_a"]

    with django_assert_num_queries(1):
        found = last_contact_by_participant(
            organization=org, participant_ids=[person.pk, other.pk, never.pk]
        )

    assert set(found) == {person.pk, other.pk}
    assert abs(found[person.pk] - (now - timedelta(days=3))) < timedelta(seconds=1)
    assert found[other.pk] == latest_for_other.occurred_at
    # Another organization's view of the same ids finds nothing.
    assert (
        last_contact_by_participant(organization=world.orgs["rco_b"], participant_ids=[person.pk])
        == {}
    )
    assert last_contact_by_participant(organization=org, participant_ids=[]) == {}


def test_contact_counts_by_staff_counts_each_staff_members_contacts_since_a_date(
    world, person, log, django_assert_num_queries
):
    now = timezone.now()
    log(person, occurred_at=now - timedelta(days=2))
    log(person, occurred_at=now - timedelta(days=5))
    log(person, occurred_at=now - timedelta(days=40))
    log(person, persona="rco_a_supervisor", occurred_at=now - timedelta(days=1))

    with django_assert_num_queries(1):
        counts = contact_counts_by_staff(
            organization=world.orgs["rco_a"], since=now - timedelta(days=30)
        )

    assert counts == {world.users["rco_a_peer"].pk: 2, world.users["rco_a_supervisor"].pk: 1}
    assert (
        contact_counts_by_staff(organization=world.orgs["rco_b"], since=now - timedelta(days=30))
        == {}
    )


def test_recent_encounters_are_newest_first_without_notes(
    world, person, log, django_assert_num_queries
):
    now = timezone.now()
    for days in range(1, 6):
        log(person, occurred_at=now - timedelta(days=days), note=NOTE)
    log(person, persona="rco_a_supervisor", occurred_at=now - timedelta(minutes=5), kind="group")

    with django_assert_num_queries(1):
        rows = recent_encounters(organization=world.orgs["rco_a"], limit=3)
        assert [r.participant.display_name for r in rows] == ["Maria Garcia"] * 3
        assert [r.logged_by.username for r in rows] == [
            "rco_a_supervisor",
            "rco_a_peer",
            "rco_a_peer",
        ]

    assert rows[0].kind == "group"
    assert all("note" in r.get_deferred_fields() for r in rows)
    mine = recent_encounters(organization=world.orgs["rco_a"], staff_user=world.users["rco_a_peer"])
    assert len(mine) == 5
    assert recent_encounters(organization=world.orgs["rco_b"]) == []
