"""Meeting Guide type codes (code4recovery/spec data/types.json, MIT: see data/LICENSE)."""

import functools
import json
from pathlib import Path

TYPES_FILE = Path(__file__).parent / "data" / "types.json"

# Days as the Meeting Guide spec numbers them: 0 = Sunday ... 6 = Saturday.
DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
# "Temporarily closed": a meeting with it and no online way in is not meeting now.
TEMPORARILY_CLOSED = "TC"


@functools.cache
def type_names() -> dict[str, str]:
    """Code -> English name, for all the spec's codes, sorted by name."""
    data = json.loads(TYPES_FILE.read_text(encoding="utf-8"))
    names = {code: str(langs.get("en") or code) for code, langs in data.items()}
    return dict(sorted(names.items(), key=lambda item: item[1].casefold()))


def type_name(code: str) -> str:
    return type_names().get(code, code)


def meeting_guide_day(python_weekday: int) -> int:
    """Python's weekday (0 = Monday) -> the spec's day (0 = Sunday)."""
    return (python_weekday + 1) % 7


# The form's groups of type codes (by code); every code not named here is in the last group.
TYPE_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("open", "Open or closed", ("O", "C")),
    ("closed_now", "In person for now", (TEMPORARILY_CLOSED,)),
    (
        "format",
        "Format",
        (
            "D", "SP", "B", "ST", "TR", "LIT", "12x12", "ABSI", "DR", "GR", "LS", "11", "MED",
            "BE", "H", "CAN", "BRK", "XT", "OUT", "DB", "POA",
        ),
    ),
    (
        "who",
        "Who it is for",
        (
            "W", "M", "Y", "SEN", "LGBTQ", "G", "L", "BI", "T", "NB", "POC", "NDG", "N", "P",
            "DD", "A", "AL-AN", "AL",
        ),
    ),
    ("access", "Access and comfort", ("X", "XB", "ASL", "BA", "CF", "FF", "SM")),
)  # fmt: skip
OTHER_GROUP = ("language", "Language and other")


@functools.cache
def type_groups() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(key, label, [(code, name), ...]) for the form, every known code in exactly one group."""
    names = type_names()
    placed: set[str] = set()
    groups = []
    for key, label, codes in TYPE_GROUPS:
        choices = [(code, names[code]) for code in codes if code in names]
        placed.update(code for code, _name in choices)
        groups.append((key, label, choices))
    rest = [(code, name) for code, name in names.items() if code not in placed]
    groups.append((OTHER_GROUP[0], OTHER_GROUP[1], rest))
    return groups
