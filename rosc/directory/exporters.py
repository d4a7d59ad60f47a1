"""Writing the directory as an HSDS 3.0 tabular datapackage (datapackage.json + one CSV a table).

Values are written so that `rosc import-hsds` reads them back unchanged: empty cells for absent
values, whole numbers without a decimal point, ISO dates, times and UTC date-times.
"""

import csv
import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from uuid import UUID

from rosc.directory.hsds import datapackage_descriptor, tables


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return str(value)


def export_datapackage(directory: Path) -> dict[str, int]:
    """Write every HSDS table into `directory` (made if missing); returns rows per table."""
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for t in tables():
        attnames = [c.attname for c in t.columns]
        with open(directory / t.path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(t.column_names)
            n = 0
            rows = t.model._default_manager.order_by("public_id").values_list(*attnames)
            for values in rows.iterator(chunk_size=2000):
                writer.writerow([_cell(v) for v in values])
                n += 1
        counts[t.name] = n
    with open(directory / "datapackage.json", "w", encoding="utf-8") as f:
        json.dump(datapackage_descriptor(), f, indent=2, ensure_ascii=False)
        f.write("\n")
    return counts
