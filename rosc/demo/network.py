"""The synthetic demo network, as plain data: `plan_network(seed)` says what `rosc demo` builds.

One real state (Illinois, whose statewide ROSC network is the real-world model) with real counties
and their FIPS codes; everything else is invented. Organization names end in "(demo)", every
e-mail and web address is on the reserved domain example.org, and staff names are made by pairing
a fixed list of first names with a fixed list of last names, shuffled by the seed. The same seed
always gives the same names, usernames, memberships and TOTP keys.

Nothing here writes to the database: the command (`rosc/demo/management/commands/demo.py`) applies
the plan, and later apps add their part there, as builders that run after this network exists.
"""

import hashlib
import random
import re
import unicodedata
from dataclasses import dataclass

from django.utils.text import slugify

from rosc.accounts.models import Organization
from rosc.accounts.roles import Role, role_requires_second_factor

DEFAULT_SEED = 2026
# Published on purpose: every demo account signs in with it. Demo accounts only.
DEMO_PASSWORD = "recovery-demo-2026"
DEMO_DOMAIN = "example.org"  # reserved for documentation (RFC 2606): no real mailbox or site
TIME_ZONE = "America/Chicago"
STATE = "IL"

Kind = Organization.Kind

# Real Illinois counties (state FIPS 17). County codes are odd numbers 001..203 in the Census
# order of county names (which puts McDonough, McHenry and McLean before Macon).
COUNTIES: dict[str, str] = {
    "17031": "Cook",
    "17043": "DuPage",
    "17089": "Kane",
    "17097": "Lake",
    "17197": "Will",
    "17201": "Winnebago",
    "17141": "Ogle",
    "17103": "Lee",
    "17195": "Whiteside",
    "17161": "Rock Island",
    "17143": "Peoria",
    "17179": "Tazewell",
    "17203": "Woodford",
    "17113": "McLean",
    "17167": "Sangamon",
    "17129": "Menard",
    "17107": "Logan",
    "17115": "Macon",
    "17019": "Champaign",
    "17119": "Madison",
    "17163": "St. Clair",
    "17133": "Monroe",
    "17077": "Jackson",
    "17199": "Williamson",
    "17055": "Franklin",
    "17181": "Union",
    "17165": "Saline",
}


@dataclass(frozen=True)
class CountySpec:
    fips: str
    name: str
    state: str = STATE


@dataclass(frozen=True)
class OrganizationSpec:
    key: str
    name: str
    kind: str
    # The council region the organization works in ("" for statewide).
    region: str
    description: str

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @property
    def email(self) -> str:
        return f"{self.key.replace('_', '-')}@{DEMO_DOMAIN}"

    @property
    def url(self) -> str:
        return f"https://{DEMO_DOMAIN}/{self.slug}/"


@dataclass(frozen=True)
class CouncilSpec:
    key: str
    name: str
    host: str  # key of an OrganizationSpec of kind council_host
    counties: tuple[str, ...]  # FIPS codes
    description: str


@dataclass(frozen=True)
class MembershipSpec:
    organization: str  # key of an OrganizationSpec
    role: str
    title: str


@dataclass(frozen=True)
class StaffSpec:
    username: str
    first_name: str
    last_name: str
    email: str
    memberships: tuple[MembershipSpec, ...]
    totp_key: str | None  # hex; set when any of the person's roles needs a second factor

    @property
    def needs_second_factor(self) -> bool:
        return self.totp_key is not None


@dataclass(frozen=True)
class DemoPlan:
    seed: int
    counties: tuple[CountySpec, ...]
    organizations: tuple[OrganizationSpec, ...]
    councils: tuple[CouncilSpec, ...]
    staff: tuple[StaffSpec, ...]


# Councils: a region of real counties each, hosted by an invented organization.
COUNCILS: tuple[CouncilSpec, ...] = (
    CouncilSpec(
        "metro",
        "Lakeshore Metro ROSC Council (demo)",
        host="host_metro",
        counties=("17031", "17043", "17089", "17097", "17197"),
        description="Chicago and the collar counties: the network's largest region.",
    ),
    CouncilSpec(
        "rock_river",
        "Rock River Valley ROSC Council (demo)",
        host="host_rock_river",
        counties=("17201", "17141", "17103", "17195", "17161"),
        description="The counties along the Rock River, from Rockford to the Quad Cities.",
    ),
    CouncilSpec(
        "central",
        "Central Prairie ROSC Council (demo)",
        host="host_central",
        counties=("17143", "17179", "17203", "17113"),
        description="Peoria, Bloomington-Normal and the farm towns between them.",
    ),
    CouncilSpec(
        "capital",
        "Capital Plains ROSC Council (demo)",
        host="host_capital",
        counties=("17167", "17129", "17107", "17115", "17019"),
        description="Springfield, Decatur and Champaign-Urbana, with their rural neighbours.",
    ),
    CouncilSpec(
        "metro_east",
        "Metro East ROSC Council (demo)",
        host="host_metro_east",
        counties=("17119", "17163", "17133"),
        description="The Illinois side of the St. Louis area.",
    ),
    CouncilSpec(
        "southern",
        "Shawnee Hills ROSC Council (demo)",
        host="host_southern",
        counties=("17077", "17199", "17055", "17181", "17165"),
        description="Rural southern Illinois, where distance is the first barrier to care.",
    ),
)

