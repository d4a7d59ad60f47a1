"""Window arithmetic and states: pure dates, no database."""

from datetime import date, timedelta

from rosc.followups.models import FollowUpState, InterviewType, Program
from rosc.followups.schedule import add_months, episode_windows, state_on
from rosc.people.models import DischargeReason

FEDERAL = Program()  # unsaved: the defaults (intake, 6-month, discharge; 30 before, 60 after)


def windows(started_on, ended_on=None, reason="", next_started_on=None, schedule=FEDERAL):
    return {
        w.kind: w
        for w in episode_windows(
            started_on=started_on,
            ended_on=ended_on,
            discharge_reason=reason,
            next_started_on=next_started_on,
            schedule=schedule,
        )
    }


def test_an_intake_on_january_31_has_its_6_month_follow_up_due_july_31_open_july_1_to_september_29():
    six = windows(date(2026, 1, 31))[InterviewType.SIX_MONTH]
    assert six.due_on == date(2026, 7, 31)
    assert six.opens_on == date(2026, 7, 1)
    assert six.closes_on == date(2026, 9, 29)


def test_six_calendar_months_from_a_month_end_land_on_the_shorter_months_last_day():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)  # leap year
    assert add_months(date(2028, 2, 29), 6) == date(2028, 8, 29)
    assert add_months(date(2025, 12, 15), 6) == date(2026, 6, 15)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 31), -2) == date(2025, 11, 30)


def test_a_leap_day_window_counts_the_29th_of_february():
    six = windows(date(2027, 8, 31))[InterviewType.SIX_MONTH]
    assert six.due_on == date(2028, 2, 29)
    assert six.opens_on == date(2028, 1, 30)
    assert six.closes_on == date(2028, 4, 29)


def test_the_federal_pattern_is_an_intake_a_6_month_follow_up_and_at_discharge_an_interview():
    open_episode = windows(date(2026, 3, 10))
    assert sorted(open_episode) == [InterviewType.INTAKE, InterviewType.SIX_MONTH]
    intake = open_episode[InterviewType.INTAKE]
    assert (intake.opens_on, intake.closes_on) == (date(2026, 3, 10), date(2026, 4, 9))
    ended = windows(date(2026, 3, 10), ended_on=date(2026, 5, 1), reason="moved")
    assert sorted(ended) == [InterviewType.INTAKE, InterviewType.SIX_MONTH, InterviewType.DISCHARGE]
    discharge = ended[InterviewType.DISCHARGE]
    assert (discharge.opens_on, discharge.closes_on) == (date(2026, 5, 1), date(2026, 5, 31))


def test_the_optional_3_month_follow_up_and_other_windows_follow_the_programs_setting():
    program = Program(three_month=True, window_before_days=14, window_after_days=30)
    found = windows(date(2026, 1, 15), schedule=program)
    three = found[InterviewType.THREE_MONTH]
    assert (three.due_on, three.opens_on, three.closes_on) == (
        date(2026, 4, 15),
        date(2026, 4, 1),
        date(2026, 5, 15),
    )
    assert found[InterviewType.SIX_MONTH].closes_on == date(2026, 8, 14)


def test_states_move_from_coming_up_to_open_to_overdue_and_stay_completed_once_done():
    six = windows(date(2026, 1, 31))[InterviewType.SIX_MONTH]

    def state(on, completed_on=None):
        return state_on(
            opens_on=six.opens_on, closes_on=six.closes_on, completed_on=completed_on, on=on
        )

    assert state(date(2026, 6, 30)) == FollowUpState.DUE
    assert state(date(2026, 7, 1)) == FollowUpState.OPEN
    assert state(date(2026, 9, 29)) == FollowUpState.OPEN
    assert state(date(2026, 9, 30)) == FollowUpState.OVERDUE
    assert state(date(2027, 1, 1), completed_on=date(2026, 8, 2)) == FollowUpState.COMPLETED


def test_a_new_intake_before_the_window_opens_replaces_the_old_6_month_follow_up():
    start = date(2026, 1, 31)
    replaced = windows(start, date(2026, 3, 1), "moved", next_started_on=date(2026, 5, 1))
    assert InterviewType.SIX_MONTH not in replaced
    # Came back after the window opened: the follow-up already under way still stands.
    kept = windows(start, date(2026, 3, 1), "moved", next_started_on=date(2026, 7, 2))
    assert kept[InterviewType.SIX_MONTH].due_on == date(2026, 7, 31)


def test_after_a_person_passed_away_nothing_still_ahead_is_asked_for():
    found = windows(
        date(2026, 1, 31), ended_on=date(2026, 4, 1), reason=DischargeReason.PASSED_AWAY
    )
    assert sorted(found) == [InterviewType.INTAKE]


def test_window_lengths_are_whole_days():
    six = windows(date(2026, 2, 28))[InterviewType.SIX_MONTH]
    assert six.closes_on - six.opens_on == timedelta(days=90)
