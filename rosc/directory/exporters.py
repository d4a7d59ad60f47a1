"""Writing the directory as an HSDS 3.0 tabular datapackage (datapackage.json + one CSV a table).

Values are written so that `rosc import-hsds` reads them back unchanged: empty cells for absent
values, whole numbers without a decimal point, ISO dates, times and UTC date-times.
"""

import csv
import heapq
import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from uuid import UUID

from rosc.accounts.models import Organization
from rosc.directory.hsds import Table, datapackage_descriptor, tables
from rosc.directory.taxonomy import EXTENSION_TERMS, NAMESPACE, extension_term_id

# The HSDS attribute columns, in order: id, link_id, taxonomy_term_id, link_type, link_entity,
# value. A recovery extension is an attribute of the organization (see taxonomy.py).
EXTENSION_LINK = "organization"


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
            for values in _rows(t, attnames):
                writer.writerow([_cell(v) for v in values])
                n += 1
        counts[t.name] = n
    with open(directory / "datapackage.json", "w", encoding="utf-8") as f:
        json.dump(datapackage_descriptor(), f, indent=2, ensure_ascii=False)
        f.write("\n")
    return counts


def _rows(t: Table, attnames: list[str]) -> Iterator[tuple[Any, ...]]:
    """The table's rows by HSDS id; the attribute table has the recovery extensions merged in."""
    rows = t.model._default_manager.order_by("public_id").values_list(*attnames)
    if t.name != "attribute":
        yield from rows.iterator(chunk_size=2000)
        return
    extension_terms = [extension_term_id(code) for code, _n, _d in EXTENSION_TERMS]
    stored = rows.exclude(taxonomy_term_id__in=extension_terms).iterator(chunk_size=2000)
    ours = sorted(extension_attributes(), key=lambda r: str(r[0]))
    yield from heapq.merge(stored, ours, key=lambda r: str(r[0]))


def extension_attributes(
    organizations: Iterable[Any] | None = None,
) -> list[tuple[UUID, UUID, UUID, str, str, str]]:
    """The recovery extensions of organizations as HSDS attribute rows (column order above).

    Ids are uuid5 of the organization, the term and (for pathways) the value, so an export
    gives the same attribute the same id every time.
    """
    if organizations is None:
        organizations = Organization.objects.values(
            "public_id",
            "kind",
            "peer_led",
            "recovery_pathways",
            "accepting_new_people",
            "capacity_note",
            "last_verified_on",
        ).iterator(chunk_size=2000)
    out = []
    for org in organizations:
        org_id = org["public_id"]
        facts: list[tuple[str, str]] = [
            ("kind", org["kind"]),
            ("peer_led", "true" if org["peer_led"] else "false"),
        ]
        facts += [("recovery_pathway", p) for p in org["recovery_pathways"] or []]
        if org["accepting_new_people"] is not None:
            accepting = "true" if org["accepting_new_people"] else "false"
            facts.append(("accepting_new_people", accepting))
        if org["capacity_note"]:
            facts.append(("capacity_note", org["capacity_note"]))
        if org["last_verified_on"] is not None:
            facts.append(("last_verified_on", org["last_verified_on"].isoformat()))
        for code, value in facts:
            key = f"attribute:{org_id}:{code}" + (f":{value}" if code == "recovery_pathway" else "")
            out.append(
                (
                    uuid.uuid5(NAMESPACE, key),
                    org_id,
                    extension_term_id(code),
                    EXTENSION_LINK,
                    EXTENSION_LINK,
                    value,
                )
            )
    return out
