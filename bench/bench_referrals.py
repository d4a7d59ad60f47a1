"""Referrals: a partner's inbox and a referral's page among a million referrals.

Scale (BENCH_REFERRALS_SCALE, a fraction; default 1.0): 2,000 organizations, 100,000 people,
1,000,000 referrals with their events (see bench/referrals_data.py). A database named by
BENCH_DATABASE_URL that already holds the world is reused.

Each page is requested through Django's whole stack with the test Client of a signed-in staff
member (second factor passed) of a receiving organization: GET /referrals/inbox/ (the first
page, newest first) and GET /referrals/<id>/ (a random referral sent to that organization; the
first view of each also records that it was opened). BENCH_REFERRALS_REQUESTS (default 200) of
each. The floor, as in bench_casework: the very statements a twin request ran, replayed raw
through the driver's cursor in one transaction. Targets: p95 <= 100 ms and within 3x the floor.
"""

import os
import random
from collections.abc import Callable
from functools import partial

from django.db import connection

from bench import referrals_data
from bench.bench_casework import (
    _load,
    _sign_in,
    measure_page,
    prewarm,
    print_stack_alone,
    print_verdict,
)
from rosc.accounts.models import User

SCALE = float(os.environ.get("BENCH_REFERRALS_SCALE", "1.0"))
REQUESTS = int(os.environ.get("BENCH_REFERRALS_REQUESTS", "200"))
STAFF = 40  # signed-in staff members of receiving organizations


def run() -> None:
    rng = random.Random(29)
    print(
        f"  scale {SCALE:g} ({connection.vendor}); loading "
        f"(BENCH_REFERRALS_SCALE=0.01 for a quick run)",
        flush=True,
    )
    world = referrals_data.existing()
    if world is not None:
        print("  the database already holds the referral world (BENCH_DATABASE_URL): reused")
    else:
        world = referrals_data.load(scale=SCALE)
        rows = sum(world.counts.values())
        print(
            "  loaded "
            + ", ".join(f"{n:,} {what}" for what, n in world.counts.items())
            + f"\n  {rows:,} rows in {world.seconds['rows']:.0f} s, indexes + constraints "
            f"{world.seconds['indexes']:.0f} s, ANALYZE {world.seconds['analyze']:.0f} s; "
            f"total {world.seconds['total']:.0f} s",
            flush=True,
        )
    orgs = [pk for pk in sorted(world.received) if world.received[pk]]
    chosen = rng.sample(orgs, min(STAFF, len(orgs)))
    users = User.objects.in_bulk([world.staff[pk] for pk in chosen])
    clients = {pk: _sign_in(users[world.staff[pk]]) for pk in chosen}

    def inbox(org: int, _referral: str) -> None:
        response = clients[org].get("/referrals/inbox/")
        assert response.status_code == 200, response.status_code

    def detail(org: int, referral: str) -> None:
        response = clients[org].get(f"/referrals/{referral}/")
        assert response.status_code == 200, (response.status_code, org, referral)

    pages = [("GET /referrals/inbox/", inbox), ("GET /referrals/<id>/", detail)]
    print(f"  warm cache: {prewarm()}", flush=True)
    for _, request in pages:
        for _ in range(5):
            org = rng.choice(chosen)
            request(org, rng.choice(world.received[org]))
    print(f"  load average before measuring {_load()} on {os.cpu_count()} CPUs", flush=True)
    print_stack_alone(clients[chosen[0]])

    def draw(request: Callable[[int, str], None]) -> Callable[[], None]:
        org = rng.choice(chosen)
        return partial(request, org, rng.choice(world.received[org]))

    print_verdict([measure_page(name, partial(draw, request)) for name, request in pages])
