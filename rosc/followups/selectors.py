"""Reads of follow-ups, episodes and the follow-up rate.

Follow-ups are computed, not stored in advance: each episode (rosc.people.Episode) and the
organization's Program give the windows (rosc.followups.schedule); a FollowUp row exists only once
an attempt or the interview was recorded, and then its own dates win. So every way a person comes
to be enrolled (the enrolment page, the API, a bulk import, the benchmark loader) has a correct
schedule at once, and nobody has to remember to call a scheduling function.

`followup_list` and `participant_section` take the actor and refuse (404 after a denied event)
anyone outside the person's organization. `followups_in_window` and `followup_rate` are unaudited
building blocks for the caseload and the reports: callers hold the access decision.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization
from rosc.accounts.roles import Perm
from rosc.accounts.selectors import deny
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.followups.models import (
    AttemptOutcome,
    FollowUp,
    FollowUpAttempt,
    FollowUpState,
    InterviewType,
    Program,
)
from rosc.followups.schedule import (
    MONTHS_AFTER_INTAKE,
    episode_windows,
    intake_dates_due_between,
    state_on,
)
from rosc.people.models import Episode, Participant, ParticipantStatus
from rosc.people.selectors import participant_in_reach

RECORD_TYPE = "followups.followup"
# followups_in_window keeps overdue follow-ups on the caseload this long after their window
# closed; older ones stay on the person's follow-ups page and in the rate.
OVERDUE_SHOWN_FOR_DAYS = 90


def program_for(*, organization: Organization) -> Program:
    """The organization's follow-up schedule, or the federal defaults when it has not set one."""
    program = Program.objects.filter(organization=organization).first()
    return program if program is not None else Program(organization=organization)


@dataclass
class FollowUpItem:
    """One follow-up as people see it: computed window, state today, and what was recorded."""

    participant: Participant
    episode: Episode
    kind: int
    due_on: date
    window_opens_on: date
    window_closes_on: date
    state: str
    record: FollowUp | None = None
    attempts: list[FollowUpAttempt] = field(default_factory=list)

    @property
    def key(self) -> str:
        """How forms and links name it: '<intake sequence number>-<interview type>'."""
        return f"{self.episode.intake_seq}-{self.kind}"

    @property
    def kind_label(self) -> str:
        return InterviewType(self.kind).label

    @property
    def state_label(self) -> str:
        return FollowUpState(self.state).label

    @property
    def completed_on(self) -> date | None:
        return self.record.completed_on if self.record else None

    @property
    def outcome(self) -> str:
        return self.record.outcome if self.record else ""

    @property
    def outcome_label(self) -> str:
        return AttemptOutcome(self.outcome).label if self.outcome else ""

    @property
    def counts_toward_rate(self) -> bool:
        """Completed with the interview done on a day inside the window."""
        done = self.completed_on
        return (
            done is not None
            and self.outcome == AttemptOutcome.REACHED
            and self.window_opens_on <= done <= self.window_closes_on
        )

    @property
    def can_record_attempt(self) -> bool:
        return self.state in (FollowUpState.OPEN, FollowUpState.OVERDUE)

    @property
    def can_complete(self) -> bool:
        return self.state == FollowUpState.OPEN


def parse_key(key: str) -> tuple[int, int] | None:
    """'<seq>-<kind>' -> (seq, kind), or None when it is not one."""
    seq, _, kind = (key or "").partition("-")
    if not (seq.isdigit() and kind.isdigit()) or int(kind) not in InterviewType.values:
        return None
    return int(seq), int(kind)


def _next_starts(participant_ids: Iterable[int]) -> dict[tuple[int, int], date]:
    """(participant pk, intake seq) -> when that participant's episode with that seq began."""
    ids = set(participant_ids)
    if not ids:
        return {}
    rows = Episode.objects.filter(participant_id__in=ids, intake_seq__gt=1).values_list(
        "participant_id", "intake_seq", "started_on"
    )
    return {(pid, seq): started for pid, seq, started in rows}


def episode_items(
    episodes: list[Episode],
    *,
    program: Program,
    on: date,
    rows: dict[tuple[int, int], FollowUp],
    next_starts: dict[tuple[int, int], date],
) -> list[FollowUpItem]:
    """The follow-ups of these episodes on the day `on` (unaudited building block).

    `rows`: what was recorded, by (episode pk, interview type); `next_starts`: when each
    participant's episodes began, by (participant pk, intake seq).
    """
    items = []
    for episode in episodes:
        windows = episode_windows(
            started_on=episode.started_on,
            ended_on=episode.ended_on,
            discharge_reason=episode.discharge_reason,
            next_started_on=next_starts.get((episode.participant_id, episode.intake_seq + 1)),
            schedule=program,
        )
        scheduled = {w.kind for w in windows}
        for w in windows:
            row = rows.get((episode.pk, w.kind))
            opens, closes, due = (
                (row.window_opens_on, row.window_closes_on, row.due_on)
                if row
                else (w.opens_on, w.closes_on, w.due_on)
            )
            items.append(
                FollowUpItem(
                    participant=episode.participant,
                    episode=episode,
                    kind=w.kind,
                    due_on=due,
                    window_opens_on=opens,
                    window_closes_on=closes,
                    state=state_on(
                        opens_on=opens,
                        closes_on=closes,
                        completed_on=row.completed_on if row else None,
                        on=on,
                    ),
                    record=row,
                )
            )
        # Completed before the schedule changed (settings, a re-intake): still part of the story.
        for (episode_pk, kind), row in rows.items():
            if episode_pk == episode.pk and kind not in scheduled and row.completed_on:
                items.append(
                    FollowUpItem(
                        participant=episode.participant,
                        episode=episode,
                        kind=kind,
                        due_on=row.due_on,
                        window_opens_on=row.window_opens_on,
                        window_closes_on=row.window_closes_on,
                        state=FollowUpState.COMPLETED,
                        record=row,
                    )
                )
    return items


