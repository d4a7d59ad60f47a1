"""Demo recovery plans: most demo participants have a plan in their own words, some reviewed.

`build_demo_plans(seed)` runs after the demo participants exist. About two in three people get
a plan with one to three versions, goals drawn from the life domains they named at intake,
steps with who helps and a target date. Most plans' latest version has a supervisor's review;
the rest wait for one. Written with bulk_create (a few queries for the whole demo); the words
are invented and the same seed always gives the same plans.
"""

import random
import uuid
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from rosc.accounts.models import Membership, User
from rosc.accounts.roles import Role
from rosc.people.demo import demo_participant_pks
from rosc.people.models import LifeDomain, Participant
from rosc.plans.models import PlanGoal, PlanReview, PlanStep, PlanVersion, Progress, RecoveryPlan

SHARE_WITH_PLAN = 0.65
SHARE_REVIEWED = 0.7

MEANINGS = (
    "Waking up and liking the person I see. Being someone my kids can call.",
    "Recovery means I get to choose my day instead of it choosing me.",
    "Peace. Not having to look over my shoulder anymore.",
    "Being honest with myself and the people I love.",
    "Having a life I don't want to escape from.",
    "Taking care of my body and my mind, one day at a time.",
    "Getting back to music and the friends who stuck by me.",
    "Being a good neighbour and showing up when I say I will.",
    "Feeling safe in my own home and in my own skin.",
    "Helping the next person the way somebody helped me.",
)
STRENGTHS = (
    "I don't give up. My sister Ana is in my corner.",
    "Good with my hands. My church family checks on me.",
    "I'm funny and people trust me. I know how to ask for help now.",
    "Stubborn in a good way. My dog gets me out of bed.",
    "I kept my job through hard times. My sponsor answers the phone.",
    "I cook for everybody. My grandmother's faith.",
    "I'm organized when I set my mind to it. The Tuesday group.",
)
GOALS: dict[str, tuple[str, ...]] = {
    LifeDomain.RECOVERY_WELLNESS: (
        "Find a meeting or group that feels like mine",
        "Keep my medication appointments every month",
        "Have a plan for the hard evenings",
    ),
    LifeDomain.HOUSING: (
        "A place of my own where my kids can visit",
        "Move from the shelter into a recovery residence",
        "Keep my apartment and stay on top of the rent",
    ),
    LifeDomain.EMPLOYMENT_EDUCATION: (
        "Finish my GED",
        "Get my forklift certificate",
        "Find steady work with daytime hours",
    ),
    LifeDomain.FAMILY_RELATIONSHIPS: (
        "Rebuild trust with my daughter",
        "Have Sunday dinners with my mom again",
        "Make a couple of friends who don't use",
    ),
    LifeDomain.HEALTH: (
        "See a dentist for the first time in years",
        "Sleep through the night more often",
        "Find a counselor I can talk to",
    ),
    LifeDomain.LEGAL: (
        "Finish my probation without new charges",
        "Get my driver's license back",
        "Clear my old warrant with help from legal aid",
    ),
    LifeDomain.TRANSPORTATION: (
        "Get a monthly bus pass",
        "Fix my car so I can get to work",
    ),
    LifeDomain.FINANCES: (
        "Open a bank account",
        "Pay off my court fines bit by bit",
        "Save a little every payday",
    ),
    LifeDomain.COMMUNITY_PURPOSE: (
        "Volunteer at the food pantry",
        "Go back to playing in a band",
        "Train to become a peer recovery coach",
    ),
}
STEPS = (
    "Make the phone call",
    "Fill in the application",
    "Go to the first appointment",
    "Gather my ID and papers",
    "Talk it over at our next meeting",
    "Visit the place together",
    "Sign up for the class",
)
HELPERS = ("my peer coach", "my sister", "my sponsor", "legal aid", "my case manager", "", "")
CHANGE_NOTES = (
    "Our first plan, written together",
    "Updated after our check-in",
    "A new goal after the court date",
    "Marked the steps that are done",
    "Set one goal aside for now, at their wish",
)


def _supervisors() -> dict[int, User]:
    """One supervisor (or org admin) per organization, for reviews."""
    found: dict[int, User] = {}
    for m in (
        Membership.objects.active()
        .filter(user__is_demo=True, role__in=(Role.SUPERVISOR, Role.ORG_ADMIN))
        .select_related("user")
        .order_by("role", "user__username")
    ):
        found.setdefault(m.organization_id, m.user)
    return found


