"""`rosc demo`: build the synthetic demo network, list its logins, or show a demo account's code.

The network itself is plain data in rosc/demo/network.py; this command applies it. Building runs
the BUILDERS below in order inside one transaction; `--reset` clears them in reverse order first.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from rosc.accounts.models import Membership, Organization, User
from rosc.accounts.roles import Role, role_requires_second_factor
from rosc.accounts.services import membership_create, organization_create, user_create
from rosc.assessments.demo import build_demo_checkins, clear_demo_checkins
from rosc.councils.demo import build_demo_councils, clear_demo_councils
from rosc.councils.models import Council, County
from rosc.councils.services import council_create, county_upsert
from rosc.demo.directory import build_directory, clear_directory
from rosc.demo.network import (
    DEFAULT_SEED,
    DEMO_PASSWORD,
    ORGANIZATIONS,
    TIME_ZONE,
    DemoPlan,
    demo_slugs,
    plan_network,
)
from rosc.encounters.demo import build_demo_encounters, clear_demo_encounters
from rosc.events.demo import build_demo_events, clear_demo_events
from rosc.fhir.demo import build_demo_fhir, clear_demo_fhir
from rosc.fidelity.demo import build_demo_fidelity, clear_demo_fidelity
from rosc.followups.demo import build_demo_followups, clear_demo_followups
from rosc.justice.demo import build_demo_justice, clear_demo_justice
from rosc.meetings.demo import build_demo_meetings, clear_demo_meetings
from rosc.people.demo import build_demo_participants, clear_demo_participants
from rosc.people.models import Participant
from rosc.plans.demo import build_demo_plans, clear_demo_plans
from rosc.referrals.demo import build_demo_referrals, clear_demo_referrals
from rosc.training.demo import build_demo_training, clear_demo_training

ALREADY_PRESENT = "Demo network already present; keeping your data."


@dataclass
class DemoContext:
    """What one build has made so far; each builder reads it and adds to it."""

    plan: DemoPlan
    organizations: dict[str, Organization] = field(default_factory=dict)
    councils: dict[str, Council] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    @property
    def seed(self) -> int:
        return self.plan.seed


@dataclass(frozen=True)
class Builder:
    """One part of the demo: `build` adds it (deterministic from ctx.seed), `clear` removes it."""

    name: str
    build: Callable[[DemoContext], None]
    clear: Callable[[], None]


def build_network(ctx: DemoContext) -> None:
    """Counties, organizations, councils, staff with their memberships and second factors."""
    plan = ctx.plan
    counties = {
        c.fips: county_upsert(fips=c.fips, name=c.name, state=c.state) for c in plan.counties
    }
    for org in plan.organizations:
        ctx.organizations[org.key] = organization_create(
            name=org.name,
            slug=org.slug,
            kind=org.kind,
            email=org.email,
            url=org.url,
            description=org.description,
            time_zone=TIME_ZONE,
        )
    for council in plan.councils:
        ctx.councils[council.key] = council_create(
            name=council.name,
            host=ctx.organizations[council.host],
            counties=[counties[fips] for fips in council.counties],
            time_zone=TIME_ZONE,
            description=council.description,
        )
    # One Argon2 hash for everyone: hashing each account separately is what makes demos slow.
    hashed = make_password(DEMO_PASSWORD)
    for person in plan.staff:
        user = user_create(
            username=person.username,
            email=person.email,
            password=None,
            first_name=person.first_name,
            last_name=person.last_name,
            is_demo=True,
        )
        user.password = hashed
        ctx.users[person.username] = user
        for m in person.memberships:
            membership_create(
                user=user,
                organization=ctx.organizations[m.organization],
                role=m.role,
                title=m.title,
            )
        if person.totp_key is not None:
            TOTPDevice.objects.create(
                user=user, name="Demo authenticator", key=person.totp_key, confirmed=True
            )
    User.objects.bulk_update(ctx.users.values(), ["password"])


def clear_network() -> None:
    slugs = demo_slugs()
    demo_orgs = Organization.objects.filter(slug__in=slugs)
    Membership.objects.filter(Q(organization__in=demo_orgs) | Q(user__is_demo=True)).delete()
    Council.objects.filter(host__in=demo_orgs).delete()
    TOTPDevice.objects.filter(user__is_demo=True).delete()
    User.objects.filter(is_demo=True).delete()
    demo_orgs.delete()
    # Counties stay: they are real places, and county_upsert makes rebuilding idempotent.


def build_participants(ctx: DemoContext) -> None:
    build_demo_participants(ctx.seed)


def build_encounters(ctx: DemoContext) -> None:
    """Up to a year of logged contacts for each demo participant (rosc/encounters/demo.py)."""
    build_demo_encounters(ctx.seed)


def build_followups(ctx: DemoContext) -> None:
    """Discharges, one re-enrolment, and a year of GPRA interviews (rosc/followups/demo.py)."""
    build_demo_followups(ctx.seed)


def build_checkins(ctx: DemoContext) -> None:
    """A BARC-10 history for most demo participants, scores drifting upwards (rosc/assessments)."""
    build_demo_checkins(ctx.seed)


def build_plans(ctx: DemoContext) -> None:
    """Recovery plans in people's own words for most demo participants (rosc/plans/demo.py)."""
    build_demo_plans(ctx.seed)


