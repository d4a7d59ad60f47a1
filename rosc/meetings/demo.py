"""Demo meetings: a few dozen invented support-group meetings in the demo's Illinois counties.

Entered here (no feed), through rosc.meetings.services, with slugs starting "demo-" so that
`rosc demo --reset` can remove exactly them. Some are linked to the demo's recovery community
organizations. The same seed gives the same meetings.
"""

import random

from rosc.accounts.models import Organization
from rosc.demo.network import DEMO_DOMAIN, TIME_ZONE, demo_slugs
from rosc.meetings.models import Meeting
from rosc.meetings.services import meeting_create

MEETING_COUNT = 40
# Town, county, ZIP, centroid: real places, invented street addresses.
TOWNS: tuple[tuple[str, str, float, float], ...] = (
    ("Chicago", "60601", 41.8781, -87.6298),
    ("Evanston", "60201", 42.0451, -87.6877),
    ("Naperville", "60540", 41.7508, -88.1535),
    ("Aurora", "60505", 41.7606, -88.3201),
    ("Waukegan", "60085", 42.3636, -87.8448),
    ("Joliet", "60432", 41.5250, -88.0817),
    ("Rockford", "61101", 42.2711, -89.0940),
    ("Dixon", "61021", 41.8389, -89.4795),
    ("Sterling", "61081", 41.7886, -89.6962),
    ("Rock Island", "61201", 41.5095, -90.5787),
    ("Peoria", "61602", 40.6936, -89.5890),
    ("Pekin", "61554", 40.5675, -89.6407),
    ("Bloomington", "61701", 40.4842, -88.9937),
    ("Springfield", "62701", 39.7817, -89.6501),
    ("Decatur", "62521", 39.8403, -88.9548),
    ("Champaign", "61820", 40.1164, -88.2434),
    ("Edwardsville", "62025", 38.8114, -89.9532),
    ("Belleville", "62220", 38.5201, -89.9840),
    ("Carbondale", "62901", 37.7273, -89.2168),
    ("Marion", "62959", 37.7306, -88.9331),
)
NAMES = (
    "Sunrise Serenity",
    "Hope on Main",
    "Women in Recovery",
    "Recovery Dharma Circle",
    "All Recovery Gathering",
    "Family and Friends Support",
    "Just for Today",
    "Big Book Study",
    "Step by Step",
    "Young People in Recovery",
    "Men's Step Study",
    "Grateful Hearts",
    "Noon Lifeline",
    "Candlelight Meditation",
    "Spanish-Speaking Recovery Group",
    "LGBTQ+ Recovery Circle",
)
PLACES = (
    "Community Center",
    "First Street Church Hall",
    "Public Library, Room B",
    "Recovery Café",
    "Neighborhood House",
    "Union Hall",
)
TYPE_SETS = (
    ["O", "D"],
    ["C", "ST"],
    ["O", "SP", "X"],
    ["O", "BE", "D"],
    ["W", "C", "D"],
    ["M", "ST"],
    ["O", "MED", "11"],
    ["O", "B", "LIT"],
    ["Y", "O", "D"],
    ["S", "O", "D"],
    ["LGBTQ", "O", "D"],
    ["AL-AN", "O"],
)
TIMES = (
    "06:30",
    "07:00",
    "09:00",
    "12:00",
    "12:15",
    "17:30",
    "18:00",
    "18:30",
    "19:00",
    "19:30",
    "20:00",
    "21:00",
    "22:00",
)


def demo_meeting_rows(seed: int) -> list[dict]:
    rng = random.Random(seed * 7919 + 17)
    rows = []
    for i in range(MEETING_COUNT):
        town, zip_code, lat, lng = TOWNS[i % len(TOWNS)]
        name = NAMES[(i * 5) % len(NAMES)]
        start = rng.choice(TIMES)
        hour, minute = map(int, start.split(":"))
        days = sorted(rng.sample(range(7), rng.choice((1, 1, 1, 2, 3, 5))))
        mode = rng.choice(("in_person", "in_person", "in_person", "hybrid", "online"))
        row: dict = {
            "name": f"{name} ({town})",
            "slug": f"demo-{i + 1:02}-{town.lower().replace(' ', '-')}",
            "day": days,
            "time": start,
            "end_time": f"{(hour + 1) % 24:02}:{minute:02}",
            "timezone": TIME_ZONE,
            "types": TYPE_SETS[(i * 7) % len(TYPE_SETS)],
            "region": town,
            "group": f"{town} {name} Group",
            "notes": "Everyone is welcome. Coffee from 15 minutes before.",
        }
        if mode == "online":
            row["formatted_address"] = f"{town}, IL, USA"
            row["approximate"] = "yes"
        else:
            row.update(
                location=f"{town} {rng.choice(PLACES)}",
                address=f"{rng.randint(100, 2400)} {rng.choice(('Main', 'Oak', 'State', 'Elm'))} "
                "Street",
                city=town,
                state="IL",
                postal_code=zip_code,
                country="US",
                latitude=round(lat + rng.uniform(-0.03, 0.03), 5),
                longitude=round(lng + rng.uniform(-0.03, 0.03), 5),
            )
        if mode != "in_person":
            row["conference_url"] = f"https://meet.{DEMO_DOMAIN}/demo-{i + 1:02}"
            row["conference_url_notes"] = "Passcode: recovery"
            row["conference_phone"] = f"+1-312-555-01{i:02}"
        rows.append(row)
    return rows


def build_demo_meetings(seed: int) -> None:
    rcos = list(
        Organization.objects.filter(slug__in=demo_slugs(), kind=Organization.Kind.RCO).order_by(
            "slug"
        )
    )
    for i, row in enumerate(demo_meeting_rows(seed)):
        organization = rcos[i % len(rcos)] if rcos and i % 3 == 0 else None
        meeting_create(actor=None, row=row, organization=organization)


def clear_demo_meetings() -> None:
    Meeting.objects.filter(slug__startswith="demo-", feed__isnull=True).delete()
