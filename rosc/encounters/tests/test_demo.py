"""The demo's contacts: a plausible year for each demo participant, gentle and person-first."""

import io
import re

import pytest
from django.core.management import call_command
from django.db.models import Count

from rosc.accounts.models import Membership
from rosc.encounters.demo import NEEDS, NOTES
from rosc.encounters.models import Encounter
from rosc.encounters.services import EARLIEST
from rosc.people.models import Participant

WORDS_WE_DO_NOT_USE = re.compile(r"\b(addict|clean|dirty|relapse|abuser|junkie)\w*", re.I)


def contacts_snapshot() -> list[tuple]:
    return sorted(
        Encounter.objects.values_list(
            "participant__legal_last_name", "kind", "duration_minutes", "place", "note"
        )
    )


@pytest.mark.django_db
def test_the_demo_gives_participants_a_history_of_contacts_rebuilt_the_same_way():
    call_command("demo", "--seed", "41", stdout=io.StringIO())
    first = contacts_snapshot()
    assert len(first) > Participant.objects.count() * 3
    # Nearly everyone has contacts; each was logged by someone of the person's organization.
    with_contacts = Participant.objects.annotate(n=Count("encounters")).filter(n__gt=0).count()
    assert with_contacts >= Participant.objects.count() * 0.95
    staff = set(Membership.objects.values_list("organization_id", "user_id"))
    for org_id, user_id, when in Encounter.objects.values_list(
        "organization_id", "logged_by_id", "occurred_at"
    ).iterator():
        assert (org_id, user_id) in staff
        assert when >= EARLIEST
    assert Encounter.objects.exclude(note="").exists()
    assert Encounter.objects.filter(voided_at__isnull=False).exists()

    call_command("demo", "--reset", "--seed", "41", stdout=io.StringIO())
    assert contacts_snapshot() == first


def test_the_invented_notes_and_needs_use_recovery_friendly_words():
    for text in (*NOTES, *NEEDS):
        assert not WORDS_WE_DO_NOT_USE.search(text), text
