"""The coordinator's pages, the access rules around them, and what the public sees."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from rosc.core.models import AuditEvent
from rosc.councils.models import (
    ActionItem,
    CouncilMember,
    MeetingSeries,
    MinutesStatus,
    Occurrence,
    Sector,
)
from rosc.councils.recurrence import rule_dates
from rosc.councils.services import (
    action_item_add,
    council_member_add,
    meeting_series_create,
    minutes_move,
    minutes_save,
    occurrence_open,
)


def manage_url(council, rest=""):
    return f"/councils/{council.public_id}/manage/{rest}"


SCHEDULE = {
    "title": "Council meeting",
    "frequency": "monthly",
    "week": "2",
    "weekday": "TU",
    "start_date": "2026-01-01",
    "start_time": "10:00",
    "end_time": "11:30",
    "address": "100 Main St, Rockford, IL",
}


@pytest.fixture
def monthly(council, actor_of):
    today = timezone.localdate()
    return meeting_series_create(
        actor=actor_of("council_coordinator"),
        council=council,
        title="Council meeting",
        rrule="FREQ=MONTHLY;BYDAY=2TU",
        start_date=today - timedelta(days=120),
        start_time=time(10),
        end_time=time(11, 30),
        address="100 Main St, Rockford, IL",
    )


def test_coordinator_adds_a_member_to_the_roster_and_it_is_audited(as_persona, council):
    client = as_persona("council_coordinator")
    response = client.post(
        manage_url(council, "members/new/"),
        {
            "name": "Dana Brooks",
            "email": "dana@example.org",
            "sector": Sector.PEOPLE_IN_RECOVERY,
            "council_role": "chair",
            "active_from": "2026-01-01",
        },
    )
    assert response.status_code == 302
    member = CouncilMember.objects.get(council=council)
    assert member.name == "Dana Brooks" and member.council_role == "chair"
    assert AuditEvent.objects.filter(
        action="create", record_id=str(member.public_id), username="council_coordinator"
    ).exists()
    page = client.get(manage_url(council))
    assert b"Dana Brooks" in page.content and b"People in recovery" in page.content


def test_membership_that_ends_before_it_starts_is_refused_next_to_the_field(as_persona, council):
    response = as_persona("council_coordinator").post(
        manage_url(council, "members/new/"),
        {
            "name": "Lee",
            "sector": Sector.FAITH,
            "council_role": "member",
            "active_from": "2026-05-01",
            "active_to": "2026-04-01",
        },
    )
    assert response.status_code == 200
    assert "active_to" in response.context["form"].errors
    assert not CouncilMember.objects.exists()


def test_coordinator_sets_a_monthly_schedule_in_plain_words(as_persona, council):
    response = as_persona("council_coordinator").post(
        manage_url(council, "schedule/new/"), SCHEDULE
    )
    assert response.status_code == 302
    series = MeetingSeries.objects.get(council=council)
    assert series.rrule == "FREQ=MONTHLY;BYDAY=2TU"
    assert series.first_date == date(2026, 1, 13)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_time": "09:00"}, "end_time"),
        ({"until": "2025-12-01"}, "until"),
        ({"until": "2026-01-10"}, "rrule"),  # no second Tuesday between Jan 1 and Jan 10
        ({"frequency": "custom", "rrule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}, "rrule"),
        ({"frequency": "custom", "rrule": "every tuesday"}, "rrule"),
        ({"until": "2026-06-01", "count": "5"}, "count"),
        ({"address": ""}, "address"),
    ],
)
def test_a_schedule_that_cannot_work_is_a_form_error_and_nothing_is_saved(
    as_persona, council, change, field
):
    response = as_persona("council_coordinator").post(
        manage_url(council, "schedule/new/"), {**SCHEDULE, **change}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not MeetingSeries.objects.exists()


def test_coordinator_cancels_a_date_and_the_public_page_shows_it(
    as_persona, client, council, monthly
):
    coordinator = as_persona("council_coordinator")
    page = coordinator.get(manage_url(council))
    first = page.context["upcoming"][0]
    response = coordinator.post(
        manage_url(council, f"schedule/{monthly.public_id}/dates/"),
        {"date": first.recurrence_date.isoformat(), "action": "cancel"},
    )
    assert response.status_code == 302
    occurrence = Occurrence.objects.get(series=monthly)
    assert occurrence.cancelled
    monthly.refresh_from_db()
    assert monthly.sequence == 1
    public = client.get(f"/councils/{council.slug}/")
    assert public.status_code == 200
    assert public.context["upcoming"][0].cancelled
    assert b"Cancelled" in public.content


def test_someone_else_gets_404_and_a_denied_audit_event(as_persona, council, monthly):
    for persona in ("rco_a_admin", "provider_staff"):
        client = as_persona(persona)
        assert client.get(manage_url(council)).status_code == 404
        assert client.get(manage_url(council, "members/new/")).status_code == 404
        assert AuditEvent.objects.filter(
            username=persona, outcome="denied", record_id=str(council.public_id)
        ).exists()


def test_network_admin_reads_every_council_but_changes_nothing(
    as_persona, council, other_council, actor_of
):
    coordinator = actor_of("council_coordinator")
    council_member_add(
        actor=coordinator,
        council=council,
        name="Sam Ortiz",
        sector=Sector.JUSTICE,
        council_role="member",
        active_from=date(2026, 1, 1),
    )
    admin = as_persona("network_admin")
    page = admin.get(manage_url(council))
    assert page.status_code == 200 and b"Sam Ortiz" in page.content
    assert b"Add someone to the roster" not in page.content
    assert admin.get(manage_url(other_council)).status_code == 200
    response = admin.post(
        manage_url(council, "members/new/"),
        {"name": "X", "sector": "faith", "council_role": "member", "active_from": "2026-01-01"},
    )
    assert response.status_code == 404
    assert CouncilMember.objects.count() == 1


def test_coordinator_of_one_council_cannot_open_another(as_persona, other_council):
    assert as_persona("council_coordinator").get(manage_url(other_council)).status_code == 404


def test_minutes_go_from_draft_to_approved_to_published_and_only_then_are_public(
    as_persona, client, council, monthly
):
    coordinator = as_persona("council_coordinator")
    day = monthly.first_date
    coordinator.post(
        manage_url(council, f"schedule/{monthly.public_id}/dates/"),
        {"date": day.isoformat(), "action": "open"},
    )
    occurrence = Occurrence.objects.get(series=monthly)
    url = manage_url(council, f"meetings/{occurrence.public_id}/")
    coordinator.post(url, {"action": "minutes", "minutes": "We planned Recovery Month."})
    assert b"Recovery Month" not in client.get(f"/councils/{council.slug}/").content

    coordinator.post(url, {"action": "minutes_status", "status": "published"})  # not yet legal
    occurrence.refresh_from_db()
    assert occurrence.minutes_status == MinutesStatus.DRAFTED

    coordinator.post(url, {"action": "minutes_status", "status": "approved"})
    assert b"Recovery Month" not in client.get(f"/councils/{council.slug}/").content
    coordinator.post(url, {"action": "minutes_status", "status": "published"})
    occurrence.refresh_from_db()
    assert occurrence.minutes_status == MinutesStatus.PUBLISHED
    assert b"Recovery Month" in client.get(f"/councils/{council.slug}/").content


def dana_takes_on_an_action_item(as_persona, coordinator_actor, council, monthly, *, sector, role):
    """Dana Brooks joins the roster; at the series' first meeting the coordinator gives her
    "Invite the housing authority", due December 1, 2026. (member, meeting, meeting's URL)."""
    member = council_member_add(
        actor=coordinator_actor,
        council=council,
        name="Dana Brooks",
        sector=sector,
        council_role=role,
        active_from=date(2026, 1, 1),
    )
    meeting = occurrence_open(
        actor=coordinator_actor, series=monthly, recurrence_date=monthly.first_date
    )
    url = manage_url(council, f"meetings/{meeting.public_id}/")
    as_persona("council_coordinator").post(
        url,
        {
            "action": "action_add",
            "text": "Invite the housing authority",
            "owner": str(member.public_id),
            "due_on": "2026-12-01",
        },
    )
    return member, meeting, url


def test_attendance_action_items_and_open_items_carried_to_the_next_meeting(
    as_persona, council, monthly, actor_of
):
    coordinator_actor = actor_of("council_coordinator")
    member, first, url = dana_takes_on_an_action_item(
        as_persona, coordinator_actor, council, monthly, sector=Sector.FAMILY, role="co_chair"
    )
    coordinator = as_persona("council_coordinator")
    coordinator.post(
        url, {"action": "attendance", "members": [str(member.public_id)], "guests": "A visitor"}
    )
    assert list(first.attendees.all()) == [member]
    item = ActionItem.objects.get()
    assert item.owner == member and item.due_on == date(2026, 12, 1)

    # The next date of the rule after the first meeting.
    second_date = rule_dates(
        monthly, monthly.first_date + timedelta(days=1), monthly.first_date + timedelta(days=70)
    )[0]
    second = occurrence_open(actor=coordinator_actor, series=monthly, recurrence_date=second_date)
    page = coordinator.get(manage_url(council, f"meetings/{second.public_id}/"))
    assert [a.text for a in page.context["carried"]] == ["Invite the housing authority"]

    coordinator.post(
        manage_url(council, f"meetings/{second.public_id}/"),
        {"action": "action_done", "item": str(item.public_id)},
    )
    page = coordinator.get(manage_url(council, f"meetings/{second.public_id}/"))
    assert page.context["carried"] == []


def test_published_minutes_list_action_items_without_who_took_them_on(
    as_persona, client, council, monthly, actor_of
):
    # The roster is not public (a member may sit as a person in recovery): the public page
    # shows what was agreed and by when, and only the council's own page says who.
    _, _, url = dana_takes_on_an_action_item(
        as_persona,
        actor_of("council_coordinator"),
        council,
        monthly,
        sector=Sector.PEOPLE_IN_RECOVERY,
        role="member",
    )
    coordinator = as_persona("council_coordinator")
    coordinator.post(url, {"action": "minutes", "minutes": "We planned Recovery Month."})
    coordinator.post(url, {"action": "minutes_status", "status": "approved"})
    coordinator.post(url, {"action": "minutes_status", "status": "published"})

    public = client.get(f"/councils/{council.slug}/").content.decode()
    assert "Invite the housing authority, by December 1, 2026" in public
    assert "Dana Brooks" not in public
    assert "Dana Brooks" in coordinator.get(url).content.decode()


def test_coordinator_moves_one_meeting_and_the_feed_and_page_follow(
    as_persona, client, council, monthly
):
    coordinator = as_persona("council_coordinator")
    upcoming = coordinator.get(manage_url(council)).context["upcoming"]
    target = upcoming[1]
    coordinator.post(
        manage_url(council, f"schedule/{monthly.public_id}/dates/"),
        {"date": target.recurrence_date.isoformat(), "action": "open"},
    )
    occurrence = Occurrence.objects.get(series=monthly)
    new_day = target.recurrence_date + timedelta(days=2)
    response = coordinator.post(
        manage_url(council, f"meetings/{occurrence.public_id}/"),
        {
            "action": "move",
            "date": new_day.isoformat(),
            "start_time": "14:00",
            "end_time": "15:00",
            "address": "Library, Room B",
        },
    )
    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.is_moved and occurrence.sequence == 1
    public = client.get(f"/councils/{council.slug}/").context["upcoming"]
    moved = next(m for m in public if m.moved)
    assert moved.start.date() == new_day and moved.start.hour == 14
    assert b"RECURRENCE-ID" in client.get(f"/councils/{council.slug}/calendar.ics").content


def test_moving_a_meeting_to_end_before_it_starts_is_a_form_error(
    as_persona, council, monthly, actor_of
):
    occurrence = occurrence_open(
        actor=actor_of("council_coordinator"), series=monthly, recurrence_date=monthly.first_date
    )
    response = as_persona("council_coordinator").post(
        manage_url(council, f"meetings/{occurrence.public_id}/"),
        {"action": "move", "date": "2026-05-01", "start_time": "14:00", "end_time": "13:00"},
    )
    assert response.status_code == 200
    assert "end_time" in response.context["forms"]["move"].errors
    occurrence.refresh_from_db()
    assert not occurrence.is_moved


def test_the_network_page_lists_councils_with_counties_positions_and_next_meeting(
    client, council, monthly
):
    response = client.get("/network/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Northern Region ROSC Council" in body and "Winnebago" in body
    assert 'data-lat="42.' in body  # Winnebago County, from its ZIP centroids
    assert "Next meeting:" in body and "not scheduled yet" not in body


def test_published_minutes_show_their_action_items_publicly(client, council, monthly, actor_of):
    actor = actor_of("council_coordinator")
    occurrence = occurrence_open(actor=actor, series=monthly, recurrence_date=monthly.first_date)
    minutes_save(actor=actor, occurrence=occurrence, minutes="Welcome and introductions.")
    action_item_add(actor=actor, occurrence=occurrence, text="Map recovery housing")
    minutes_move(actor=actor, occurrence=occurrence, status="approved")
    minutes_move(actor=actor, occurrence=occurrence, status="published")
    body = client.get(f"/councils/{council.slug}/").content.decode()
    assert "Welcome and introductions." in body and "Map recovery housing" in body


def test_times_show_in_the_councils_time_zone_not_the_sites(client, world, actor_of):
    from rosc.councils.services import council_create

    council = council_create(
        name="Seacoast ROSC Council",
        host=world.orgs["council_host"],
        counties=[],
        time_zone="America/New_York",
    )
    meeting_series_create(
        actor=actor_of("council_coordinator"),
        council=council,
        title="Council meeting",
        rrule="FREQ=WEEKLY;BYDAY=WE",
        start_date=timezone.localdate(),
        start_time=time(10),
        end_time=time(11),
        online_url="https://meet.example.org/seacoast",
    )
    body = client.get(f"/councils/{council.slug}/").content.decode()
    assert "10:00 AM\u201311:00 AM E" in body  # EST or EDT, never 9:00 Chicago time
    assert "9:00 AM" not in body
