"""The shared world of personas every test can use.

Two RCOs, a treatment provider and a court, each with its own staff; a council coordinator, a
network administrator and a data steward. Everyone who may open participant records has a
confirmed TOTP device, as they must in real use.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from rosc.accounts.actor import Actor, actor_for_user
from rosc.accounts.models import Membership, Organization, User
from rosc.accounts.roles import Role, role_requires_second_factor
from rosc.accounts.services import membership_create, organization_create, user_create
from rosc.people.models import Participant
from rosc.people.services import participant_enrol

PASSWORD = "correct horse battery staple 42"


@dataclass
class World:
    orgs: dict[str, Organization] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    memberships: dict[str, Membership] = field(default_factory=dict)
    devices: dict[str, TOTPDevice] = field(default_factory=dict)

    def org_of(self, persona: str) -> Organization:
        return self.memberships[persona].organization


# persona name -> (organization key, role)
PERSONAS: dict[str, tuple[str, str]] = {
    "rco_a_peer": ("rco_a", Role.PEER_SPECIALIST),
    "rco_a_supervisor": ("rco_a", Role.SUPERVISOR),
    "rco_a_admin": ("rco_a", Role.ORG_ADMIN),
    "rco_b_peer": ("rco_b", Role.PEER_SPECIALIST),
    "rco_b_supervisor": ("rco_b", Role.SUPERVISOR),
    "rco_b_admin": ("rco_b", Role.ORG_ADMIN),
    "provider_staff": ("provider", Role.PARTNER_STAFF),
    "provider_admin": ("provider", Role.ORG_ADMIN),
    "court_partner": ("court", Role.LEGAL_PARTNER),
    "court_admin": ("court", Role.ORG_ADMIN),
    "council_coordinator": ("council_host", Role.COUNCIL_COORDINATOR),
    "network_admin": ("state", Role.NETWORK_ADMIN),
    "data_steward": ("state", Role.DATA_STEWARD),
}

ORGS = {
    "rco_a": ("Riverbend Recovery Community", Organization.Kind.RCO),
    "rco_b": ("Prairie Path Recovery Alliance", Organization.Kind.RCO),
    "provider": ("Lakeside Treatment Partners", Organization.Kind.TREATMENT),
    "court": ("Fictional County Recovery Court", Organization.Kind.COURT),
    "council_host": ("Northern Region ROSC Council Host", Organization.Kind.COUNCIL_HOST),
    "state": ("State Office of Recovery Support", Organization.Kind.STATE_OFFICE),
}


def make_world() -> World:
    world = World()
    for key, (name, kind) in ORGS.items():
        world.orgs[key] = organization_create(name=name, kind=kind)
    for persona, (org_key, role) in PERSONAS.items():
        first, _, last = persona.replace("_", " ").title().partition(" ")
        user = user_create(
            username=persona,
            email=f"{persona}@example.org",
            password=None,
            first_name=first,
            last_name=last,
        )
        world.users[persona] = user
        world.memberships[persona] = membership_create(
            user=user, organization=world.orgs[org_key], role=role
        )
        if role_requires_second_factor(role):
            world.devices[persona] = TOTPDevice.objects.create(
                user=user, name="test phone", confirmed=True
            )
    return world


@pytest.fixture
def world(db: None) -> World:
    return make_world()


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client: Client, world: World, persona: str) -> Client:
    """Sign a persona in, past the second factor when their role has one."""
    user = world.users[persona]
    client.force_login(user)
    device = world.devices.get(persona)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def as_persona(world: World, client: Client) -> Callable[[str], Client]:
    """as_persona("rco_a_admin") -> a test client signed in as that persona."""

    def _sign_in(persona: str) -> Client:
        return sign_in(Client(), world, persona)

    return _sign_in


@pytest.fixture
def actor_of(world: World) -> Callable[[str], Actor]:
    """actor_of("rco_a_peer") -> that persona's Actor, for calling services and selectors."""

    def _actor(persona: str) -> Actor:
        return actor_for_user(world.users[persona], world.org_of(persona))

    return _actor


@pytest.fixture
def enrol(actor_of: Callable[[str], Actor]) -> Callable[..., Participant]:
    """enrol("rco_a_peer", "Maria", "Garcia", **fields) -> a participant enrolled by them."""

    def _enrol(persona: str, first: str, last: str, **fields: Any) -> Participant:
        return participant_enrol(
            actor=actor_of(persona), legal_first_name=first, legal_last_name=last, **fields
        )

    return _enrol
