"""The Meeting Guide JSON format: reading a feed, checking its rows, writing ours.

Spec: code4recovery/spec README (see /docs/architecture.md, Meetings). A feed is a JSON array of
meetings; only name and slug are required by the spec, and the Meeting Guide app also needs day
and time, so this importer requires all four. Unknown type codes are allowed by the spec (custom
codes) and ignored here, with a note in the report.
"""

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from rosc.meetings.types import TEMPORARILY_CLOSED, type_names

MAX_FEED_BYTES = 25 * 1024 * 1024
FETCH_TIMEOUT_SECONDS = 30
SLUG = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
HHMM = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")
UPDATED_FORMAT = "%Y-%m-%d %H:%M:%S"
TEXT_FIELDS = {
    # feed key -> (model field, max length or None for text)
    "location": ("location", 255),
    "location_notes": ("location_notes", None),
    "formatted_address": ("formatted_address", 500),
    "address": ("address", 255),
    "city": ("city", 100),
    "state": ("state", 100),
    "postal_code": ("postal_code", 20),
    "country": ("country", 100),
    "region": ("region", 255),
    "sub_region": ("sub_region", 255),
    "conference_url_notes": ("conference_url_notes", None),
    "conference_phone": ("conference_phone", 100),
    "conference_phone_notes": ("conference_phone_notes", None),
    "group": ("group", 255),
    "group_notes": ("group_notes", None),
    "notes": ("notes", None),
}
_url = URLValidator(schemes=["http", "https"])


class FeedReadError(ValueError):
    """The feed as a whole cannot be read: not found, too big, not JSON, not a list."""


@dataclass(frozen=True)
class Problem:
    row: int  # 1-based position in the feed's array
    slug: str
    field: str
    reason: str
    skipped: bool  # True: the row was not imported; False: imported without that value

    def __str__(self) -> str:
        what = "skipped" if self.skipped else "imported without it"
        slug = f" (slug {self.slug!r})" if self.slug else ""
        return f"row {self.row}{slug}: {self.field}: {self.reason} [{what}]"


@dataclass
class CheckedRow:
    row: int
    slug: str
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.skipped for p in self.problems)


def read_feed(location: str) -> list[Any]:
    """The meetings array of a feed at an http(s) URL or a file path."""
    if location.startswith(("http://", "https://")):
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked just above)
            location, headers={"Accept": "application/json", "User-Agent": "ROSC Hub"}
        )
        try:
            with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
                raw = response.read(MAX_FEED_BYTES + 1)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise FeedReadError(f"{location}: could not fetch the feed ({exc}).") from exc
    elif "://" in location:
        raise FeedReadError(f"{location}: only http and https feeds can be fetched.")
    else:
        path = Path(location)
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_FEED_BYTES + 1)
        except OSError as exc:
            raise FeedReadError(f"{location}: cannot read the file ({exc.strerror}).") from exc
    if len(raw) > MAX_FEED_BYTES:
        raise FeedReadError(f"{location}: the feed is larger than {MAX_FEED_BYTES // 2**20} MB.")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedReadError(f"{location}: not JSON ({exc}).") from exc
    if not isinstance(data, list):
        raise FeedReadError(f"{location}: a Meeting Guide feed is a JSON array of meetings.")
    return data


def _time(value: Any) -> time | None:
    if not isinstance(value, str) or not (match := HHMM.match(value.strip())):
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes)


