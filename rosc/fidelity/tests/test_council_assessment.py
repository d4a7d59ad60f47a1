"""Council self-assessments against the 17 ROSC elements, over time and across the network."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from rosc.accounts.services import PermissionDenied
from rosc.councils.models import Council
from rosc.councils.services import council_create
from rosc.fidelity import selectors, services
from rosc.fidelity.models import CouncilAssessment
from rosc.fidelity.services import ScoreData
from rosc.fidelity.standards import ROSC_ELEMENTS


@pytest.fixture
def council(world) -> Council:
    return council_create(
        name="Northern Region ROSC Council",
        host=world.orgs["council_host"],
        counties=[],
        time_zone="America/Chicago",
    )


def scores(value: int = 2, **overrides: int) -> list[ScoreData]:
    return [ScoreData(element=n, score=overrides.get(str(n), value)) for n, _t in ROSC_ELEMENTS]


def form_data(council: Council, on: str, value: int = 2, **overrides: str) -> dict[str, str]:
    data = {"council": council.slug, "assessed_on": on, "notes": ""}
    for n, _title in ROSC_ELEMENTS:
        data[f"score_{n}"] = str(overrides.get(str(n), value))
        data[f"notes_{n}"] = ""
    return data


def test_the_seventeen_elements_use_the_sources_wording():
    assert len(ROSC_ELEMENTS) == 17
    assert ROSC_ELEMENTS[10][1] == (
        "Inclusion of the Voices and Experiences of Recovering Individuals and their Families"
    )
    assert ROSC_ELEMENTS[16] == (17, "Adequately and Flexibly Financed")


def test_the_coordinator_scores_each_element_and_the_total_is_kept(world, actor_of, council):
    assessment = services.council_assessment_record(
        actor=actor_of("council_coordinator"),
        council=council,
        assessed_on=date(2026, 1, 10),
        scores=scores(2, **{"1": 4, "17": 0}),
    )
    assert assessment.total == 2 * 15 + 4 + 0
    assert assessment.scores.count() == 17


def test_only_the_host_organizations_coordinator_records(world, actor_of, council):
    for persona in ("rco_a_admin", "network_admin"):
        with pytest.raises(PermissionDenied):
            services.council_assessment_record(
                actor=actor_of(persona),
                council=council,
                assessed_on=date(2026, 1, 10),
                scores=scores(),
            )


def test_a_missing_score_or_a_future_date_is_refused_and_nothing_is_saved(world, actor_of, council):
    actor = actor_of("council_coordinator")
    with pytest.raises(ValidationError) as caught:
        services.council_assessment_record(
            actor=actor,
            council=council,
            assessed_on=services.council_today(council) + timedelta(days=1),
            scores=scores()[:-1],
        )
    assert set(caught.value.error_dict) == {"assessed_on", "score_17"}
    assert not CouncilAssessment.objects.exists()


def test_the_council_page_charts_the_totals_over_time_with_a_data_table(world, as_persona, council):
    org = world.orgs["council_host"].public_id
    client = as_persona("council_coordinator")
    form = client.get(f"/orgs/{org}/rosc-self-assessment/new/")
    assert b"Systems anchored in the community" in form.content
    response = client.post(
        f"/orgs/{org}/rosc-self-assessment/new/", form_data(council, "2025-06-01", 1)
    )
    assert response.status_code == 302
    response = client.post(
        f"/orgs/{org}/rosc-self-assessment/new/", form_data(council, "2026-01-15", 3)
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "total 51 of 68" in detail
    assert "(previous, 1 Jun 2025: 17)" in detail
    page = client.get(f"/orgs/{org}/rosc-self-assessment/").content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "<table" in page and "15 Jan 2026" in page and "1 Jun 2025" in page


def test_a_missing_score_is_shown_next_to_its_field(world, as_persona, council):
    org = world.orgs["council_host"].public_id
    data = form_data(council, "2026-01-15")
    del data["score_12"]
    response = as_persona("council_coordinator").post(
        f"/orgs/{org}/rosc-self-assessment/new/", data
    )
    assert response.status_code == 200
    assert b'id="id_score_12_error"' in response.content
    assert not CouncilAssessment.objects.exists()


def test_network_admin_sees_each_councils_latest_and_element_averages(world, actor_of, as_persona):
    coordinator = actor_of("council_coordinator")
    host = world.orgs["council_host"]
    north = council_create(name="North ROSC Council", host=host, counties=[], time_zone="UTC")
    south = council_create(name="South ROSC Council", host=host, counties=[], time_zone="UTC")
    council_create(name="West ROSC Council", host=host, counties=[], time_zone="UTC")
    services.council_assessment_record(
        actor=coordinator, council=north, assessed_on=date(2025, 1, 1), scores=scores(0)
    )
    services.council_assessment_record(
        actor=coordinator, council=north, assessed_on=date(2026, 1, 1), scores=scores(4)
    )
    services.council_assessment_record(
        actor=coordinator, council=south, assessed_on=date(2026, 1, 1), scores=scores(1, **{"1": 3})
    )
    overview = selectors.network_council_overview(actor=actor_of("network_admin"))
    assert overview.assessed == 2
    averages = {n: avg for n, _t, avg in overview.averages}
    assert averages[1] == 3.5  # (4 + 3) / 2, the older North assessment left out
    assert averages[2] == 2.5
    latest = {c.name: a.total if a else None for c, a in overview.latest}
    assert latest == {"North ROSC Council": 68, "South ROSC Council": 19, "West ROSC Council": None}
    page = as_persona("network_admin").get("/fidelity/councils/")
    assert page.status_code == 200
    assert b"Not assessed yet" in page.content
    assert as_persona("council_coordinator").get("/fidelity/councils/").status_code == 404


def test_another_organizations_council_assessment_answers_404(world, actor_of, as_persona, council):
    assessment = services.council_assessment_record(
        actor=actor_of("council_coordinator"),
        council=council,
        assessed_on=date(2026, 1, 10),
        scores=scores(),
    )
    org = world.orgs["council_host"].public_id
    assert (
        as_persona("rco_a_admin")
        .get(f"/orgs/{org}/rosc-self-assessment/{assessment.public_id}/")
        .status_code
        == 404
    )