# Every organization of the network, in the order the logins table shows them.
ORGANIZATIONS: tuple[OrganizationSpec, ...] = (
    OrganizationSpec(
        "state",
        "Illinois State Office of Recovery Support (demo)",
        Kind.STATE_OFFICE,
        region="",
        description="The state office that funds the councils and sees statewide, de-identified "
        "figures.",
    ),
    OrganizationSpec(
        "host_metro",
        "Lakeshore Metro Recovery Partnership (demo)",
        Kind.COUNCIL_HOST,
        region="metro",
        description="Hosts the Lakeshore Metro ROSC Council.",
    ),
    OrganizationSpec(
        "host_rock_river",
        "Rock River Recovery Collaborative (demo)",
        Kind.COUNCIL_HOST,
        region="rock_river",
        description="Hosts the Rock River Valley ROSC Council.",
    ),
    OrganizationSpec(
        "host_central",
        "Prairie Crossroads Recovery Coalition (demo)",
        Kind.COUNCIL_HOST,
        region="central",
        description="Hosts the Central Prairie ROSC Council.",
    ),
    OrganizationSpec(
        "host_capital",
        "Capital Plains Recovery Alliance (demo)",
        Kind.COUNCIL_HOST,
        region="capital",
        description="Hosts the Capital Plains ROSC Council.",
    ),
    OrganizationSpec(
        "host_metro_east",
        "Confluence Recovery Network (demo)",
        Kind.COUNCIL_HOST,
        region="metro_east",
        description="Hosts the Metro East ROSC Council.",
    ),
    OrganizationSpec(
        "host_southern",
        "Southern Hills Recovery Partnership (demo)",
        Kind.COUNCIL_HOST,
        region="southern",
        description="Hosts the Shawnee Hills ROSC Council.",
    ),
    OrganizationSpec(
        "riverbend",
        "Riverbend Recovery Community (demo)",
        Kind.RCO,
        region="rock_river",
        description="A peer-led recovery community organization: recovery coaching, all-recovery "
        "meetings and an emergency-department peer program.",
    ),
    OrganizationSpec(
        "prairie_path",
        "Prairie Path Recovery Alliance (demo)",
        Kind.RCO,
        region="capital",
        description="A peer-led recovery community organization with a recovery coach training "
        "program and family support groups.",
    ),
    OrganizationSpec(
        "northside",
        "Northside Peer Recovery Collective (demo)",
        Kind.RCO,
        region="metro",
        description="A peer-led recovery community organization working with reentry and "
        "recovery court participants.",
    ),
    OrganizationSpec(
        "second_wind",
        "Second Wind Recovery Community Center (demo)",
        Kind.RECOVERY_CENTER,
        region="central",
        description="A drop-in recovery community center: meetings, a computer lab and "
        "recovery coaching six days a week.",
    ),
    OrganizationSpec(
        "common_table",
        "Common Table Recovery Café (demo)",
        Kind.RECOVERY_CAFE,
        region="metro_east",
        description="A recovery café: a shared meal, recovery circles and a school for "
        "recovery, open to members and neighbours.",
    ),
    OrganizationSpec(
        "maple_house",
        "Maple House Recovery Residence (demo)",
        Kind.RECOVERY_RESIDENCE,
        region="southern",
        description="A certified recovery residence with twelve beds and peer house meetings.",
    ),
    OrganizationSpec(
        "cedar_grove",
        "Cedar Grove Treatment Services (demo)",
        Kind.TREATMENT,
        region="rock_river",
        description="Outpatient and intensive outpatient treatment, and medications for opioid "
        "use disorder.",
    ),
    OrganizationSpec(
        "northgate",
        "Northgate Community Hospital (demo)",
        Kind.HOSPITAL,
        region="rock_river",
        description="A community hospital whose emergency department refers people to peer "
        "recovery support.",
    ),
    OrganizationSpec(
        "open_door",
        "Open Door Harm Reduction Project (demo)",
        Kind.HARM_REDUCTION,
        region="metro",
        description="Naloxone, syringe services, drug-checking strips and outreach, without "
        "judgement.",
    ),
    OrganizationSpec(
        "keystone",
        "Keystone Housing Partners (demo)",
        Kind.HOUSING,
        region="capital",
        description="Rapid rehousing and housing navigation for people in recovery.",
    ),
    OrganizationSpec(
        "next_step",
        "Next Step Employment Services (demo)",
        Kind.EMPLOYMENT,
        region="central",
        description="Job readiness, fair-chance employers and job coaching.",
    ),
    OrganizationSpec(
        "ride_together",
        "Ride Together Recovery Rides (demo)",
        Kind.TRANSPORTATION,
        region="southern",
        description="Rides to treatment, meetings, court dates and job interviews.",
    ),
    OrganizationSpec(
        "fair_chance",
        "Fair Chance Legal Aid Clinic (demo)",
        Kind.LEGAL_AID,
        region="metro_east",
        description="Free civil legal help: record sealing, driver's licences, housing and "
        "benefits.",
    ),
    OrganizationSpec(
        "recovery_court",
        "Tri-County Recovery Court (demo)",
        Kind.COURT,
        region="central",
        description="A drug and recovery court offering diversion with peer recovery support.",
    ),
    OrganizationSpec(
        "jail_reentry",
        "Tri-County Jail Reentry Program (demo)",
        Kind.JAIL,
        region="central",
        description="Plans each person's release with housing, transport and a peer met within "
        "72 hours.",
    ),
    OrganizationSpec(
        "probation",
        "Tri-County Adult Probation (demo)",
        Kind.PROBATION,
        region="central",
        description="Adult probation officers who refer people to recovery support.",
    ),
    OrganizationSpec(
        "good_neighbors",
        "Good Neighbors Faith & Recovery Network (demo)",
        Kind.OTHER,
        region="southern",
        description="Congregations that host recovery meetings and welcome people in recovery.",
    ),
)

