import pytest

from rosc.meetings.demo import MEETING_COUNT, build_demo_meetings, clear_demo_meetings
from rosc.meetings.models import Attendance, Meeting
from rosc.meetings.services import meeting_create

pytestmark = pytest.mark.django_db


def test_the_demo_meetings_are_the_same_from_the_same_seed_and_clear_leaves_others_alone():
    meeting_create(actor=None, row={"name": "Kept", "slug": "kept", "day": 1, "time": "09:00"})
    build_demo_meetings(7)
    first = list(Meeting.objects.filter(slug__startswith="demo-").values_list("slug", "time"))
    assert len(first) == MEETING_COUNT
    kinds = set(Meeting.objects.values_list("attendance", flat=True))
    assert {Attendance.IN_PERSON, Attendance.ONLINE, Attendance.HYBRID} <= kinds
    clear_demo_meetings()
    build_demo_meetings(7)
    again = list(Meeting.objects.filter(slug__startswith="demo-").values_list("slug", "time"))
    assert again == first
    clear_demo_meetings()
    assert list(Meeting.objects.values_list("slug", flat=True)) == ["kept"]
