"""Directory import: `rosc import-hsds` of a generated datapackage against a raw-SQL floor.

Scale: BENCH_SERVICES services (default 100,000, the issue's scale; about a minute), one
organization per 3.3 services and 0.6 locations per service, each service at one location.
The floor: reading the same CSV files with the csv module and inserting every row with one
executemany per file into plain tables (no validation, no upsert) in the same database.
"""

import csv
import os
import random
import tempfile
import time
import uuid
from pathlib import Path

from django.db import connection, transaction

from rosc.directory.services import hsds_import

SERVICES = int(os.environ.get("BENCH_SERVICES", "100000"))

TABLES = {
    "organizations.csv": ["id", "name", "description", "email", "website"],
    "services.csv": ["id", "organization_id", "name", "description", "status"],
    "locations.csv": ["id", "location_type", "organization_id", "name", "latitude", "longitude"],
    "service_at_location.csv": ["id", "service_id", "location_id"],
}


def generate(folder: Path) -> None:
    rng = random.Random(11)
    orgs = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(SERVICES * 3 // 10)]
    locations = [
        (str(uuid.UUID(int=rng.getrandbits(128), version=4)), rng.choice(orgs))
        for _ in range(SERVICES * 6 // 10)
    ]
    rows: dict[str, list[list[str]]] = {name: [] for name in TABLES}
    for i, org in enumerate(orgs):
        rows["organizations.csv"].append(
            [
                org,
                f"Bench Organization {i}",
                "A generated organization.",
                f"info{i}@example.org",
                f"https://example.org/{i}",
            ]
        )
    for i, (loc, org) in enumerate(locations):
        rows["locations.csv"].append(
            [
                loc,
                "physical",
                org,
                f"Bench Location {i}",
                f"{rng.uniform(37.0, 42.5):.5f}",
                f"{rng.uniform(-91.5, -87.5):.5f}",
            ]
        )
    for i in range(SERVICES):
        service = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        loc, org = rng.choice(locations)
        rows["services.csv"].append(
            [service, org, f"Recovery coaching {i}", "Peer recovery support.", "active"]
        )
        rows["service_at_location.csv"].append(
            [str(uuid.UUID(int=rng.getrandbits(128), version=4)), service, loc]
        )
    for name, header in TABLES.items():
        with open(folder / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows[name])


def raw_floor(folder: Path) -> float:
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        for name, header in TABLES.items():
            table = "bench_raw_" + name.removesuffix(".csv")
            cur.execute(f"CREATE TABLE {table} ({', '.join(c + ' text' for c in header)})")
            with open(folder / name, newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle)
                next(reader)
                marks = ", ".join(["%s"] * len(header))
                cur.executemany(f"INSERT INTO {table} VALUES ({marks})", list(reader))
    return time.perf_counter() - start


def run() -> None:
    folder = Path(tempfile.mkdtemp(prefix="rosc-hsds-bench-"))
    generate(folder)
    total_rows = sum(len((folder / name).read_text().splitlines()) - 1 for name in TABLES)
    floor = raw_floor(folder)
    start = time.perf_counter()
    report = hsds_import(path=folder)
    took = time.perf_counter() - start
    again_start = time.perf_counter()
    hsds_import(path=folder)
    again = time.perf_counter() - again_start
    print(f"  scale: {SERVICES} services, {total_rows} rows in 4 files ({connection.vendor})")
    print(
        f"  import-hsds: {took:6.2f} s = {SERVICES / took:7.0f} services/s "
        f"({report.total_imported} rows imported, {len(report.errors)} refused)"
    )
    print(f"  re-import (all upserts): {again:6.2f} s = {SERVICES / again:7.0f} services/s")
    print(
        f"  floor (csv read + raw executemany, no checks): {floor:6.2f} s   "
        f"ratio {took / floor:5.1f}x   target >= 2,000 services/s"
    )
