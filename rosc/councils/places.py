"""Where a county is: the mean of its ZIP code centroids, from the offline `zipcodes` package.

A marker per county is all the network map needs; the ZIP centroids ship with a package the
directory already uses for "near 03301", so no geocoder or download is involved.
"""

import functools
from decimal import Decimal

import zipcodes


@functools.cache
def _centroids(state: str) -> dict[str, tuple[Decimal, Decimal]]:
    sums: dict[str, tuple[float, float, int]] = {}
    for z in zipcodes.filter_by(state=state.upper()):
        county = (z.get("county") or "").strip().lower()
        if not county or not z.get("lat") or not z.get("long"):
            continue
        lat, lng, n = sums.get(county, (0.0, 0.0, 0))
        sums[county] = (lat + float(z["lat"]), lng + float(z["long"]), n + 1)
    return {
        county: (Decimal(f"{lat / n:.6f}"), Decimal(f"{lng / n:.6f}"))
        for county, (lat, lng, n) in sums.items()
    }


def county_position(name: str, state: str) -> tuple[Decimal, Decimal] | None:
    """(latitude, longitude) of a county by its name ("Cook" or "Cook County"), or None."""
    key = name.strip().lower()
    if not key.endswith(" county"):
        key += " county"
    return _centroids(state).get(key)