# The staff positions, in order. Each position is one person; a person with two memberships
# shows the organization switcher. Names are dealt to positions from the seeded name lists.
R = Role
POSITIONS: tuple[tuple[MembershipSpec, ...], ...] = (
    (MembershipSpec("state", R.NETWORK_ADMIN, "Statewide ROSC network administrator"),),
    (MembershipSpec("state", R.DATA_STEWARD, "Directory data steward"),),
    (MembershipSpec("host_metro", R.COUNCIL_COORDINATOR, "ROSC council coordinator"),),
    (MembershipSpec("host_rock_river", R.COUNCIL_COORDINATOR, "ROSC council coordinator"),),
    (MembershipSpec("host_central", R.COUNCIL_COORDINATOR, "ROSC council coordinator"),),
    (MembershipSpec("host_capital", R.COUNCIL_COORDINATOR, "ROSC council coordinator"),),
    (MembershipSpec("host_metro_east", R.COUNCIL_COORDINATOR, "ROSC council coordinator"),),
    (MembershipSpec("host_southern", R.COUNCIL_COORDINATOR, "ROSC council coordinator"),),
    (MembershipSpec("riverbend", R.ORG_ADMIN, "Executive director"),),
    (MembershipSpec("riverbend", R.SUPERVISOR, "Peer services supervisor"),),
    (MembershipSpec("riverbend", R.PEER_SPECIALIST, "Certified peer recovery specialist"),),
    (
        MembershipSpec("riverbend", R.PEER_SPECIALIST, "Recovery coach"),
        MembershipSpec("northgate", R.PARTNER_STAFF, "Emergency department recovery coach"),
    ),
    (MembershipSpec("prairie_path", R.ORG_ADMIN, "Executive director"),),
    (MembershipSpec("prairie_path", R.SUPERVISOR, "Recovery coach supervisor"),),
    (MembershipSpec("prairie_path", R.PEER_SPECIALIST, "Certified peer recovery specialist"),),
    (MembershipSpec("northside", R.ORG_ADMIN, "Director"),),
    (MembershipSpec("northside", R.SUPERVISOR, "Program supervisor"),),
    (MembershipSpec("northside", R.PEER_SPECIALIST, "Reentry peer specialist"),),
    (MembershipSpec("second_wind", R.ORG_ADMIN, "Center director"),),
    (MembershipSpec("second_wind", R.PEER_SPECIALIST, "Recovery coach"),),
    (MembershipSpec("common_table", R.ORG_ADMIN, "Café manager"),),
    (MembershipSpec("maple_house", R.ORG_ADMIN, "Residence director"),),
    (MembershipSpec("cedar_grove", R.ORG_ADMIN, "Clinical director"),),
    (MembershipSpec("cedar_grove", R.PARTNER_STAFF, "Intake coordinator"),),
    (MembershipSpec("northgate", R.PARTNER_STAFF, "Emergency department social worker"),),
    (MembershipSpec("open_door", R.PARTNER_STAFF, "Outreach worker"),),
    (MembershipSpec("keystone", R.PARTNER_STAFF, "Housing navigator"),),
    (MembershipSpec("next_step", R.PARTNER_STAFF, "Employment specialist"),),
    (MembershipSpec("ride_together", R.PARTNER_STAFF, "Ride scheduler"),),
    (MembershipSpec("fair_chance", R.PARTNER_STAFF, "Staff attorney"),),
    (MembershipSpec("recovery_court", R.ORG_ADMIN, "Court administrator"),),
    (MembershipSpec("recovery_court", R.LEGAL_PARTNER, "Recovery court coordinator"),),
    (MembershipSpec("jail_reentry", R.LEGAL_PARTNER, "Reentry coordinator"),),
    (MembershipSpec("probation", R.LEGAL_PARTNER, "Probation officer"),),
    (MembershipSpec("good_neighbors", R.ORG_ADMIN, "Network coordinator"),),
)
del R

