"""Meeting Guide feeds in and out: the importer keeps good rows, reports bad ones, round-trips."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from rosc.meetings import services
from rosc.meetings.meeting_guide import FeedReadError, check_row, read_feed
from rosc.meetings.models import Attendance, Meeting, MeetingFeed

FIXTURE = Path(__file__).parent / "fixtures" / "small_feed.json"
pytestmark = pytest.mark.django_db


def import_file(path: Path) -> str:
    err = StringIO()
    call_command("import_meetings", str(path), stderr=err)
    return err.getvalue()


def feed_json(client: Client) -> list[dict]:
    response = client.get("/meetings.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_the_small_feed_imports_in_person_online_and_closed_meetings_and_reports_the_bad_row():
    output = import_file(FIXTURE)
    meetings = {m.slug: m for m in Meeting.objects.all()}
    assert set(meetings) == {"sunday-serenity", "online-daily-reflections", "tuesday-step-study"}
    assert meetings["sunday-serenity"].attendance == Attendance.IN_PERSON
    assert meetings["online-daily-reflections"].attendance == Attendance.ONLINE
    assert meetings["tuesday-step-study"].attendance == Attendance.INACTIVE
    assert meetings["online-daily-reflections"].days == [1, 2, 3, 4, 5]
    assert meetings["sunday-serenity"].types == ["O", "D", "X"]
    assert "row 4 (slug 'no-time'): day: 9 is not a day" in output
    assert "row 4 (slug 'no-time'): time: required" in output
    assert "row 1 (slug 'sunday-serenity'): types: unknown type code 'ZZZ' ignored" in output
    assert "3 meetings added" in output and "1 rows skipped" in output


def test_reimport_updates_by_source_and_slug_and_deactivates_vanished_meetings(tmp_path):
    rows = json.loads(FIXTURE.read_text())
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(rows))
    import_file(path)
    rows[0]["time"] = "18:30"
    del rows[1]
    path.write_text(json.dumps(rows))
    output = import_file(path)
    assert "0 meetings added, 1 changed, 1 unchanged, 1 no longer listed" in output
    assert Meeting.objects.count() == 3
    assert MeetingFeed.objects.count() == 1
    assert str(Meeting.objects.get(slug="sunday-serenity").time) == "18:30:00"
    assert not Meeting.objects.get(slug="online-daily-reflections").active
    feed = MeetingFeed.objects.get()
    assert feed.last_ok is True and feed.last_report["deactivated"] == 1


def test_a_slug_used_by_another_source_is_reported_not_taken_over(tmp_path):
    import_file(FIXTURE)
    other = tmp_path / "other.json"
    copy = {"name": "Copy", "slug": "sunday-serenity", "day": 1, "time": "10:00"}
    other.write_text(json.dumps([copy]))
    output = import_file(other)
    assert "row 1 (slug 'sunday-serenity'): slug: another source" in output
    assert Meeting.objects.get(slug="sunday-serenity").name == "Sunday Serenity"


def test_duplicate_slugs_inside_one_feed_keep_the_first_and_report_the_second(tmp_path):
    path = tmp_path / "dup.json"
    row = {"name": "Noon", "slug": "noon", "day": 3, "time": "12:00"}
    path.write_text(json.dumps([row, {**row, "name": "Noon again"}]))
    output = import_file(path)
    assert "row 2 (slug 'noon'): slug: the same slug as row 1" in output
    assert Meeting.objects.get().name == "Noon"


def test_export_then_import_into_an_empty_database_gives_the_same_meetings(client, tmp_path):
    import_file(FIXTURE)
    exported = feed_json(client)
    slugs = [m["slug"] for m in exported]
    assert slugs == ["online-daily-reflections", "sunday-serenity", "tuesday-step-study"]
    Meeting.objects.all().delete()
    MeetingFeed.objects.all().delete()
    path = tmp_path / "exported.json"
    path.write_text(json.dumps(exported))
    output = import_file(path)
    assert "3 meetings added" in output and "0 rows skipped" in output
    assert feed_json(client) == exported


def test_the_feed_speaks_meeting_guide(client):
    import_file(FIXTURE)
    rows = {m["slug"]: m for m in feed_json(client)}
    serenity = rows["sunday-serenity"]
    assert serenity["day"] == 0 and serenity["time"] == "18:00" and serenity["end_time"] == "19:00"
    assert serenity["timezone"] == "America/Chicago"
    assert serenity["updated"] == "2026-01-05 14:30:00"
    assert serenity["latitude"] == 40.69365
    online = rows["online-daily-reflections"]
    assert online["day"] == [1, 2, 3, 4, 5]
    assert online["approximate"] == "yes" and online["conference_url"].startswith("https://")


def test_deactivated_meetings_leave_the_feed_and_their_page(client, tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(FIXTURE.read_text())
    import_file(path)
    path.write_text("[]")
    import_file(path)
    assert feed_json(client) == []
    assert client.get("/meetings/sunday-serenity/").status_code == 404


def test_a_file_that_is_not_a_feed_is_a_clear_error_naming_the_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"meetings": []}')
    with pytest.raises(CommandError, match=r"broken\.json: a Meeting Guide feed is a JSON array"):
        call_command("import_meetings", str(path), stderr=StringIO())
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("import_meetings", str(tmp_path / "missing.json"), stderr=StringIO())
    with pytest.raises(FeedReadError, match="only http and https"):
        read_feed("ftp://example.org/feed.json")


def test_rows_are_checked_field_by_field():
    def problems(row: dict) -> set[tuple[str, bool]]:
        return {(p.field, p.skipped) for p in check_row(row, 1, default_time_zone="UTC").problems}

    good = {"name": "A", "slug": "a", "day": "2", "time": "07:05"}
    assert problems(good) == set()
    assert problems({**good, "slug": "has space"}) == {("slug", True)}
    assert problems({**good, "slug": 17}) == set()
    assert problems({**good, "time": "25:00"}) == {("time", True)}
    assert problems({**good, "day": [1, 7]}) == {("day", True)}
    assert problems({**good, "timezone": "Mars/Olympus"}) == {("timezone", True)}
    assert problems({**good, "latitude": "north"}) == {("latitude", True)}
    assert problems({**good, "conference_url": "zoom"}) == {("conference_url", False)}
    assert problems({"slug": "x"}) == {("name", True), ("day", True), ("time", True)}


def test_a_meeting_entered_here_needs_a_free_slug():
    row = {"name": "Hope Café", "slug": "hope-cafe", "day": [2, 4], "time": "17:30"}
    meeting = services.meeting_create(actor=None, row=row)
    assert meeting.feed is None and meeting.day_mask == 0b10100
    with pytest.raises(ValidationError) as caught:
        services.meeting_create(actor=None, row=row)
    assert "slug" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.meeting_create(actor=None, row={**row, "slug": "other", "day": 8})
    assert "day" in caught.value.message_dict


def test_refresh_all_refreshes_every_feed_and_the_task_reschedules_itself(tmp_path, settings):
    path = tmp_path / "feed.json"
    path.write_text(FIXTURE.read_text())
    import_file(path)
    feed = MeetingFeed.objects.get()
    path.write_text("[]")
    err = StringIO()
    call_command("import_meetings", refresh_all=True, stderr=err)
    assert "3 no longer listed" in err.getvalue()
    from rosc.meetings.tasks import meeting_feed_refresh_run

    # Just refreshed: the scheduled run finds it not due and queues nothing more.
    assert meeting_feed_refresh_run.call(feed_id=str(feed.public_id)) == "not due"
    MeetingFeed.objects.update(last_run_at=None)
    assert "0 meetings added" in meeting_feed_refresh_run.call(feed_id=str(feed.public_id))