def _days(value: Any) -> list[int] | None:
    items = value if isinstance(value, list) else [value]
    days: set[int] = set()
    for item in items:
        if isinstance(item, bool):
            return None
        if isinstance(item, str) and item.strip().isdecimal():
            item = int(item.strip())
        if not isinstance(item, int) or not 0 <= item <= 6:
            return None
        days.add(item)
    return sorted(days) or None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def check_row(raw: Any, row: int, *, default_time_zone: str) -> CheckedRow:
    """One feed row -> the Meeting's values, or the reasons it cannot be imported."""
    if not isinstance(raw, dict):
        checked = CheckedRow(row, "")
        checked.problems.append(Problem(row, "", "(row)", "not a JSON object", True))
        return checked
    slug = raw.get("slug")
    slug_text = str(slug).strip() if isinstance(slug, (str, int)) and slug != "" else ""
    checked = CheckedRow(row, slug_text)

    def bad(name: str, reason: str, *, skip: bool = True) -> None:
        checked.problems.append(Problem(row, slug_text, name, reason, skip))

    values = checked.values
    if not slug_text:
        bad("slug", "required (a unique, URL-safe id)")
    elif isinstance(slug, bool) or not SLUG.match(slug_text):
        bad("slug", "use at most 64 letters, digits, hyphens and underscores")
    values["slug"] = slug_text
    name = _text(raw.get("name"))
    if not name:
        bad("name", "required")
    elif len(name) > 255:
        bad("name", "longer than 255 characters")
    values["name"] = name
    if "day" not in raw or raw.get("day") in (None, "", []):
        bad("day", "required (0 = Sunday ... 6 = Saturday)")
    elif (days := _days(raw["day"])) is None:
        bad("day", f"{raw['day']!r} is not a day (0 = Sunday ... 6 = Saturday)")
    else:
        values["days"] = days
    if not raw.get("time"):
        bad("time", "required (HH:MM, 24-hour)")
    elif (start := _time(raw["time"])) is None:
        bad("time", f"{raw['time']!r} is not a time (HH:MM, 24-hour)")
    else:
        values["time"] = start
    values["end_time"] = None
    if raw.get("end_time"):
        if (end := _time(raw["end_time"])) is None:
            bad("end_time", f"{raw['end_time']!r} is not a time (HH:MM, 24-hour)", skip=False)
        else:
            values["end_time"] = end
    zone = _text(raw.get("timezone")) or default_time_zone
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        bad("timezone", f"{zone!r} is not an IANA time zone (e.g. America/Chicago)")
    values["time_zone"] = zone
    types = raw.get("types") or []
    if not isinstance(types, list):
        types = [types]
    known, codes = type_names(), []
    for code in types:
        code_text = _text(code)
        if code_text in known:
            if code_text not in codes:
                codes.append(code_text)
        elif code_text:
            bad("types", f"unknown type code {code_text!r} ignored", skip=False)
    values["types"] = codes
    for key, (model_field, limit) in TEXT_FIELDS.items():
        text = _text(raw.get(key))
        if limit is not None and len(text) > limit:
            bad(key, f"longer than {limit} characters")
        values[model_field] = text
    for key in ("conference_url", "url"):
        link = _text(raw.get(key))
        if link:
            try:
                _url(link)
            except ValidationError:
                bad(key, f"{link[:80]!r} is not an http(s) address", skip=False)
                link = ""
        values[key] = link
    values["approximate"] = _text(raw.get("approximate")).lower() == "yes"
    for key, bound in (("latitude", 90), ("longitude", 180)):
        value = raw.get(key)
        values[key] = None
        if value in (None, ""):
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            bad(key, f"{value!r} is not a number")
            continue
        if not -bound <= number <= bound:
            bad(key, f"{number} is out of range")
        values[key] = round(number, 5)
    values["source_updated"] = None
    if raw.get("updated"):
        try:
            parsed = datetime.strptime(_text(raw["updated"]), UPDATED_FORMAT)
            values["source_updated"] = parsed.replace(tzinfo=UTC)
        except ValueError:
            bad("updated", "not a UTC time as YYYY-MM-DD HH:MM:SS", skip=False)
    return checked


def attendance_of(values: dict[str, Any]) -> str:
    """In person / online / hybrid / inactive, derived as TSML UI does from the row itself."""
    online = bool(values.get("conference_url") or values.get("conference_phone"))
    has_address = bool(
        values.get("formatted_address") or values.get("address") or values.get("city")
    )
    in_person = (
        has_address
        and not values.get("approximate")
        and TEMPORARILY_CLOSED not in values.get("types", [])
    )
    if online and in_person:
        return "hybrid"
    if online:
        return "online"
    return "in_person" if in_person else "inactive"


# --- writing our feed -----------------------------------------------------------------------

EXPORT_COLUMNS = (
    "name",
    "slug",
    "days",
    "time",
    "end_time",
    "time_zone",
    "types",
    "location",
    "location_notes",
    "formatted_address",
    "address",
    "city",
    "state",
    "postal_code",
    "country",
    "approximate",
    "latitude",
    "longitude",
    "located_by_postal_code",
    "region",
    "sub_region",
    "conference_url",
    "conference_url_notes",
    "conference_phone",
    "conference_phone_notes",
    "group",
    "group_notes",
    "notes",
    "url",
    "source_updated",
    "updated_at",
    "organization__name",
)


def export_row(row: dict[str, Any]) -> dict[str, Any]:
    """One `.values(*EXPORT_COLUMNS)` row -> a Meeting Guide meeting (empty fields left out)."""
    days = row["days"]
    out: dict[str, Any] = {
        "name": row["name"],
        "slug": row["slug"],
        "day": days[0] if len(days) == 1 else days,
        "time": row["time"].strftime("%H:%M"),
    }
    if row["end_time"] is not None:
        out["end_time"] = row["end_time"].strftime("%H:%M")
    out["timezone"] = row["time_zone"]
    if row["types"]:
        out["types"] = row["types"]
    for key in TEXT_FIELDS:
        if row[key]:
            out[key] = row[key]
    for key in ("conference_url", "url"):
        if row[key]:
            out[key] = row[key]
    if row["approximate"]:
        out["approximate"] = "yes"
    if (
        row["latitude"] is not None
        and row["longitude"] is not None
        and not row["located_by_postal_code"]
    ):
        out["latitude"] = round(row["latitude"], 5)
        out["longitude"] = round(row["longitude"], 5)
    if row["organization__name"]:
        out["entity"] = row["organization__name"]
    updated = row["source_updated"] or row["updated_at"]
    out["updated"] = updated.astimezone(UTC).strftime(UPDATED_FORMAT)
    return out
