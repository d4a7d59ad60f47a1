"""The public meeting finder and a meeting's page: filters, time zones, DST, bad input."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from rosc.directory.places import place_from_text
from rosc.meetings import services
from rosc.meetings.models import Meeting
from rosc.meetings.selectors import MeetingFilters, meeting_search, next_start

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")
PEORIA = (40.69365, -89.58899)  # ZIP 61602
SPRINGFIELD = (39.80172, -89.64371)  # ZIP 62701, about 63 miles south


def meeting(slug: str, **row) -> Meeting:
    data = {"name": slug.replace("-", " ").title(), "slug": slug, "day": 1, "time": "19:00"}
    data.update(row)
    return services.meeting_create(actor=None, row=data)


def slugs(filters: MeetingFilters, **kwargs) -> list[str]:
    return [m.slug for m in meeting_search(filters, **kwargs)]


def test_filters_by_day_time_of_day_type_attendance_and_text():
    meeting(
        "monday-morning",
        day=1,
        time="07:00",
        types=["O"],
        city="Peoria",
        address="1 Main St",
        latitude=PEORIA[0],
        longitude=PEORIA[1],
    )
    meeting(
        "monday-night",
        day=[1, 3],
        time="22:00",
        types=["C", "W"],
        location="Hope Hall",
        address="2 Main St",
        conference_url="https://meet.example.org/1",
    )
    meeting(
        "wednesday-online",
        day=3,
        time="12:30",
        types=["O", "SP"],
        conference_phone="+1-312-555-0100",
        formatted_address="Chicago, IL, USA",
        approximate="yes",
    )
    meeting("closed-for-now", day=1, time="07:30", types=["TC"], address="3 Main St")
    assert slugs(MeetingFilters(day=1)) == ["monday-morning", "monday-night"]
    assert slugs(MeetingFilters(day=3)) == ["wednesday-online", "monday-night"]
    assert slugs(MeetingFilters(time_of_day="night")) == ["monday-night"]
    assert slugs(MeetingFilters(time_of_day="afternoon")) == ["wednesday-online"]
    assert slugs(MeetingFilters(type_code="O")) == ["monday-morning", "wednesday-online"]
    assert slugs(MeetingFilters(attendance="in_person")) == ["monday-morning", "monday-night"]
    assert slugs(MeetingFilters(attendance="online")) == ["monday-night", "wednesday-online"]
    assert slugs(MeetingFilters(attendance="hybrid")) == ["monday-night"]
    assert slugs(MeetingFilters(text="hope")) == ["monday-night"]
    assert slugs(MeetingFilters(text="peoria")) == ["monday-morning"]


def test_near_a_zip_code_lists_the_nearest_first_within_the_radius():
    meeting("springfield", latitude=SPRINGFIELD[0], longitude=SPRINGFIELD[1], address="x")
    meeting("peoria", latitude=PEORIA[0], longitude=PEORIA[1], address="y")
    meeting("no-coordinates", address="z")
    place = place_from_text("61602")
    assert slugs(MeetingFilters(place=place, radius_miles=10)) == ["peoria"]
    found = list(meeting_search(MeetingFilters(place=place, radius_miles=100)))
    assert [m.slug for m in found] == ["peoria", "springfield"]
    assert found[1].distance == pytest.approx(62.5, abs=3)


def test_starting_soon_is_computed_in_each_meetings_own_time_zone():
    meeting("chicago-730", day=1, time="19:30", timezone="America/Chicago", address="a")
    meeting("new-york-730", day=1, time="19:30", timezone="America/New_York", address="b")
    meeting("chicago-830", day=1, time="20:30", timezone="America/Chicago", address="c")
    # Monday 12 January 2026, 7:00 pm in Chicago = 8:00 pm in New York.
    now = datetime(2026, 1, 12, 19, 0, tzinfo=CHICAGO)
    assert slugs(MeetingFilters(starting_soon=True), now=now) == ["chicago-730"]


def test_starting_soon_wraps_past_midnight_into_the_next_day():
    meeting("saturday-late", day=6, time="23:45", address="a")
    meeting("sunday-early", day=0, time="00:15", address="b")
    meeting("saturday-early", day=6, time="00:15", address="c")
    now = datetime(2026, 1, 17, 23, 30, tzinfo=CHICAGO)  # a Saturday
    assert slugs(MeetingFilters(starting_soon=True), now=now) == ["sunday-early", "saturday-late"]


def test_starting_soon_counts_a_real_hour_when_the_clocks_spring_forward():
    meeting("sunday-0315", day=0, time="03:15", address="a")
    meeting("sunday-0345", day=0, time="03:45", address="b")
    # Sunday 8 March 2026, 1:30 am CST; at 2:00 the clocks jump to 3:00 CDT, so an hour from
    # now is 3:30 am.
    now = datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert slugs(MeetingFilters(starting_soon=True), now=now) == ["sunday-0315"]


def test_the_next_meeting_keeps_its_local_time_across_a_dst_change():
    weekly = meeting("saturday-night", day=0, time="19:00", address="a")
    before = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # Monday before the change
    start = next_start(weekly, before)
    assert start is not None
    assert (start.date().isoformat(), start.hour, start.tzname()) == ("2026-03-08", 19, "CDT")
    assert start.astimezone(UTC).hour == 0  # 7 pm CDT is midnight UTC, not 1 am


def test_the_finder_page_lists_meetings_and_is_shareable_by_its_url(client):
    meeting(
        "monday-morning", day=1, time="07:00", types=["O", "X"], address="1 Main St", city="Peoria"
    )
    response = client.get("/meetings/?day=1&time=morning&type=O&attendance=in_person")
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 meeting" in page and "Monday Morning" in page
    assert "Wheelchair Access" in page
    assert 'title="Meetings Feed"' in client.get("/meetings/").content.decode()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("day=9", "day"),
        ("day=monday", "day"),
        ("time=teatime", "time"),
        ("type=NOPE", "type"),
        ("attendance=telepathy", "attendance"),
        ("near=00000", "near"),
        ("radius=7", "radius"),
        ("page=abc&day=1", None),
        ("q=" + "x" * 500, "q"),
    ],
)
def test_bad_parameters_get_a_message_next_to_the_field_never_a_500(client, query, field):
    response = client.get(f"/meetings/?{query}")
    assert response.status_code == 200
    form = response.context["form"]
    if field is None:
        assert form.is_valid()
    else:
        assert field in form.errors
        assert 'aria-invalid="true"' in response.content.decode()


def test_pages_of_results(client):
    for i in range(25):
        meeting(f"meeting-{i:02}", address="a")
    first = client.get("/meetings/?day=1")
    assert "Page 1 of 2" in first.content.decode()
    second = client.get("/meetings/?day=1&page=2").content.decode()
    assert "meeting-24" in second and "meeting-00" not in second


def test_a_meeting_page_says_when_where_and_how_to_join(client):
    meeting(
        "hybrid-hope",
        day=[2, 4],
        time="18:30",
        end_time="19:30",
        types=["O", "ASL"],
        location="Hope Hall",
        address="2 Main St",
        city="Peoria",
        state="IL",
        latitude=PEORIA[0],
        longitude=PEORIA[1],
        conference_url="https://meet.example.org/hope",
        conference_phone="+1-312-555-0100",
    )
    page = client.get("/meetings/hybrid-hope/").content.decode()
    assert "Every Tuesday, Thursday, 6:30 p.m. to 7:30 p.m." in page
    assert "American Sign Language" in page
    assert "Join the online meeting" in page and "tel:+1-312-555-0100" in page
    assert "https://www.openstreetmap.org/?mlat=40.69365" in page
    assert client.get("/meetings/no-such-meeting/").status_code == 404
