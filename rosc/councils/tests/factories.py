"""Records for the authorization matrix: a council each organization hosts, with a roster
entry, a monthly meeting and one date of it."""

from datetime import date, time

from rosc.accounts.models import Organization
from rosc.councils.models import Council, CouncilMember, MeetingSeries, Occurrence, Sector
from rosc.councils.services import council_create


def council_matrix_records(
    organization: Organization, key: str
) -> tuple[Council, CouncilMember, MeetingSeries, Occurrence]:
    council = council_create(
        name=f"Matrix meetings council {key}",
        host=organization,
        counties=[],
        time_zone="America/Chicago",
    )
    member = CouncilMember.objects.create(
        council=council,
        name=f"Robin Member {key}",
        sector=Sector.FAMILY,
        active_from=date(2026, 1, 1),
    )
    series = MeetingSeries.objects.create(
        council=council,
        title="Council meeting",
        rrule="FREQ=MONTHLY;BYDAY=2TU",
        first_date=date(2026, 1, 13),
        start_time=time(10),
        end_time=time(11, 30),
        address="1 Main St",
    )
    meeting = Occurrence.objects.create(
        series=series, recurrence_date=date(2026, 2, 10), agenda="Welcome; updates."
    )
    return council, member, series, meeting
