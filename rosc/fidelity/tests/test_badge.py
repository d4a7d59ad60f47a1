"""The public badge: the latest reviewed-and-accepted self-assessment says all ten are met."""

from datetime import UTC, datetime

from rosc.accounts.models import Organization
from rosc.accounts.services import organization_create
from rosc.directory.tests.test_search import CONCORD, listing
from rosc.fidelity import selectors
from rosc.fidelity.models import AssessmentStatus
from rosc.fidelity.tests.factories import submitted_rco_assessment

BADGE = "Meets the 10 national RCO standards"


def accepted(org: Organization, user, *, all_met: bool, at: datetime):
    assessment = submitted_rco_assessment(org, user)
    assessment.status = AssessmentStatus.ACCEPTED
    assessment.all_met = all_met
    assessment.accepted_at = at
    assessment.save()
    return assessment


def test_the_badge_follows_the_latest_accepted_review(world, client):
    org, user = world.orgs["rco_a"], world.users["rco_a_admin"]
    url = f"/find/organizations/{org.public_id}/"
    assert BADGE not in client.get(url).content.decode()
    accepted(org, user, all_met=True, at=datetime(2026, 2, 10, 15, tzinfo=UTC))
    page = client.get(url).content.decode()
    assert f"{BADGE} (reviewed 10 Feb 2026)" in page
    # A newer submission that is not yet reviewed changes nothing.
    submitted_rco_assessment(org, user).answers.filter(standard=4).update(rating="not_met")
    assert BADGE in client.get(url).content.decode()
    # A newer accepted review that does not say all ten takes it away.
    accepted(org, user, all_met=False, at=datetime(2026, 5, 1, 15, tzinfo=UTC))
    assert BADGE not in client.get(url).content.decode()


def test_the_badge_date_is_the_organizations_own_date(world):
    org = world.orgs["rco_b"]
    org.time_zone = "America/Los_Angeles"
    org.save(update_fields=["time_zone"])
    # 03:00 UTC on 1 March is still 28 February in California.
    accepted(org, world.users["rco_b_admin"], all_met=True, at=datetime(2026, 3, 1, 3, tzinfo=UTC))
    badges = selectors.rco_standards_badges([org.public_id])
    assert badges[org.public_id].isoformat() == "2026-02-28"


def test_many_organizations_are_answered_in_one_query(world, django_assert_num_queries):
    orgs = [organization_create(name=f"Recovery Hub {i}", kind="rco") for i in range(6)]
    user = world.users["rco_a_admin"]
    for i, org in enumerate(orgs):
        accepted(org, user, all_met=i % 2 == 0, at=datetime(2026, 1, 1 + i, tzinfo=UTC))
    with django_assert_num_queries(1):
        badges = selectors.rco_standards_badges([o.public_id for o in orgs])
    assert set(badges) == {orgs[0].public_id, orgs[2].public_id, orgs[4].public_id}


def test_search_results_show_the_badge(world, client):
    service = listing("Granite Peer Recovery", at=CONCORD, peer_led=True)
    accepted(
        service.organization,
        world.users["rco_a_admin"],
        all_met=True,
        at=datetime(2026, 4, 2, 15, tzinfo=UTC),
    )
    listing("Merrimack Coaching", at=CONCORD)
    page = client.get("/find/?q=recovery&near=03301").content.decode()
    assert "Granite Peer Recovery" in page
    assert page.count(BADGE) == 1
