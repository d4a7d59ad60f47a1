"""The demo's follow-ups: open, overdue and completed ones, a few discharges, one re-enrolment."""

from collections import Counter

from django.core.management import call_command
from django.utils import timezone

from rosc.followups.models import FollowUp, FollowUpAttempt, FollowUpState
from rosc.followups.selectors import participant_followups
from rosc.people.models import Episode, Participant, ParticipantStatus


def test_the_demo_has_open_overdue_and_completed_follow_ups_discharges_and_a_re_enrolment(db):
    call_command("demo", verbosity=0)
    people = list(Participant.objects.select_related("organization"))
    states = Counter(item.state for person in people for item in participant_followups(person))
    assert states[FollowUpState.OPEN] >= 10
    assert states[FollowUpState.OVERDUE] >= 5
    assert states[FollowUpState.COMPLETED] >= 100
    assert states[FollowUpState.DUE] >= 10
    discharged = [p for p in people if p.status == ParticipantStatus.DISCHARGED]
    assert 3 <= len(discharged) <= 40
    assert Episode.objects.filter(intake_seq=2).count() == 1
    assert FollowUpAttempt.objects.filter(outcome="not_reached").exists()
    # Every completion lies inside its window.
    for row in FollowUp.objects.filter(completed_on__isnull=False):
        assert row.completed_on is not None
        assert row.window_opens_on <= row.completed_on <= row.window_closes_on
        assert row.completed_on <= timezone.localdate()
