"""An organization's admin enters and keeps the meetings it hosts; nobody else may."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError

from rosc.core.models import AuditEvent
from rosc.directory.places import place_from_text
from rosc.meetings import services
from rosc.meetings.models import Attendance, Meeting, MeetingFeed
from rosc.meetings.selectors import MeetingFilters, meeting_search

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Hope on Main",
    "day": ["1", "4"],
    "time": "19:00",
    "end_time": "20:00",
    "timezone": "America/Chicago",
    "types_open": ["O"],
    "types_format": ["D"],
    "location": "Riverside Community Center",
    "address": "125 Main Street",
    "city": "Peoria",
    "state": "IL",
    "postal_code": "61602",
    "conference_url": "",
    "conference_phone": "",
    "group": "",
    "region": "Peoria County",
    "notes": "",
}
ROW = {"name": "Hope on Main", "day": [1], "time": "19:00", "address": "125 Main Street"}


def url(org, meeting=None, tail=""):
    base = f"/orgs/{org.public_id}/meetings/"
    return base + (f"{meeting.public_id}/" if meeting else "") + tail


def test_an_admin_adds_a_meeting_that_the_public_finder_lists(world, as_persona):
    org = world.orgs["rco_a"]
    client = as_persona("rco_a_admin")
    page = client.get(url(org, tail="new/"))
    assert page.status_code == 200
    assert b"Open or closed" in page.content
    response = client.post(url(org, tail="new/"), FORM)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.slug == "hope-on-main-monday-1900"
    assert meeting.organization == org and meeting.feed is None
    assert meeting.days == [1, 4] and meeting.types == ["O", "D"]
    assert meeting.time_zone == "America/Chicago" and meeting.attendance == Attendance.IN_PERSON
    assert AuditEvent.objects.filter(
        action="create", record_type="meetings.meeting", username="rco_a_admin"
    ).exists()
    assert [m.slug for m in meeting_search(MeetingFilters(day=4))] == [meeting.slug]
    assert "Hope on Main" in client.get(url(org)).content.decode()


def test_the_time_zone_defaults_to_the_organizations(world, as_persona):
    org = world.orgs["rco_a"]
    org.time_zone = "America/Denver"
    org.save()
    page = as_persona("rco_a_admin").get(url(org, tail="new/")).content.decode()
    assert '<option value="America/Denver" selected>' in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"day": []}, "day", "Choose at least one day."),
        ({"end_time": "18:00"}, "end_time", "ends before it starts"),
        ({"end_time": "19:00"}, "end_time", "ends when it starts"),
        ({"types_format": ["ZZZ"]}, "types_format", "ZZZ is not a meeting type we know"),
        ({"types_open": ["O", "C"]}, "types_open", "open or closed, not both"),
        ({"conference_url": "ftp://files.example.org/x"}, "conference_url", "https://"),
        ({"conference_url": "javascript:alert(1)"}, "conference_url", "https://"),
        (
            {"address": "", "city": "", "state": "", "postal_code": ""},
            "address",
            "or an online link or phone number",
        ),
        ({"name": ""}, "name", "required"),
        ({"timezone": "Mars/Olympus"}, "timezone", "Choose one of the options"),
    ],
)
def test_a_mistake_is_shown_next_to_its_field_and_nothing_is_saved(
    world, as_persona, change, field, message
):
    org = world.orgs["rco_a"]
    response = as_persona("rco_a_admin").post(url(org, tail="new/"), {**FORM, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not Meeting.objects.exists()


def test_a_meeting_may_run_past_midnight_for_up_to_six_hours(world, actor_of):
    org = world.orgs["rco_a"]
    late = services.meeting_add(
        actor=actor_of("rco_a_admin"),
        organization=org,
        row={**ROW, "time": "23:00", "end_time": "00:30"},
    )
    assert late.end_time == time(0, 30)
    assert services.meeting_duration(time(23), time(0, 30)).total_seconds() == 90 * 60
    with pytest.raises(ValidationError) as caught:
        services.meeting_add(
            actor=None, organization=org, row={**ROW, "time": "20:00", "end_time": "03:00"}
        )
    assert "end_time" in caught.value.message_dict


def test_the_same_meeting_twice_is_refused_but_a_clash_elsewhere_gets_a_suffix(world):
    org, other = world.orgs["rco_a"], world.orgs["rco_b"]
    first = services.meeting_add(actor=None, organization=org, row=ROW)
    with pytest.raises(ValidationError) as caught:
        services.meeting_add(actor=None, organization=org, row={**ROW, "day": [1, 3]})
    assert "edit that meeting instead" in caught.value.message_dict["name"][0]
    feed = MeetingFeed.objects.create(name="Area feed", url="https://aa.example.org/feed.json")
    Meeting.objects.filter(pk=first.pk).update(organization=None, feed=feed)
    again = services.meeting_add(actor=None, organization=org, row=ROW)
    elsewhere = services.meeting_add(actor=None, organization=other, row=ROW)
    assert again.slug == "hope-on-main-monday-1900-2"
    assert elsewhere.slug == "hope-on-main-monday-1900-3"
    unnamed = services.meeting_add(actor=None, organization=org, row={**ROW, "name": "¡¿?!"})
    assert unnamed.slug == "meeting-monday-1900"


def test_an_admin_edits_a_meeting_and_the_slug_stays(world, as_persona):
    org = world.orgs["rco_a"]
    meeting = services.meeting_add(actor=None, organization=org, row=ROW)
    meeting.latitude, meeting.longitude = 40.69, -89.59
    meeting.save()
    client = as_persona("rco_a_admin")
    page = client.get(url(org, meeting, "edit/")).content.decode()
    assert 'value="Hope on Main"' in page
    response = client.post(
        url(org, meeting, "edit/"),
        {**FORM, "name": "Hope at Noon", "time": "12:00", "address": "9 Oak Street",
         "conference_url": "https://meet.example.org/hope"},
    )  # fmt: skip
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.name == "Hope at Noon" and meeting.time == time(12)
    assert meeting.slug == "hope-on-main-monday-1900"
    assert meeting.attendance == Attendance.HYBRID
    # A new address: the old coordinates no longer hold; the ZIP code's centre stands in.
    assert meeting.located_by_postal_code
    assert (round(meeting.latitude), round(meeting.longitude)) == (41, -90)
    event = AuditEvent.objects.get(action="update", record_id=str(meeting.public_id))
    assert "name" in event.detail["changed"]
    bad = client.post(url(org, meeting, "edit/"), {**FORM, "day": []})
    assert bad.status_code == 200
    meeting.refresh_from_db()
    assert meeting.name == "Hope at Noon"


def test_a_paused_meeting_leaves_the_finder_and_feed_until_it_restarts(world, as_persona, client):
    org = world.orgs["rco_a"]
    meeting = services.meeting_add(actor=None, organization=org, row=ROW)
    admin = as_persona("rco_a_admin")
    assert admin.post(url(org, meeting, "active/"), {"active": "no"}).status_code == 302
    meeting.refresh_from_db()
    assert not meeting.active
    assert not list(meeting_search(MeetingFilters()))
    assert client.get("/meetings.json").json() == []
    assert AuditEvent.objects.filter(action="deactivate", username="rco_a_admin").exists()
    assert "Not meeting for now" in admin.get(url(org)).content.decode()
    admin.post(url(org, meeting, "active/"), {"active": "yes"})
    meeting.refresh_from_db()
    assert meeting.active
    assert [m.slug for m in meeting_search(MeetingFilters())] == [meeting.slug]


def test_imported_meetings_are_kept_by_their_feed_not_on_these_pages(world, as_persona):
    org = world.orgs["rco_a"]
    feed = MeetingFeed.objects.create(name="Area feed", url="https://aa.example.org/feed.json")
    services.meetings_import(
        actor=None,
        feed=feed,
        rows=[{**ROW, "name": "From the area feed", "slug": "imported", "day": 2}],
    )
    imported = Meeting.objects.get(slug="imported")
    Meeting.objects.filter(pk=imported.pk).update(organization=org)
    admin = as_persona("rco_a_admin")
    assert "From the area feed" not in admin.get(url(org)).content.decode()
    assert admin.get(url(org, imported, "edit/")).status_code == 404
    assert admin.post(url(org, imported, "active/"), {"active": "no"}).status_code == 404
    with pytest.raises(ValidationError):
        services.meeting_update(actor=None, meeting=imported, row=ROW)


def test_another_organizations_admin_and_a_peer_get_a_404_that_is_audited(world, as_persona):
    org = world.orgs["rco_a"]
    meeting = services.meeting_add(actor=None, organization=org, row=ROW)
    for persona in ("rco_b_admin", "rco_a_peer"):
        client = as_persona(persona)
        assert client.get(url(org)).status_code == 404
        assert client.get(url(org, meeting, "edit/")).status_code == 404
        assert client.post(url(org, meeting, "active/"), {"active": "no"}).status_code == 404
        assert AuditEvent.objects.filter(
            username=persona, outcome="denied", record_id=str(meeting.public_id)
        ).exists()
    meeting.refresh_from_db()
    assert meeting.active


def test_the_home_page_shows_the_meetings_card_to_an_org_admin_only(world, as_persona):
    assert "Support-group meetings you host" in as_persona("rco_a_admin").get("/").content.decode()
    assert (
        "Support-group meetings you host" not in as_persona("rco_a_peer").get("/").content.decode()
    )


def test_an_entered_meeting_is_found_near_its_zip_code_without_publishing_a_false_pin(
    world, client
):
    org = world.orgs["rco_a"]
    row = {**ROW, "city": "Peoria", "state": "IL", "postal_code": "61602"}
    meeting = services.meeting_add(actor=None, organization=org, row=row)
    assert meeting.located_by_postal_code and meeting.latitude is not None
    near = MeetingFilters(place=place_from_text("61603"), radius_miles=5)
    far = MeetingFilters(place=place_from_text("60601"), radius_miles=25)  # Chicago
    assert [m.slug for m in meeting_search(near)] == [meeting.slug]
    assert not list(meeting_search(far))
    # The feed and the page give the address, not the ZIP code's centre as a map point.
    (published,) = client.get("/meetings.json").json()
    assert "latitude" not in published and published["postal_code"] == "61602"
    page = client.get(f"/meetings/{meeting.slug}/").content.decode()
    assert "openstreetmap.org/search?query=" in page and "mlat" not in page
    # Given a precise point, the point stands and is published.
    services.meeting_update(actor=None, meeting=meeting, row={**row, "address": "1 Oak St"})
    Meeting.objects.filter(pk=meeting.pk).update(
        latitude=40.6936, longitude=-89.5890, located_by_postal_code=False
    )
    meeting.refresh_from_db()
    services.meeting_update(
        actor=None, meeting=meeting, row={**row, "address": "1 Oak St", "notes": "Side door"}
    )
    meeting.refresh_from_db()
    assert meeting.latitude == 40.6936 and not meeting.located_by_postal_code
    assert client.get("/meetings.json").json()[0]["latitude"] == 40.6936
    # Online only: no place at all.
    online = services.meeting_add(
        actor=None,
        organization=org,
        row={"name": "Online hope", "day": [2], "time": "08:00", "postal_code": "61602",
             "conference_url": "https://meet.example.org/x"},
    )  # fmt: skip
    assert online.latitude is None and not online.located_by_postal_code
