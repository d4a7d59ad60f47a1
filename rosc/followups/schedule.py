"""Follow-up windows: pure date arithmetic, no database.

GPRA (standards.md §4): the 6-month follow-up is due six calendar months after the intake, and its
window runs from 30 days before that date to 60 days after it; an interview outside the window
does not count. "Six calendar months" lands on the same day of the month, or on the month's last
day when that day does not exist (intake Aug 31 -> due Feb 28, or Feb 29 in a leap year).
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from rosc.followups.models import FollowUpState, InterviewType
from rosc.people.models import DischargeReason

# Calendar months clamp at most three days (31 -> 28); queries widen their date ranges by this
# much and then check each candidate exactly.
CLAMP_SLOP = timedelta(days=4)
MONTHS_AFTER_INTAKE: dict[int, int] = {InterviewType.THREE_MONTH: 3, InterviewType.SIX_MONTH: 6}


class Schedule(Protocol):
    """What the arithmetic needs of a Program (an unsaved Program gives the defaults)."""

    intake_interview: bool
    three_month: bool
    six_month: bool
    discharge_interview: bool
    window_before_days: int
    window_after_days: int
    intake_within_days: int
    discharge_within_days: int


@dataclass(frozen=True)
class Window:
    kind: int
    due_on: date
    opens_on: date
    closes_on: date

    def contains(self, day: date) -> bool:
        return self.opens_on <= day <= self.closes_on


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (or earlier), clamped to the month's end."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_after_window(started_on: date, months: int, schedule: Schedule) -> Window:
    """The window of a follow-up `months` months after an intake on `started_on`."""
    due = add_months(started_on, months)
    kind = InterviewType.SIX_MONTH if months == 6 else InterviewType.THREE_MONTH
    return Window(
        kind=kind,
        due_on=due,
        opens_on=due - timedelta(days=schedule.window_before_days),
        closes_on=due + timedelta(days=schedule.window_after_days),
    )


def intake_window(started_on: date, schedule: Schedule) -> Window:
    return Window(
        kind=InterviewType.INTAKE,
        due_on=started_on,
        opens_on=started_on,
        closes_on=started_on + timedelta(days=schedule.intake_within_days),
    )


def discharge_window(ended_on: date, schedule: Schedule) -> Window:
    return Window(
        kind=InterviewType.DISCHARGE,
        due_on=ended_on,
        opens_on=ended_on,
        closes_on=ended_on + timedelta(days=schedule.discharge_within_days),
    )


def episode_windows(
    *,
    started_on: date,
    ended_on: date | None,
    discharge_reason: str,
    next_started_on: date | None,
    schedule: Schedule,
) -> list[Window]:
    """Every follow-up an episode calls for, in date order.

    - A 3- or 6-month follow-up whose window had not opened when the next intake began is
      replaced by that intake's own schedule (the highest IntakeSeqNum is the active one).
    - When the person passed away, nothing that was still ahead is asked for: no discharge
      interview, and no follow-up whose window had not closed by then.
    """
    passed_away = discharge_reason == DischargeReason.PASSED_AWAY
    windows: list[Window] = []
    if schedule.intake_interview:
        windows.append(intake_window(started_on, schedule))
    for months, wanted in ((3, schedule.three_month), (6, schedule.six_month)):
        if not wanted:
            continue
        window = months_after_window(started_on, months, schedule)
        if next_started_on is not None and next_started_on <= window.opens_on:
            continue
        if passed_away and ended_on is not None and window.closes_on >= ended_on:
            continue
        windows.append(window)
    if schedule.discharge_interview and ended_on is not None and not passed_away:
        windows.append(discharge_window(ended_on, schedule))
    return sorted(windows, key=lambda w: (w.due_on, w.kind))


def state_on(*, opens_on: date, closes_on: date, completed_on: date | None, on: date) -> str:
    """The FollowUpState of a follow-up on the day `on` (see FollowUpState for the meanings)."""
    if completed_on is not None:
        return FollowUpState.COMPLETED
    if on < opens_on:
        return FollowUpState.DUE
    if on <= closes_on:
        return FollowUpState.OPEN
    return FollowUpState.OVERDUE


def intake_dates_due_between(months: int, first: date, last: date) -> tuple[date, date]:
    """A range of intake dates that holds every intake whose follow-up `months` later falls
    between `first` and `last` (a little wider: check each candidate exactly)."""
    return add_months(first, -months) - CLAMP_SLOP, add_months(last, -months) + CLAMP_SLOP


def day_text(day: date) -> str:
    """'Jul 1, 2026': how dates are written in messages."""
    return f"{day:%b} {day.day}, {day.year}"
