"""Meetings: the public finder and the full Meeting Guide feed among 5,000 meetings.

5,000 meetings (BENCH_MEETINGS, default 5000) spread over Illinois towns, days, times, time
zones, types and in person / online / hybrid, loaded with bulk_create through the same derived
columns the import service writes. Requests go through Django's whole stack with an anonymous
test Client: GET /meetings/ with varied filters (day, time of day, type, attendance, near a ZIP,
starting soon, free text; BENCH_MEETINGS_REQUESTS, default 200) and GET /meetings.json (the whole
feed, 15 times). The floor, as in bench_casework: the statements a twin request ran, replayed raw
through the driver's cursor. Targets: finder p95 <= 50 ms, feed <= 1 s.
"""

import os
import random
import statistics
import time
from datetime import time as clock

from django.db import connection
from django.test import Client

from bench.bench_casework import (
    TRANSACTION_CONTROL,
    Figures,
    Recorder,
    TemplateTimer,
    _load,
    prewarm,
    replay,
)
from bench.timing import percentile
from rosc.meetings.demo import TOWNS, TYPE_SETS
from rosc.meetings.models import Meeting, MeetingFeed
from rosc.meetings.services import _derive

COUNT = int(os.environ.get("BENCH_MEETINGS", "5000"))
REQUESTS = int(os.environ.get("BENCH_MEETINGS_REQUESTS", "200"))
FEED_REQUESTS = 15
FINDER_TARGET_MS = 50.0
FEED_TARGET_MS = 1000.0
ZONES = ("America/Chicago", "America/Chicago", "America/Chicago", "America/New_York")


def load(rng: random.Random) -> float:
    t0 = time.perf_counter()
    feed, _ = MeetingFeed.objects.get_or_create(
        url="https://bench.example.org/meetings.json", defaults={"name": "Bench feed"}
    )
    Meeting.objects.filter(feed=feed).delete()
    batch = []
    for i in range(COUNT):
        town, zip_code, lat, lng = rng.choice(TOWNS)
        mode = rng.choice(("in_person", "in_person", "hybrid", "online"))
        values = {
            "name": f"{rng.choice(('Hope', 'Serenity', 'Just for Today', 'Step Study'))} {i}",
            "slug": f"bench-{i}",
            "days": sorted(rng.sample(range(7), rng.choice((1, 1, 2, 5)))),
            "time": clock(rng.randrange(6, 23), rng.choice((0, 15, 30, 45))),
            "end_time": None,
            "time_zone": rng.choice(ZONES),
            "types": rng.choice(TYPE_SETS),
            "group": f"{town} Group {i % 300}",
            "notes": "Everyone welcome.",
            "region": town,
        }
        if mode != "online":
            values.update(
                location=f"{town} Community Center",
                address=f"{rng.randint(100, 3000)} Main Street",
                city=town,
                state="IL",
                postal_code=zip_code,
                latitude=round(lat + rng.uniform(-0.2, 0.2), 5),
                longitude=round(lng + rng.uniform(-0.2, 0.2), 5),
            )
        else:
            values.update(formatted_address=f"{town}, IL, USA", approximate=True)
        if mode != "in_person":
            values["conference_url"] = f"https://meet.example.org/{i}"
        batch.append(Meeting(feed=feed, **_derive(values)))
    Meeting.objects.bulk_create(batch, batch_size=1000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE meetings_meeting")
    return time.perf_counter() - t0


def queries(rng: random.Random) -> list[str]:
    zips = [t[1] for t in TOWNS]
    kinds = [
        lambda: f"day={rng.randrange(7)}",
        lambda: f"day={rng.randrange(7)}&time={rng.choice(('morning', 'evening', 'night'))}",
        lambda: f"type={rng.choice(('O', 'C', 'W', 'SP', 'ST'))}&attendance=online",
        lambda: f"near={rng.choice(zips)}&radius=25",
        lambda: f"near={rng.choice(zips)}&radius=10&day={rng.randrange(7)}&attendance=in_person",
        lambda: "soon=on",
        lambda: f"q={rng.choice(('hope', 'serenity', 'peoria', 'group 12'))}",
        lambda: f"day={rng.randrange(7)}&page=3",
    ]
    return [rng.choice(kinds)() for _ in range(REQUESTS)]


def measure(name: str, paths: list[str], client: Client, target_ms: float) -> Figures:
    figures = Figures(name)
    for path in paths:
        t0 = time.perf_counter()
        c0 = time.thread_time()
        response = client.get(path)
        figures.stack.append(time.perf_counter() - t0)
        figures.cpu.append(time.thread_time() - c0)
        assert response.status_code == 200, (path, response.status_code)
        recorder = Recorder()
        with connection.execute_wrapper(recorder), TemplateTimer() as templates:
            t0 = time.perf_counter()
            client.get(path)
            figures.twin.append(time.perf_counter() - t0)
        figures.in_templates.append(templates.seconds)
        figures.queries.append(
            sum(
                1
                for sql, _, _ in recorder.statements
                if not sql.lstrip().upper().startswith(TRANSACTION_CONTROL)
            )
        )
        figures.floor.append(replay(recorder.statements))
    p50, p95 = percentile(figures.stack, 50), percentile(figures.stack, 95)
    f50, f95 = percentile(figures.floor, 50), percentile(figures.floor, 95)
    print(
        f"  {name:<22} p50 {p50 * 1e3:7.1f} ms  p95 {p95 * 1e3:7.1f} ms | floor p50 "
        f"{f50 * 1e3:6.1f} ms  p95 {f95 * 1e3:6.1f} ms | ratio p50 {p50 / f50:5.1f}x  "
        f"p95 {p95 / f95:5.1f}x | queries {statistics.median(figures.queries):.0f} | "
        f"{'OK' if p95 * 1e3 <= target_ms else 'MISSED'} <= {target_ms:.0f} ms\n"
        f"  {'':<22} medians of the twin requests: {statistics.median(figures.twin) * 1e3:.1f} ms"
        f" = SQL {statistics.median(figures.floor) * 1e3:.1f} ms + templates "
        f"{statistics.median(figures.in_templates) * 1e3:.1f} ms + other Python "
        f"{statistics.median(figures.rest) * 1e3:.1f} ms",
        flush=True,
    )
    return figures


def run() -> None:
    rng = random.Random(41)
    seconds = load(rng)
    print(f"  loaded {COUNT:,} meetings in {seconds:.1f} s ({connection.vendor})", flush=True)
    print(f"  warm cache: {prewarm()}", flush=True)
    client = Client()
    paths = [f"/meetings/?{q}" for q in queries(rng)]
    for path in paths[:10]:
        client.get(path)
    client.get("/meetings.json")
    print(f"  load average before measuring {_load()} on {os.cpu_count()} CPUs", flush=True)
    finder = measure("GET /meetings/?…", paths, client, FINDER_TARGET_MS)
    feed = measure("GET /meetings.json", ["/meetings.json"] * FEED_REQUESTS, client, FEED_TARGET_MS)
    size = len(client.get("/meetings.json").content)
    print(f"  feed: {size / 1024:.0f} KB for {COUNT:,} meetings")
    met = (
        percentile(finder.stack, 95) * 1e3 <= FINDER_TARGET_MS
        and percentile(feed.stack, 95) * 1e3 <= FEED_TARGET_MS
    )
    print(
        f"  targets: finder p95 <= {FINDER_TARGET_MS:.0f} ms, feed <= {FEED_TARGET_MS:.0f} ms: "
        + ("all met" if met else "NOT all met")
        + f" (load average {_load()})"
    )
