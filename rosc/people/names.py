"""Comparing people's names: without case, accents or punctuation ("María" is "maria")."""

import unicodedata
from datetime import date

# How many leading letters of the first name must agree when the last names match.
FIRST_NAME_PREFIX = 3


def name_key(name: str) -> str:
    """Lower-case letters and digits, accents removed, words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    cleaned = "".join(c if c.isalnum() else " " for c in plain)
    return " ".join(cleaned.split())


def _first_names_start_alike(a: str, b: str) -> bool:
    if not a or not b:
        return False
    n = min(FIRST_NAME_PREFIX, len(a), len(b))
    return a[:n] == b[:n]


def names_look_alike(
    *,
    first_key: str,
    last_key: str,
    birth: date | None,
    other_first_key: str,
    other_last_key: str,
    other_birth: date | None,
) -> bool:
    """Likely the same person: same last name and first names that start alike, or the same
    birth date and either the same last name or first names that start alike."""
    same_last = bool(last_key) and last_key == other_last_key
    first_alike = _first_names_start_alike(first_key, other_first_key)
    if same_last and first_alike:
        return True
    same_birth = birth is not None and birth == other_birth
    return same_birth and (same_last or first_alike)