def build_referrals(ctx: DemoContext) -> None:
    """Referrals between demo organizations in every status, with consents (rosc/referrals)."""
    build_demo_referrals(ctx.seed)


def build_justice(ctx: DemoContext) -> None:
    """Reentry referrals from the jail and a recovery-court diversion with two progress
    reports, all to Northside (rosc/justice/demo.py). Its clear-out also removes the
    disclosures made about demo participants, so the consents can go."""
    build_demo_justice(ctx.seed)


def build_fhir(ctx: DemoContext) -> None:
    """The demo hospital's emergency department refers a few people to RCOs from its own
    system, as FHIR Bundles (rosc/fhir/demo.py)."""
    build_demo_fhir(ctx.seed)


def build_meetings(ctx: DemoContext) -> None:
    """A few dozen support-group meetings in the demo counties (rosc/meetings/demo.py)."""
    build_demo_meetings(ctx.seed)


def build_training(ctx: DemoContext) -> None:
    """Joint courses, co-hosted sessions, enrolments and attendance (rosc/training/demo.py)."""
    build_demo_training(ctx.organizations, ctx.seed)


def build_councils(ctx: DemoContext) -> None:
    """Rosters, monthly schedules with a cancelled and a moved date, and published minutes
    with action items, for the demo councils (rosc/councils/demo.py)."""
    build_demo_councils(ctx.seed)


def build_fidelity(ctx: DemoContext) -> None:
    """Reviewed RCO standards self-assessments (Riverbend meets all ten: its listing shows the
    badge) and two ROSC self-assessments per demo council (rosc/fidelity/demo.py)."""
    build_demo_fidelity(ctx.seed, ctx.organizations)


def build_events(ctx: DemoContext) -> None:
    """Public events with registrations: a Recovery Month rally, a naloxone training, a
    recovery celebration, a full workshop with a waitlist, last week's family night with its
    check-ins (rosc/events/demo.py)."""
    build_demo_events(ctx.organizations, ctx.councils, ctx.seed)


# The demo, part by part, in build order. Later apps add their builder after "network" (for
# example participants, a few hundred of them with a year of history), with a `clear` that
# removes what it made, so that `--reset` can undo the whole demo in reverse order.
BUILDERS: tuple[Builder, ...] = (
    Builder("network", build_network, clear_network),
    Builder("directory", build_directory, clear_directory),
    Builder("participants", build_participants, clear_demo_participants),
    Builder("plans", build_plans, clear_demo_plans),
    Builder("checkins", build_checkins, clear_demo_checkins),
    Builder("followups", build_followups, clear_demo_followups),
    Builder("encounters", build_encounters, clear_demo_encounters),
    Builder("referrals", build_referrals, clear_demo_referrals),
    Builder("justice", build_justice, clear_demo_justice),
    Builder("fhir", build_fhir, clear_demo_fhir),
    Builder("meetings", build_meetings, clear_demo_meetings),
    Builder("training", build_training, clear_demo_training),
    Builder("councils", build_councils, clear_demo_councils),
    Builder("fidelity", build_fidelity, clear_demo_fidelity),
    Builder("events", build_events, clear_demo_events),
)


def foreign_data() -> str | None:
    """Describe the first thing in the database the demo did not make, or None."""
    slugs = demo_slugs()
    org = Organization.objects.exclude(slug__in=slugs).first()
    if org is not None:
        return f"organization '{org.name}'"
    member = (
        Membership.objects.filter(organization__slug__in=slugs, user__is_demo=False)
        .select_related("user")
        .first()
    )
    if member is not None:
        return f"account '{member.user.username}'"
    return None


def totp_code(device: TOTPDevice) -> str:
    code = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return f"{code:0{device.digits}d}"


