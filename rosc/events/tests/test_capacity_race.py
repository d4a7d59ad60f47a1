"""Two people taking the last place at the same moment: only one gets it (PostgreSQL only:
SQLite serializes every write anyway, and its in-memory test database is one connection)."""

import threading

import pytest
from django.db import connection, connections

from rosc.events.models import RegistrationStatus
from rosc.events.services import registration_create
from rosc.events.tests.factories import make_event


@pytest.mark.django_db(transaction=True)
def test_two_people_racing_for_the_last_place_cannot_both_get_it(world, actor_of):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    event = make_event(actor_of("rco_a_admin"), world.orgs["rco_a"], capacity=1)
    start = threading.Barrier(2)
    statuses: list[str] = []
    errors: list[BaseException] = []

    def register(i: int) -> None:
        try:
            start.wait(timeout=10)
            registration = registration_create(
                event=event, name=f"Person {i}", email=f"person{i}@example.org"
            )
            statuses.append(registration.status)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert sorted(statuses) == [RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]
