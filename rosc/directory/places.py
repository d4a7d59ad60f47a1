"""Places people search from: a ZIP code (offline centroid table) or a latitude,longitude pair."""

import functools
import math
import re
from dataclasses import dataclass

import zipcodes

EARTH_RADIUS_MILES = 3958.8
_LATLNG = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
_ZIP = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    label: str


class PlaceNotFound(ValueError):
    """The text is neither a known ZIP code nor a latitude,longitude pair."""


def place_from_text(text: str) -> Place:
    """'03301', '03301-1234' or '41.88,-87.63' -> a Place; anything else -> PlaceNotFound."""
    if match := _ZIP.match(text):
        place = zip_centroid(match.group(1))
        if place is None:
            raise PlaceNotFound(f"We do not know the ZIP code {match.group(1)}.")
        return place
    if match := _LATLNG.match(text):
        lat, lng = float(match.group(1)), float(match.group(2))
        if -90 <= lat <= 90 and -180 <= lng <= 180:
            return Place(lat, lng, "your location")
    raise PlaceNotFound("Enter a 5-digit ZIP code, or use your location.")


def zip_centroid(code: str) -> Place | None:
    """A 5-digit ZIP code's centroid from the offline table, or None if it has none."""
    return zip_index().get(code)


@functools.cache
def zip_index() -> dict[str, Place]:
    """Every ZIP code with a centroid, read from the package once per process (~35 ms; a
    server does it at startup, see apps.py). The package's own lookup scans its whole list,
    half a millisecond a search. Where a code is listed twice, the first with a centroid
    counts, as with that lookup."""
    index: dict[str, Place] = {}
    for z in zipcodes.list_all():
        if z.get("lat") and z["zip_code"] not in index:
            label = f"{z['city']}, {z['state']} {z['zip_code']}"
            index[z["zip_code"]] = Place(float(z["lat"]), float(z["long"]), label)
    return index


def distance_miles(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(min(1.0, a)))


def bounding_box(place: Place, radius_miles: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) enclosing the circle, for an indexable prefilter."""
    dlat = radius_miles / 69.0
    dlng = radius_miles / max(0.01, 69.172 * math.cos(math.radians(place.latitude)))
    return (
        place.latitude - dlat,
        place.latitude + dlat,
        place.longitude - dlng,
        place.longitude + dlng,
    )