@transaction.atomic
def build_demo_plans(seed: int) -> int:
    """Give about two in three demo participants a plan; returns how many plans were made."""
    rng = random.Random(f"plans:{seed}")
    people = list(
        Participant.objects.filter(enrolled_by__is_demo=True)
        .select_related("organization", "enrolled_by")
        .order_by("pk")
    )
    reviewers = _supervisors()
    now = timezone.now()
    chosen = [p for p in people if rng.random() < SHARE_WITH_PLAN]
    plans = RecoveryPlan.objects.bulk_create(
        RecoveryPlan(participant=p, organization=p.organization, current_version=0) for p in chosen
    )
    versions: list[PlanVersion] = []
    drafts: list[list[tuple[Any, ...]]] = []
    reviews: list[tuple[int, User, str, datetime]] = []
    for plan, person in zip(plans, chosen, strict=True):
        zone = ZoneInfo(person.organization.time_zone)
        domains = [d for d in person.intake_needs if d in GOALS] or [LifeDomain.RECOVERY_WELLNESS]
        domains = domains[:3]
        meaning, strengths = rng.choice(MEANINGS), rng.choice(STRENGTHS)
        goals = [(d, rng.choice(GOALS[d])) for d in domains]
        keys = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in goals]
        count = rng.choice((1, 1, 2, 2, 3))
        day = person.enrolled_on + timedelta(days=rng.randint(1, 20))
        for number in range(1, count + 1):
            saved_on = min(day, timezone.localdate(now, zone))
            saved_at = min(datetime.combine(saved_on, time(rng.randint(9, 16), 0), zone), now)
            progress = min(number - 1, 2)
            goal_rows = []
            for (domain, text), key in zip(goals, keys, strict=True):
                status = (
                    Progress.SET_ASIDE
                    if rng.random() < 0.05
                    else (Progress.NOT_STARTED, Progress.IN_PROGRESS, Progress.DONE)[
                        min(progress + rng.randint(0, 1), 2)
                    ]
                )
                steps = [
                    (
                        STEPS[(i + rng.randint(0, len(STEPS) - 1)) % len(STEPS)],
                        rng.choice(HELPERS),
                        rng.randint(7, 120),
                        Progress.DONE
                        if status == Progress.DONE
                        else rng.choice(Progress.values[:3]),
                    )
                    for i in range(rng.randint(1, 3))
                ]
                goal_rows.append((domain, text, status, steps, key))
            versions.append(
                PlanVersion(
                    plan=plan,
                    participant=person,
                    number=number,
                    meaning=meaning,
                    strengths=strengths,
                    change_note=CHANGE_NOTES[0] if number == 1 else rng.choice(CHANGE_NOTES[1:]),
                    saved_by=person.enrolled_by,
                    saved_at=saved_at,
                )
            )
            drafts.append(goal_rows)
            reviewer = reviewers.get(person.organization_id)
            last = number == count
            if reviewer is not None and (not last or rng.random() < SHARE_REVIEWED):
                reviews.append(
                    (
                        len(versions) - 1,
                        reviewer,
                        rng.choice(
                            (
                                "",
                                "Strong, person-centred goals.",
                                "Lovely to see their own words here. Talk over a date for the "
                                "housing step.",
                                "Good steps. Check in about transport before the appointment.",
                            )
                        ),
                        min(saved_at + timedelta(days=rng.randint(1, 6)), now),
                    )
                )
            day += timedelta(days=rng.randint(30, 100))
            if day > timezone.localdate(now, zone):
                day = timezone.localdate(now, zone)
        plan.current_version = count
    saved = PlanVersion.objects.bulk_create(versions)
    goal_objects = []
    step_specs = []
    for version, goal_rows in zip(saved, drafts, strict=True):
        for position, (domain, text, status, steps, key) in enumerate(goal_rows):
            goal_objects.append(
                PlanGoal(
                    version=version,
                    key=key,
                    position=position,
                    domain=domain,
                    text=text,
                    status=status,
                )
            )
            step_specs.append((version, steps))
    goal_saved = PlanGoal.objects.bulk_create(goal_objects)
    PlanStep.objects.bulk_create(
        PlanStep(
            goal=goal,
            position=j,
            text=text,
            who_helps=who,
            target_date=version.saved_at.date() + timedelta(days=days),
            status=status,
        )
        for goal, (version, steps) in zip(goal_saved, step_specs, strict=True)
        for j, (text, who, days, status) in enumerate(steps)
    )
    PlanReview.objects.bulk_create(
        PlanReview(version=saved[i], reviewer=reviewer, comment=comment, reviewed_at=at)
        for i, reviewer, comment, at in reviews
    )
    reviewed = {saved[i].pk for i, *_ in reviews}
    latest = {(v.plan_id, v.number): v for v in saved}
    for plan in plans:
        current = latest[(plan.pk, plan.current_version)]
        plan.awaiting_review_since = None if current.pk in reviewed else current.saved_at
    RecoveryPlan.objects.bulk_update(plans, ["current_version", "awaiting_review_since"])
    return len(plans)


@transaction.atomic
def clear_demo_plans() -> None:
    """Remove the plans of demo participants (their versions, goals, steps and reviews go too)."""
    # Versions, goals, steps and reviews refuse deletion through the application; removing the
    # plan cascades to them at the database level (no per-row delete()).
    RecoveryPlan.objects.filter(participant_id__in=demo_participant_pks()).delete()