# Invented people: first and last names are paired only after the seed shuffles both lists.
FIRST_NAMES: tuple[str, ...] = (
    "Aaliyah", "Abdul", "Adriana", "Andre", "Beatriz", "Brandon", "Carmen", "Chen",
    "Dana", "Darnell", "Deja", "Eduardo", "Elena", "Farah", "Gabriel", "Grace",
    "Hannah", "Hector", "Imani", "Isaac", "Jamal", "Jasmine", "Jorge", "Kateri",
    "Keisha", "Kevin", "Lena", "Luis", "Malik", "Maria", "Marcus", "Mei",
    "Nadia", "Nathan", "Olivia", "Omar", "Priya", "Quinn", "Rosa", "Samuel",
    "Tanya", "Terrence", "Valeria", "Wei", "Yolanda", "Zoë",
)  # fmt: skip
LAST_NAMES: tuple[str, ...] = (
    "Abernathy", "Alvarez", "Bautista", "Brooks", "Castillo", "Chavez", "Coleman", "Dawson",
    "Delgado", "Ellison", "Fischer", "Flores", "Gallagher", "Greene", "Haddad", "Harper",
    "Ibarra", "Jackson", "Jensen", "Kaminski", "Kowalczyk", "Lindqvist", "Lopez", "Mahoney",
    "Mendoza", "Morales", "Nakamura", "Novak", "Okafor", "O'Neill", "Patel", "Pham",
    "Quintero", "Ramirez", "Robinson", "Sandoval", "Sullivan", "Thompson", "Tran", "Underwood",
    "Vasquez", "Washington", "Whitfield", "Yazzie", "Zielinski", "Ortiz",
)  # fmt: skip


def ascii_handle(text: str) -> str:
    """Lower-case ASCII letters and digits only: 'Zoë' -> 'zoe', "O'Neill" -> 'oneill'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def totp_key(seed: int, username: str) -> str:
    """The demo account's TOTP key: 20 bytes, hex, derived from the seed and the username.

    Anyone who knows the seed can compute it: that is the point of a demo, and the reason demo
    accounts never hold real data.
    """
    return hashlib.sha1(f"{seed}:{username}".encode(), usedforsecurity=False).hexdigest()


def staff_names(seed: int) -> list[tuple[str, str]]:
    """(first, last) for each position, dealt from the name lists shuffled by the seed."""
    rng = random.Random(seed)
    firsts, lasts = list(FIRST_NAMES), list(LAST_NAMES)
    rng.shuffle(firsts)
    rng.shuffle(lasts)
    return list(zip(firsts, lasts, strict=True))[: len(POSITIONS)]


def plan_network(seed: int = DEFAULT_SEED) -> DemoPlan:
    """Everything the demo network is made of, for this seed. Pure: no database."""
    used = dict.fromkeys(fips for council in COUNCILS for fips in council.counties)
    staff = []
    for (first, last), memberships in zip(staff_names(seed), POSITIONS, strict=True):
        username = f"{ascii_handle(first)}.{ascii_handle(last)}"
        needs = any(role_requires_second_factor(m.role) for m in memberships)
        staff.append(
            StaffSpec(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@{DEMO_DOMAIN}",
                memberships=memberships,
                totp_key=totp_key(seed, username) if needs else None,
            )
        )
    return DemoPlan(
        seed=seed,
        counties=tuple(CountySpec(fips, COUNTIES[fips]) for fips in used),
        organizations=ORGANIZATIONS,
        councils=COUNCILS,
        staff=tuple(staff),
    )


def demo_slugs() -> frozenset[str]:
    """The slugs of every organization the demo makes (what `--reset` may remove)."""
    return frozenset(org.slug for org in ORGANIZATIONS)
