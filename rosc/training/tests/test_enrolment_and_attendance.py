"""Enrolment by oneself or one's organization admin; attendance by the hosts' staff; hours."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rosc.accounts.services import PermissionDenied
from rosc.training.models import Attendance, CredentialCategory, Enrolment
from rosc.training.services import attendance_record, enrolment_create, split_hours
from rosc.training.tests.factories import course, offer

ETHICS = {"ethics": "4", "recovery-coaching": "2"}


def test_a_staff_member_enrols_themselves_once(world, as_persona):
    session = offer(course(world.orgs["rco_b"]))
    peer = as_persona("rco_a_peer")
    assert peer.post("/training/enrol/", {"session": session.public_id}).status_code == 302
    enrolment = Enrolment.objects.get()
    assert enrolment.user == world.users["rco_a_peer"]
    assert enrolment.organization == world.orgs["rco_a"]
    peer.post("/training/enrol/", {"session": session.public_id})
    assert Enrolment.objects.count() == 1
    page = peer.get(f"/training/sessions/{session.public_id}/").content.decode()
    assert "You are enrolled." in page


def test_a_full_session_refuses_one_more(world, actor_of):
    session = offer(course(world.orgs["rco_a"]), capacity=1)
    enrolment_create(actor=actor_of("rco_a_peer"), session=session)
    with pytest.raises(ValidationError, match="full"):
        enrolment_create(actor=actor_of("rco_b_peer"), session=session)


def test_a_session_that_already_took_place_cannot_be_enrolled_in(world, actor_of):
    session = offer(course(world.orgs["rco_a"]), starts_at=timezone.now() - timedelta(days=2))
    with pytest.raises(ValidationError):
        enrolment_create(actor=actor_of("rco_a_peer"), session=session)


def test_org_admin_enrols_a_colleague_but_not_another_organizations_staff(world, as_persona):
    session = offer(course(world.orgs["provider"]))
    admin = as_persona("rco_a_admin")
    colleague = world.memberships["rco_a_peer"]
    stranger = world.memberships["rco_b_peer"]
    page = admin.get(f"/training/sessions/{session.public_id}/").content.decode()
    assert "Enrol this colleague" in page and "Rco A Peer (Peer recovery specialist)" in page
    admin.post("/training/enrol/", {"session": session.public_id, "person": colleague.public_id})
    admin.post("/training/enrol/", {"session": session.public_id, "person": stranger.public_id})
    assert [e.user for e in Enrolment.objects.all()] == [world.users["rco_a_peer"]]
    # A peer may not enrol a colleague.
    as_persona("rco_a_supervisor").post(
        "/training/enrol/",
        {"session": session.public_id, "person": world.memberships["rco_a_admin"].public_id},
    )
    assert Enrolment.objects.count() == 1


def test_a_person_withdraws_before_attendance_is_recorded(world, as_persona):
    session = offer(course(world.orgs["rco_a"]))
    peer = as_persona("rco_b_peer")
    peer.post("/training/enrol/", {"session": session.public_id})
    enrolment = Enrolment.objects.get()
    as_persona("rco_a_peer").post("/training/withdraw/", {"enrolment": enrolment.public_id})
    enrolment.refresh_from_db()
    assert enrolment.withdrawn_at is None  # not theirs
    peer.post("/training/withdraw/", {"enrolment": enrolment.public_id})
    enrolment.refresh_from_db()
    assert enrolment.withdrawn_at is not None


def started_session_with(world, actor_of, *personas: str, split=ETHICS, hosts=()):
    """A session of a 6-hour course (by rco_a) that began an hour ago, with people enrolled."""
    session = offer(course(world.orgs["rco_a"], split=split), hosts=hosts)
    enrolments = [enrolment_create(actor=actor_of(p), session=session) for p in personas]
    session.starts_at = timezone.now() - timedelta(hours=1)
    session.ends_at = timezone.now() + timedelta(hours=5)
    session.save()
    return session, enrolments


def test_host_staff_record_attendance_and_hours_are_credited_by_category(
    world, actor_of, as_persona
):
    session, (full, part, absent) = started_session_with(
        world,
        actor_of,
        "rco_b_peer",
        "provider_staff",
        "court_partner",
        hosts=(world.orgs["rco_b"],),
    )
    roster = f"/training/sessions/{session.public_id}/roster/"
    host = as_persona("rco_a_supervisor")
    page = host.get(roster)
    assert page.status_code == 200
    response = host.post(
        roster,
        {
            f"{full.public_id}-attendance": "full",
            f"{part.public_id}-attendance": "partial",
            f"{part.public_id}-hours_attended": "3",
            f"{absent.public_id}-attendance": "absent",
        },
    )
    assert response.status_code == 302
    for e in (full, part, absent):
        e.refresh_from_db()
    assert {c.category.slug: c.hours for c in full.credited_hours.all()} == {
        "ethics": Decimal("4"),
        "recovery-coaching": Decimal("2"),
    }
    assert {c.category.slug: c.hours for c in part.credited_hours.all()} == {
        "ethics": Decimal("2"),
        "recovery-coaching": Decimal("1"),
    }
    assert not absent.credited_hours.exists() and absent.verification_code is None
    assert full.verification_code and part.verification_code
    assert full.completed_on == session.local_end.date()


def test_partial_hours_beyond_the_course_are_refused_next_to_the_row_and_nothing_saved(
    world, actor_of, as_persona
):
    session, (first, second) = started_session_with(world, actor_of, "rco_b_peer", "rco_b_admin")
    response = as_persona("rco_a_admin").post(
        f"/training/sessions/{session.public_id}/roster/",
        {
            f"{first.public_id}-attendance": "full",
            f"{second.public_id}-attendance": "partial",
            f"{second.public_id}-hours_attended": "7",
        },
    )
    assert response.status_code == 200
    assert "less than the course" in response.content.decode()
    first.refresh_from_db()
    assert first.attendance == Attendance.UNRECORDED


def test_staff_of_an_organization_that_does_not_host_get_404_on_the_roster(
    world, actor_of, as_persona
):
    session, _ = started_session_with(world, actor_of, "rco_b_peer")
    assert (
        as_persona("rco_b_admin").get(f"/training/sessions/{session.public_id}/roster/").status_code
        == 404
    )


def test_nobody_records_their_own_attendance(world, actor_of):
    _session, (own,) = started_session_with(world, actor_of, "rco_a_peer")
    with pytest.raises(PermissionDenied):
        attendance_record(actor=actor_of("rco_a_peer"), enrolment=own, attendance="full")


def test_attendance_cannot_be_recorded_before_the_session_starts(world, actor_of):
    session = offer(course(world.orgs["rco_a"]))
    enrolment = enrolment_create(actor=actor_of("rco_b_peer"), session=session)
    with pytest.raises(ValidationError):
        attendance_record(actor=actor_of("rco_a_admin"), enrolment=enrolment, attendance="full")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(st.integers(min_value=1, max_value=800), min_size=1, max_size=6),
    fraction=st.integers(min_value=1, max_value=999),
)
def test_hours_split_for_part_attendance_always_add_up_to_the_hours_attended(parts, fraction):
    categories = [CredentialCategory(slug=f"c{i}", name=f"C{i}") for i in range(len(parts))]
    shares = [(c, Decimal(p) / 100) for c, p in zip(categories, parts, strict=True)]
    total = sum((h for _c, h in shares), Decimal("0"))
    earned = (total * fraction / 1000).quantize(Decimal("0.01"))
    if earned <= 0:
        return
    split = split_hours(shares, total, earned)
    assert sum(h for _c, h in split) == earned
    assert all(h > 0 for _c, h in split)


def test_host_staff_add_a_guest_record_attendance_and_print_the_guests_certificate(
    world, actor_of, as_persona
):
    session, _ = started_session_with(world, actor_of, hosts=(world.orgs["rco_b"],))
    roster = f"/training/sessions/{session.public_id}/roster/"
    host = as_persona("rco_b_peer")
    missing = host.post(roster, {"add_guest": "1", "guest-name": "Sam Lee", "guest-email": ""})
    assert missing.status_code == 200
    assert missing.context["guest_form"].errors["email"]
    added = host.post(
        roster, {"add_guest": "1", "guest-name": "Sam Lee", "guest-email": "sam@example.org"}
    )
    assert added.status_code == 302
    guest = Enrolment.objects.get(guest_name="Sam Lee")
    assert guest.user is None
    host.post(roster, {f"{guest.public_id}-attendance": "full"})
    guest.refresh_from_db()
    assert guest.is_completed and guest.hours_earned == Decimal("6")
    certificate = f"/training/certificates/{guest.public_id}/"
    assert as_persona("rco_a_peer").get(certificate).status_code == 200  # a host's staff
    assert as_persona("provider_admin").get(certificate).status_code == 404
    assert as_persona("rco_a_peer").get(roster).status_code == 200
    assert (
        as_persona("court_partner")
        .post(roster, {"add_guest": "1", "guest-name": "X", "guest-email": "x@example.org"})
        .status_code
        == 404
    )
