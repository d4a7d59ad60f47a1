"""Meetings for other apps' tests (the authorization matrix)."""

from rosc.accounts.models import Organization
from rosc.meetings.models import Meeting
from rosc.meetings.services import meeting_add


def matrix_meeting(org: Organization, key: str) -> Meeting:
    """A weekly meeting the organization entered and keeps itself."""
    return meeting_add(
        actor=None,
        organization=org,
        row={"name": f"Hope {key}", "day": [1], "time": "19:00", "address": "1 Main Street"},
    )
