"""Courses and sessions: the owning organization adds them; the hours split must add up."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from rosc.core.models import AuditEvent
from rosc.training.models import Course, Session
from rosc.training.tests.factories import course, offer

COURSE = {
    "title": "Ethics for peer recovery specialists",
    "topic": "Ethics",
    "description": "Boundaries, dual relationships and confidentiality in peer work.",
    "contact_hours": "6",
    "hours_ethics": "4",
    "hours_recovery-coaching": "2",
}


def session_post(**changes: str) -> dict[str, str]:
    return {
        "start_date": "2027-03-09",
        "start_time": "09:00",
        "end_date": "",
        "end_time": "15:00",
        "delivery": "in_person",
        "place": "Riverbend community room",
        "capacity": "20",
        "trainers": "Dana Smith",
        "status": "open",
        **changes,
    }


def test_org_admin_adds_a_course_with_its_hours_split_by_category(world, as_persona):
    response = as_persona("rco_a_admin").post("/training/courses/new/", COURSE)
    assert response.status_code == 302
    made = Course.objects.get()
    assert made.organization == world.orgs["rco_a"]
    assert made.contact_hours == Decimal("6")
    assert {c.category.slug: c.hours for c in made.category_hours.all()} == {
        "ethics": Decimal("4"),
        "recovery-coaching": Decimal("2"),
    }
    assert AuditEvent.objects.filter(record_type="training.course", action="create").exists()


def test_category_hours_that_do_not_add_up_are_refused_and_nothing_is_saved(world, as_persona):
    response = as_persona("rco_a_admin").post(
        "/training/courses/new/", {**COURSE, "hours_ethics": "3"}
    )
    assert response.status_code == 200
    assert "add up to 5" in response.content.decode()
    assert not Course.objects.exists()


def test_a_course_needs_more_than_zero_hours(world, as_persona):
    response = as_persona("rco_a_admin").post(
        "/training/courses/new/",
        {**COURSE, "contact_hours": "0", "hours_ethics": "", "hours_recovery-coaching": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["contact_hours"]
    assert not Course.objects.exists()


def test_council_coordinator_runs_courses_but_a_peer_may_not(world, as_persona):
    assert as_persona("council_coordinator").get("/training/courses/").status_code == 200
    assert as_persona("rco_a_peer").get("/training/courses/new/").status_code == 404
    assert as_persona("rco_a_peer").post("/training/courses/new/", COURSE).status_code == 404
    assert not Course.objects.exists()


def test_another_organizations_course_answers_404(world, as_persona):
    theirs = course(world.orgs["rco_b"])
    admin = as_persona("rco_a_admin")
    assert admin.get(f"/training/courses/{theirs.public_id}/edit/").status_code == 404
    assert admin.get(f"/training/courses/{theirs.public_id}/sessions/new/").status_code == 404


def test_a_session_is_co_hosted_and_stored_in_utc_from_the_organizations_time(world, as_persona):
    org = world.orgs["rco_a"]
    org.time_zone = "America/Chicago"
    org.save()
    made = course(org)
    response = as_persona("rco_a_admin").post(
        f"/training/courses/{made.public_id}/sessions/new/",
        session_post(co_hosts=str(world.orgs["provider"].pk)),
    )
    assert response.status_code == 302
    session = Session.objects.get()
    # 2027-03-09 is after the US spring change (2027-03-14 is the change; 9 March is still CST).
    assert session.starts_at == datetime(2027, 3, 9, 15, 0, tzinfo=UTC)
    assert set(session.hosts.all()) == {org, world.orgs["provider"]}
    page = as_persona("rco_a_peer").get(f"/training/sessions/{session.public_id}/")
    assert "9:00 AM" in page.content.decode()


def test_a_session_on_the_day_the_clocks_change_keeps_its_wall_clock_time(world, as_persona):
    org = world.orgs["rco_a"]
    org.time_zone = "America/Chicago"
    org.save()
    made = course(org)
    admin = as_persona("rco_a_admin")
    url = f"/training/courses/{made.public_id}/sessions/new/"
    # 14 March 2027: clocks go from 2:00 to 3:00; 2:30 does not exist that day.
    refused = admin.post(url, session_post(start_date="2027-03-14", start_time="02:30"))
    assert refused.status_code == 200
    assert refused.context["form"].errors["start_time"]
    assert admin.post(url, session_post(start_date="2027-03-14")).status_code == 302
    session = Session.objects.get()
    assert session.starts_at == datetime(2027, 3, 14, 14, 0, tzinfo=UTC)  # 9:00 CDT
    assert session.ends_at == datetime(2027, 3, 14, 20, 0, tzinfo=UTC)  # 15:00 CDT


def test_a_session_must_end_after_it_starts(world, as_persona):
    made = course(world.orgs["rco_a"])
    response = as_persona("rco_a_admin").post(
        f"/training/courses/{made.public_id}/sessions/new/", session_post(end_time="08:00")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_time"]
    assert not Session.objects.exists()


def test_the_public_calendar_lists_upcoming_sessions_but_not_cancelled_ones(world, client):
    made = course(
        world.orgs["rco_a"], title="Trauma-informed care", split={"trauma-informed-care": "3"}
    )
    offer(made, hosts=(world.orgs["rco_b"],))
    cancelled = offer(made)
    cancelled.status = "cancelled"
    cancelled.save()
    page = client.get("/training/").content.decode()
    assert page.count("Trauma-informed care") == 1
    assert "Prairie Path Recovery Alliance" in page


@pytest.mark.parametrize("bad", ["", "not-a-uuid"])
def test_enrolling_without_a_session_is_sent_back_with_a_message(world, as_persona, bad):
    response = as_persona("rco_a_peer").post("/training/enrol/", {"session": bad})
    assert response.status_code == 302
    assert response["Location"] == "/training/"
