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