def participant_followups(
    participant: Participant, *, on: date | None = None, with_attempts: bool = False
) -> list[FollowUpItem]:
    """Every follow-up of one person, all episodes, in date order. Unaudited building block:
    callers hold the access decision (the selectors below, the services)."""
    on = on or timezone.localdate()
    episodes = list(Episode.objects.filter(participant=participant).order_by("intake_seq"))
    for episode in episodes:
        episode.participant = participant
    rows_qs = FollowUp.objects.filter(participant=participant)
    if with_attempts:
        rows_qs = rows_qs.prefetch_related("attempts")
    rows = {(r.episode_id, r.kind): r for r in rows_qs}
    next_starts = {(participant.pk, e.intake_seq): e.started_on for e in episodes}
    items = episode_items(
        episodes,
        program=program_for(organization=participant.organization),
        on=on,
        rows=rows,
        next_starts=next_starts,
    )
    if with_attempts:
        for item in items:
            item.attempts = list(item.record.attempts.all()) if item.record else []
    return sorted(items, key=lambda i: (i.due_on, i.episode.intake_seq, i.kind))


def followup_find(participant: Participant, *, intake_seq: int, kind: int) -> FollowUpItem | None:
    """One follow-up of the person by episode and interview type (unaudited building block)."""
    return next(
        (
            i
            for i in participant_followups(participant)
            if i.episode.intake_seq == intake_seq and i.kind == kind
        ),
        None,
    )


def followup_list(
    *, actor: Actor, participant_id: UUID | str, on: date | None = None
) -> tuple[Participant, list[FollowUpItem]]:
    """The person's follow-ups with their attempts, for their own organization's staff; audited."""
    participant = participant_in_reach(
        actor=actor,
        participant_id=participant_id,
        action=AuditEvent.Action.LIST,
        record_type=RECORD_TYPE,
    )
    with transaction.atomic():
        items = participant_followups(participant, on=on, with_attempts=True)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.LIST,
            record_type=RECORD_TYPE,
            record_id=str(participant.public_id),
            record_label=f"Follow-ups of {participant.display_name}"[:200],
            record_organization_id=participant.organization.public_id,
            subject=participant,
            detail={"count": len(items)},
        )
    return participant, items


def current_episode(participant: Participant) -> Episode | None:
    return Episode.objects.filter(participant=participant).order_by("-intake_seq").first()


def next_followup(items: list[FollowUpItem]) -> FollowUpItem | None:
    """What to do next: the open one whose window closes first; else the next coming up; else
    the overdue one that closed last."""
    open_now = [i for i in items if i.state == FollowUpState.OPEN]
    if open_now:
        return min(open_now, key=lambda i: i.window_closes_on)
    upcoming = [i for i in items if i.state == FollowUpState.DUE]
    if upcoming:
        return min(upcoming, key=lambda i: i.window_opens_on)
    overdue = [i for i in items if i.state == FollowUpState.OVERDUE]
    return max(overdue, key=lambda i: i.window_closes_on) if overdue else None


def participant_section(*, actor: Actor, participant: Participant) -> dict[str, object]:
    """Context for `followups/_participant_section.html` on the participant's page.

    The page has already read (and audited) the participant; this checks the actor again and
    reads only schedule facts (no attempt notes), so it writes no event of its own.
    """
    org = actor.organization
    if (
        org is None
        or participant.organization_id != org.pk
        or not actor.can(Perm.PARTICIPANTS_OPEN)
    ):
        raise deny(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type=RECORD_TYPE,
            record_id=str(participant.public_id),
            record_organization_id=participant.organization.public_id,
        )
    items = participant_followups(participant)
    episode = max((i.episode for i in items), key=lambda e: e.intake_seq, default=None)
    if episode is None:
        episode = current_episode(participant)
    discharged = participant.status == ParticipantStatus.DISCHARGED
    return {
        "followups_discharged": discharged,
        "followups_status_label": participant.get_status_display(),
        "followups_episode": episode,
        "followups_next": next_followup(items),
        "followups_open_count": sum(1 for i in items if i.state == FollowUpState.OPEN),
        "followups_primary_peer": participant.primary_peer,
    }


