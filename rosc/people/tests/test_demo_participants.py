"""The demo's participants: a few hundred invented people with consents, the same for a seed."""

from collections import Counter

import pytest

from rosc.consent.models import Consent
from rosc.core.models import AuditEvent
from rosc.demo.management.commands.demo import BUILDERS, DemoContext
from rosc.demo.network import DEFAULT_SEED, plan_network
from rosc.people.demo import build_demo_participants, clear_demo_participants
from rosc.people.models import Participant


@pytest.fixture
def demo_network(db: None) -> None:
    """The demo up to its participants (the justice demo, built later, enrols a few people of
    its own at the jail, the court and an RCO)."""
    ctx = DemoContext(plan=plan_network(DEFAULT_SEED))
    for builder in BUILDERS:
        builder.build(ctx)
        if builder.name == "participants":
            break


def test_demo_participants_are_spread_over_the_recovery_organizations_with_consents(
    demo_network,
):
    people = list(Participant.objects.select_related("organization"))

    assert len(people) == 300
    per_org = Counter(p.organization.slug for p in people)
    assert len(per_org) >= 3
    assert all(p.organization.kind in ("rco", "recovery_center") for p in people)
    consents = Consent.objects.select_related("recipient_organization", "disclosing_organization")
    assert 150 <= consents.count() <= 450
    assert all(c.recipient_organization != c.disclosing_organization for c in consents)
    assert all(c.signature_confirmed and c.right_to_revoke_acknowledged for c in consents)
    assert consents.filter(revoked_at__isnull=False).exists()
    assert consents.filter(purpose="justice").exists()
    # Done through the services: each enrolment is in the audit trail.
    assert (
        AuditEvent.objects.filter(record_type="people.participant", action="create").count() == 300
    )


def test_the_same_seed_gives_the_same_people_and_another_seed_other_people(demo_network):
    def names() -> list[tuple[str, str, str]]:
        return list(
            Participant.objects.order_by("id").values_list(
                "legal_first_name", "legal_last_name", "organization__slug"
            )
        )

    # The parts built on the participants (plans, check-ins …) go first, as `--reset` does.
    for builder in reversed(BUILDERS):
        if builder.name == "participants":
            break
        builder.clear()
    clear_demo_participants()
    build_demo_participants(7, count=60)
    first = names()
    clear_demo_participants()
    assert not Participant.objects.exists()
    build_demo_participants(7, count=60)
    assert names() == first
    clear_demo_participants()
    build_demo_participants(8, count=60)
    assert names() != first
