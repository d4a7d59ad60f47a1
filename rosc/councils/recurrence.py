"""Meeting dates: RFC 5545 recurrence rules expanded with dateutil, in the council's time zone.

A series keeps its rule without DTSTART, UNTIL or COUNT (those are fields of the series), and the
rule runs on local dates: "the second Tuesday at 10:00" stays at 10:00 on both sides of a DST
change. `meetings_between` merges the rule's dates with the series' occurrences (cancelled,
moved and extra dates) into what a calendar shows.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.rrule import rrule, rrulestr

from rosc.councils.models import MeetingSeries, Occurrence

# How far ahead a rule is searched for its first date before it counts as never occurring.
SEARCH_YEARS = 10
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FORBIDDEN_PARTS = ("DTSTART", "UNTIL", "COUNT")


class RuleError(ValueError):
    """A recurrence rule that cannot be used, with a message for the person who typed it."""


def monthly_rule(*, weekday: str, week: int) -> str:
    """'every month on the second Tuesday' -> FREQ=MONTHLY;BYDAY=2TU (week -1: the last)."""
    return f"FREQ=MONTHLY;BYDAY={week}{weekday}"


def weekly_rule(*, weekday: str, interval: int = 1) -> str:
    interval_part = f";INTERVAL={interval}" if interval > 1 else ""
    return f"FREQ=WEEKLY{interval_part};BYDAY={weekday}"


def _rule(text: str, first: date, *, until: date | None = None, count: int | None = None) -> rrule:
    text = text.strip().upper().removeprefix("RRULE:")
    if not text.startswith("FREQ="):
        raise RuleError("A rule starts with FREQ=, for example FREQ=MONTHLY;BYDAY=2TU.")
    if any(part in text for part in FORBIDDEN_PARTS):
        raise RuleError("Give the start, the end date and the number of meetings in their fields.")
    try:
        parsed = rrulestr("RRULE:" + text, dtstart=datetime.combine(first, time()))
    except (ValueError, TypeError) as exc:
        raise RuleError(f"This is not a recurrence rule: {exc}.") from exc
    if not isinstance(parsed, rrule):
        raise RuleError("Give one recurrence rule.")
    if until is not None:
        parsed = parsed.replace(until=datetime.combine(until, time(23, 59, 59)))
    if count is not None:
        parsed = parsed.replace(count=count)
    return parsed


def first_date(text: str, start: date, *, until: date | None = None) -> date:
    """The rule's first date on or after `start`; RuleError when it never occurs."""
    rule = _rule(text, start, until=until)
    limit = datetime.combine(start.replace(year=start.year + SEARCH_YEARS), time())
    found = rule.after(datetime.combine(start, time()), inc=True)
    if found is None or found > limit:
        if until is not None:
            raise RuleError("No meeting falls between the start date and the end date.")
        raise RuleError(f"This rule has no meeting in the next {SEARCH_YEARS} years.")
    return found.date()


def rule_dates(series: MeetingSeries, start: date, end: date) -> list[date]:
    """The dates of the series' rule from start to end, both included (cancelled ones too)."""
    rule = _rule(series.rrule, series.first_date, until=series.until, count=series.count)
    return [
        d.date()
        for d in rule.between(
            datetime.combine(start, time()), datetime.combine(end, time()), inc=True
        )
    ]


def is_rule_date(series: MeetingSeries, day: date) -> bool:
    return day in rule_dates(series, day, day)


@dataclass(frozen=True)
class Meeting:
    """One date in a council's calendar."""

    series: MeetingSeries
    start: datetime  # aware, in the council's time zone
    end: datetime
    occurrence: Occurrence | None = None
    recurrence_date: date | None = None

    @property
    def cancelled(self) -> bool:
        return self.occurrence is not None and self.occurrence.cancelled

    @property
    def moved(self) -> bool:
        return self.occurrence is not None and self.occurrence.is_moved

    @property
    def extra(self) -> bool:
        return self.occurrence is not None and self.occurrence.is_extra

    @property
    def address(self) -> str:
        return self.occurrence.place_address if self.occurrence else self.series.address

    @property
    def online_url(self) -> str:
        return self.occurrence.place_url if self.occurrence else self.series.online_url


def meetings_between(
    series_list: Iterable[MeetingSeries],
    start: datetime,
    end: datetime,
    *,
    include_cancelled: bool = True,
) -> list[Meeting]:
    """Every meeting of the series starting in [start, end), by start time."""
    found: list[Meeting] = []
    for series in series_list:
        tz = series.council.tz
        occurrences = list(series.occurrences.all())
        by_date = {o.recurrence_date: o for o in occurrences if o.recurrence_date is not None}
        # A moved meeting may leave the window its rule date is in, or enter it: look wider.
        first = start.astimezone(tz).date() - timedelta(days=1)
        last = end.astimezone(tz).date() + timedelta(days=1)
        for day in rule_dates(series, first, last):
            occ = by_date.pop(day, None)
            meeting = Meeting(
                series,
                occ.start_local if occ else series.local_start(day),
                occ.end_local if occ else series.local_end(day),
                occ,
                day,
            )
            found.append(meeting)
        for occ in by_date.values():  # moved from a rule date outside the window
            if occ.starts_at is not None:
                found.append(
                    Meeting(series, occ.start_local, occ.end_local, occ, occ.recurrence_date)
                )
        for occ in occurrences:
            if occ.is_extra:
                found.append(Meeting(series, occ.start_local, occ.end_local, occ, None))
    return sorted(
        (m for m in found if start <= m.start < end and (include_cancelled or not m.cancelled)),
        key=lambda m: m.start,
    )
