"""What a progress report to a court contains: counts, and nothing written about the person.

Engagement: the RCO's contacts with its own record of the person in the period, by kind (not
entered in error), group sessions among them, and follow-up interviews completed. Milestones:
how many goals of the recovery plan in force at the end of the period are done, how many of
those were marked done during the period, and the life domains they belong to; steps done so
far. Never a note, an assessment, a "what recovery means to me", a goal's or a step's words:
the goals are the person's own words, so the court gets "N of M goals achieved in housing,
employment", not the goals.
"""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count

from rosc.encounters.models import Encounter, EncounterKind
from rosc.followups.models import FollowUp
from rosc.people.models import LifeDomain, Participant
from rosc.plans.models import PlanGoal, PlanStep, PlanVersion, Progress


def _bounds(start: date, end: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _version_at(participant: Participant, moment: datetime) -> PlanVersion | None:
    return (
        PlanVersion.objects.filter(participant=participant, saved_at__lt=moment)
        .order_by("-number")
        .first()
    )


def _goal_states(version: PlanVersion | None) -> dict[str, tuple[str, str]]:
    if version is None:
        return {}
    return {
        str(key): (status, domain)
        for key, status, domain in PlanGoal.objects.filter(version=version).values_list(
            "key", "status", "domain"
        )
    }


def report_content(
    *, participant: Participant, start: date, end: date, zone: ZoneInfo
) -> dict[str, Any]:
    """The report's JSON for `participant` (the RCO's own record) from `start` to `end`."""
    begins, ends = _bounds(start, end, zone)
    contacts = dict(
        Encounter.objects.filter(
            participant=participant,
            occurred_at__gte=begins,
            occurred_at__lt=ends,
            voided_at__isnull=True,
        )
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    by_kind = [
        {"kind": kind.value, "label": kind.label, "count": contacts[kind.value]}
        for kind in EncounterKind
        if contacts.get(kind.value)
    ]
    followups = FollowUp.objects.filter(
        participant=participant, completed_on__gte=start, completed_on__lte=end
    ).count()

    before = _goal_states(_version_at(participant, begins))
    at_end_version = _version_at(participant, ends)
    after = _goal_states(at_end_version)
    achieved = [key for key, (status, _d) in after.items() if status == Progress.DONE]
    newly = [key for key in achieved if before.get(key, ("", ""))[0] != Progress.DONE]
    domains = sorted(
        {after[key][1] for key in newly}, key=lambda d: list(LifeDomain.values).index(d)
    )
    steps = (
        PlanStep.objects.filter(goal__version=at_end_version)
        if at_end_version
        else PlanStep.objects.none()
    )
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "engagement": {
            "contacts_total": sum(contacts.values()),
            "contacts_by_kind": by_kind,
            "group_sessions_attended": contacts.get(EncounterKind.GROUP.value, 0),
            "followups_completed": followups,
        },
        "milestones": {
            "has_plan": at_end_version is not None,
            "goals_total": len(after),
            "goals_achieved": len(achieved),
            "goals_achieved_in_period": len(newly),
            "domains_achieved_in_period": [LifeDomain(d).label for d in domains],
            "steps_total": steps.count(),
            "steps_done": steps.filter(status=Progress.DONE).count(),
        },
    }