class Command(BaseCommand):
    help = (
        "Build the synthetic demo network (Illinois councils, invented organizations and staff), "
        "deterministic from --seed; or list its logins, or print a demo account's current code."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Seed for names and keys (default {DEFAULT_SEED}).",
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--if-empty",
            action="store_true",
            help="Build only when there are no organizations yet; otherwise keep the data.",
        )
        mode.add_argument(
            "--reset",
            action="store_true",
            help="Remove the existing demo network first (refused if other data is present).",
        )
        mode.add_argument(
            "--logins", action="store_true", help="Print the demo logins and the shared password."
        )
        mode.add_argument(
            "--totp", metavar="USERNAME", help="Print the current 6-digit code of a demo account."
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["totp"]:
            self.print_totp(opts["totp"])
        elif opts["logins"]:
            self.print_logins()
        elif opts["if_empty"]:
            if Organization.objects.exists():
                self.stdout.write(
                    ALREADY_PRESENT
                    if Organization.objects.filter(slug__in=demo_slugs()).exists()
                    else "Organizations already present; keeping your data (no demo built)."
                )
                return
            self.build(opts["seed"])
        elif opts["reset"]:
            self.build(opts["seed"], reset=True)
        else:
            if Organization.objects.filter(slug__in=demo_slugs()).exists():
                raise CommandError("Demo network already present; use --reset to rebuild")
            if Organization.objects.exists():
                raise CommandError(
                    "This database already holds organizations; the demo builds only into an "
                    "empty one"
                )
            self.build(opts["seed"])

    def build(self, seed: int, *, reset: bool = False) -> None:
        ctx = DemoContext(plan=plan_network(seed))
        try:
            with transaction.atomic():
                if reset:
                    other = foreign_data()
                    if other is not None:
                        raise CommandError(
                            f"Refusing to reset: the database holds data the demo did not make "
                            f"({other}); --reset only removes a demo network"
                        )
                    for builder in reversed(BUILDERS):
                        builder.clear()
                for builder in BUILDERS:
                    builder.build(ctx)
        except (ProtectedError, RestrictedError) as exc:
            raise CommandError(
                f"Refusing to reset: other records still use demo data ({exc.args[0]})"
            ) from exc
        except ValidationError as exc:
            raise CommandError(
                f"Could not build the demo network: {'; '.join(exc.messages)}"
            ) from exc
        councils = Council.objects.filter(host__slug__in=demo_slugs())
        self.stdout.write(
            f"Built the demo network (seed {seed}): "
            f"{councils.count()} councils, "
            f"{County.objects.filter(councils__in=councils).distinct().count()} counties, "
            f"{len(ctx.organizations)} organizations, {len(ctx.users)} staff accounts, "
            f"{Participant.objects.filter(enrolled_by__is_demo=True).count()} participants."
        )

    def print_logins(self) -> None:
        memberships = list(
            Membership.objects.filter(user__is_demo=True).select_related("user", "organization")
        )
        if not memberships:
            self.stdout.write("No demo accounts in this database (rosc demo builds them).")
            return
        order = {org.slug: i for i, org in enumerate(ORGANIZATIONS)}
        roles = {role: i for i, role in enumerate(Role.values)}
        memberships.sort(
            key=lambda m: (
                order.get(m.organization.slug, len(order)),
                m.organization.name,
                roles.get(m.role, len(roles)),
                m.user.username,
            )
        )
        width = max(len(m.user.username) for m in memberships) + 2
        role_width = max(len(m.get_role_display()) for m in memberships) + 2
        lines = [
            f"Demo logins. Every demo account's password: {DEMO_PASSWORD}",
            "",
            f"  {'USERNAME':<{width}}{'ROLE':<{role_width}}SECOND FACTOR",
        ]
        current = None
        for m in memberships:
            if m.organization_id != current:
                current = m.organization_id
                lines += ["", m.organization.name]
            factor = "yes" if role_requires_second_factor(m.role) else "no"
            lines.append(
                f"  {m.user.username:<{width}}{m.get_role_display():<{role_width}}{factor}"
            )
        lines += [
            "",
            "Accounts listed under two organizations switch between them after signing in.",
            "In demo mode (make run) demo accounts skip the second factor. Elsewhere,",
            "`rosc demo --totp USERNAME` prints the current 6-digit code for a demo account.",
        ]
        self.stdout.write("\n".join(lines))

    def print_totp(self, username: str) -> None:
        user = User.objects.filter(username__iexact=username, is_demo=True).first()
        if user is None:
            raise CommandError(f"'{username}' is not a demo account")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise CommandError(f"'{user.username}' has no second factor (their roles need none)")
        self.stdout.write(totp_code(device))
