"""Whether a person coming home from jail or prison was met within 72 hours of release.

The release moment is the recorded release day at the recorded time, in the recipient's (the
RCO's) time zone; without a time, the start of that day. The first meeting is the earliest
live contact at or after that moment: a ReentryContact of a meeting kind (at the gate, in
person, phone, video; a letter or an in-reach visit does not count), or a contact the RCO
logged with its own record of the person (an Encounter of `referral.recipient_participant`
that is not marked entered in error, not a text message nor an in-reach visit).
"""

import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from rosc.encounters.models import Encounter, EncounterKind
from rosc.justice.models import MEETING_KINDS, ReentryContact, ReentryPlan

WITHIN = timedelta(hours=72)
ENCOUNTER_MEETING_KINDS = (
    EncounterKind.ONE_TO_ONE,
    EncounterKind.GROUP,
    EncounterKind.PHONE,
    EncounterKind.VIDEO,
    EncounterKind.OUTREACH,
    EncounterKind.ACCOMPANIMENT,
)

AWAITING_RELEASE = "awaiting_release"
MET = "met"
NOT_YET = "not_yet"
MISSED = "missed"


@dataclass(frozen=True)
class MetStatus:
    state: str
    released_at: datetime | None = None
    deadline: datetime | None = None
    met_at: datetime | None = None  # the first meeting at or after release (even a late one)
    hours_left: int | None = None

    @property
    def flagged(self) -> bool:
        return self.state == MISSED

    @property
    def label(self) -> str:
        if self.state == MET:
            return "Met within 72 hours of release: yes"
        if self.state == NOT_YET:
            return f"Met within 72 hours of release: not yet ({self.hours_left} hours left)"
        if self.state == MISSED:
            return "Met within 72 hours of release: no — flagged"
        return "Not released yet"


def plan_zone(plan: ReentryPlan) -> ZoneInfo:
    return ZoneInfo(plan.referral.recipient_organization.time_zone or settings.TIME_ZONE)


def release_moment(plan: ReentryPlan) -> datetime | None:
    if plan.released_on is None:
        return None
    return datetime.combine(
        plan.released_on, plan.released_time or time.min, tzinfo=plan_zone(plan)
    )


def first_meeting_at(plan: ReentryPlan, since: datetime) -> datetime | None:
    """The earliest live contact at or after `since` (ReentryContacts and the RCO's Encounters)."""
    firsts: list[datetime] = []
    contact = (
        ReentryContact.objects.filter(plan=plan, occurred_at__gte=since, kind__in=MEETING_KINDS)
        .order_by("occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    if contact is not None:
        firsts.append(contact)
    person_id = plan.referral.recipient_participant_id
    if person_id is not None:
        encounter = (
            Encounter.objects.filter(
                participant_id=person_id,
                occurred_at__gte=since,
                voided_at__isnull=True,
                kind__in=ENCOUNTER_MEETING_KINDS,
            )
            .order_by("occurred_at")
            .values_list("occurred_at", flat=True)
            .first()
        )
        if encounter is not None:
            firsts.append(encounter)
    return min(firsts) if firsts else None


def met_status(plan: ReentryPlan, *, now: datetime) -> MetStatus:
    released_at = release_moment(plan)
    if released_at is None:
        return MetStatus(AWAITING_RELEASE)
    deadline = released_at + WITHIN
    met_at = first_meeting_at(plan, released_at)
    if met_at is not None and met_at <= deadline:
        return MetStatus(MET, released_at, deadline, met_at)
    if now < deadline:
        hours = max(1, math.ceil((deadline - now).total_seconds() / 3600))
        return MetStatus(NOT_YET, released_at, deadline, None, hours)
    return MetStatus(MISSED, released_at, deadline, met_at)