def _candidate_episodes(
    organization: Organization, program: Program, first: date | None, last: date
) -> Q:
    """Episodes that may have a follow-up whose window overlaps [first, last] (first None: any
    time before `last`). Wider than exact; the caller checks each window."""
    ranges = Q(pk__in=[])

    def between(name: str, low: date | None, high: date) -> Q:
        return Q(**{f"{name}__lte": high}) & (Q(**{f"{name}__gte": low}) if low else Q())

    if program.intake_interview:
        low = first - timedelta(days=program.intake_within_days) if first else None
        ranges |= between("started_on", low, last)
    for kind, months in MONTHS_AFTER_INTAKE.items():
        if not (program.six_month if kind == InterviewType.SIX_MONTH else program.three_month):
            continue
        # Window [due - before, due + after] overlaps [first, last] when due is in this range.
        due_low = (first - timedelta(days=program.window_after_days)) if first else None
        due_high = last + timedelta(days=program.window_before_days)
        start_low, start_high = intake_dates_due_between(months, due_low or due_high, due_high)
        ranges |= between("started_on", start_low if due_low else None, start_high)
    if program.discharge_interview:
        low = first - timedelta(days=program.discharge_within_days) if first else None
        ranges |= between("ended_on", low, last)
    return ranges


def followups_in_window(
    *,
    organization: Organization,
    on: date,
    participant_ids: Collection[int] | None = None,
    overdue_within_days: int | None = OVERDUE_SHOWN_FOR_DAYS,
) -> list[FollowUpItem]:
    """Follow-ups that are open on `on`, or overdue (window closed, not completed) for at most
    `overdue_within_days` (None: however long), with their participant; window close first.

    Unaudited building block for the caseload: callers hold the access decision. Three queries
    whatever the size of the organization: candidate episodes by date (indexes on
    (organization, started_on) and (organization, ended_on)), later intakes of those people,
    and what was recorded against them.
    """
    program = program_for(organization=organization)
    first = on - timedelta(days=overdue_within_days) if overdue_within_days is not None else None
    episodes_qs = Episode.objects.filter(organization=organization).filter(
        _candidate_episodes(organization, program, first, on)
    )
    if participant_ids is not None:
        episodes_qs = episodes_qs.filter(participant_id__in=list(participant_ids))
    episodes = list(episodes_qs.select_related("participant"))
    if not episodes:
        return []
    rows = {(r.episode_id, r.kind): r for r in FollowUp.objects.filter(episode__in=episodes)}
    items = episode_items(
        episodes,
        program=program,
        on=on,
        rows=rows,
        next_starts=_next_starts(e.participant_id for e in episodes),
    )
    found = [
        i
        for i in items
        if i.state in (FollowUpState.OPEN, FollowUpState.OVERDUE)
        and (first is None or i.window_closes_on >= first)
    ]
    return sorted(found, key=lambda i: (i.window_closes_on, i.participant.pk, i.kind))


@dataclass(frozen=True)
class FollowUpRate:
    """GPRA follow-up rate: completed in window / due (standards.md §4; target 80%)."""

    kind: int
    first: date
    last: date
    due: int  # follow-ups of this kind whose due date falls in the period
    completed_in_window: int  # of those, interview done on a day inside the window
    window_still_open: int  # of those, not completed and still open on the day asked

    @property
    def rate(self) -> float | None:
        return self.completed_in_window / self.due if self.due else None


def followup_rate(
    *,
    organization: Organization,
    first: date,
    last: date,
    kind: int = InterviewType.SIX_MONTH,
    on: date | None = None,
) -> FollowUpRate:
    """The organization's follow-up rate for one interview type over a period (inclusive).

    Unaudited building block for reports (counts only): callers hold the access decision.
    Follow-ups that were replaced by a re-intake before their window opened, and those of a
    person who passed away, are not due. A follow-up whose window is still open counts as due;
    `window_still_open` says how many of those there are, for reports that leave them out.
    """
    on = on or timezone.localdate()
    program = program_for(organization=organization)
    if kind in MONTHS_AFTER_INTAKE:
        low, high = intake_dates_due_between(MONTHS_AFTER_INTAKE[kind], first, last)
        where = Q(started_on__gte=low, started_on__lte=high)
    elif kind == InterviewType.DISCHARGE:
        where = Q(ended_on__gte=first, ended_on__lte=last)
    else:
        where = Q(started_on__gte=first, started_on__lte=last)
    episodes = list(
        Episode.objects.filter(organization=organization)
        .filter(where)
        .select_related("participant")
    )
    rows = {
        (r.episode_id, r.kind): r for r in FollowUp.objects.filter(episode__in=episodes, kind=kind)
    }
    by_participant: dict[int, list[Episode]] = defaultdict(list)
    for e in episodes:
        by_participant[e.participant_id].append(e)
    items = [
        i
        for i in episode_items(
            episodes,
            program=program,
            on=on,
            rows=rows,
            next_starts=_next_starts(by_participant),
        )
        if i.kind == kind and first <= i.due_on <= last
    ]
    return FollowUpRate(
        kind=kind,
        first=first,
        last=last,
        due=len(items),
        completed_in_window=sum(1 for i in items if i.counts_toward_rate),
        window_still_open=sum(1 for i in items if i.state == FollowUpState.OPEN),
    )
