"""Finding organizations that may be listed twice: a similar name and a place within ~0.25 miles.

Pairs are only compared inside blocks, never all against all: every place falls in a grid cell of
0.01 degrees, and an organization is compared with those that have a place in the same or a
neighbouring cell (0.01 degrees is at least 0.25 miles of longitude up to latitude 68), then by
distance, then by name. 30,000 organizations take well under a second.
"""

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

NEAR_MILES = 0.25
NAME_RATIO = 0.85
CELL_DEGREES = 0.01
EARTH_RADIUS_MILES = 3958.8
# Words that say nothing about which organization it is.
FILLER = frozenset(
    {"the", "of", "and", "inc", "incorporated", "llc", "co", "corp", "corporation", "ltd", "a"}
)
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def name_key(name: str) -> str:
    """The name without case, accents, punctuation and filler words: 'The Oak Inc.' -> 'oak'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    plain = plain.replace("&", " and ")
    words = [w for w in _NOT_WORD.split(plain) if w and w not in FILLER]
    return " ".join(words)


def names_alike(a: str, b: str) -> float:
    """How alike two name keys are, 0..1: the better of token overlap and difflib's ratio."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ta, tb = set(a.split()), set(b.split())
    overlap = len(ta & tb) / len(ta | tb)
    if overlap >= NAME_RATIO:
        return overlap
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < NAME_RATIO or matcher.quick_ratio() < NAME_RATIO:
        return overlap
    return max(overlap, matcher.ratio())


def miles_between(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Candidate:
    """An organization (by primary key) with its name and one of its places."""

    organization: int
    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Pair:
    first: int  # the smaller organization pk
    second: int
    similarity: float
    miles: float


def _cell(lat: float, lng: float) -> tuple[int, int]:
    return (math.floor(lat / CELL_DEGREES), math.floor(lng / CELL_DEGREES))


def likely_duplicates(places: Iterable[Candidate]) -> list[Pair]:
    """Pairs of organizations with alike names and places within NEAR_MILES, most alike first."""
    cells: dict[tuple[int, int], list[tuple[Candidate, str]]] = defaultdict(list)
    for place in places:
        if not (-90 <= place.latitude <= 90 and -180 <= place.longitude <= 180):
            continue
        cells[_cell(place.latitude, place.longitude)].append((place, name_key(place.name)))
    best: dict[tuple[int, int], Pair] = {}
    compared: dict[tuple[str, str], float] = {}
    for (row, col), here in cells.items():
        # Each pair of cells once: this one with the four "after" it (the others see it too).
        after = [
            other
            for dr, dc in ((0, 1), (1, -1), (1, 0), (1, 1))
            for other in cells.get((row + dr, col + dc), ())
        ]
        for i, (a, key_a) in enumerate(here):
            for b, key_b in [*here[i + 1 :], *after]:
                if a.organization == b.organization:
                    continue
                miles = miles_between(a.latitude, a.longitude, b.latitude, b.longitude)
                if miles > NEAR_MILES:
                    continue
                names = (key_a, key_b) if key_a <= key_b else (key_b, key_a)
                if names not in compared:
                    compared[names] = names_alike(*names)
                similarity = compared[names]
                if similarity < NAME_RATIO:
                    continue
                ids = (min(a.organization, b.organization), max(a.organization, b.organization))
                found = best.get(ids)
                if found is None or miles < found.miles:
                    best[ids] = Pair(ids[0], ids[1], round(similarity, 3), round(miles, 3))
    return sorted(best.values(), key=lambda p: (-p.similarity, p.miles, p.first, p.second))
