"""The demo's events: a rally, a naloxone training, a celebration, a full one with a waitlist."""

from rosc.accounts.services import organization_create
from rosc.councils.services import council_create
from rosc.demo.network import ORGANIZATIONS
from rosc.events.demo import build_demo_events, clear_demo_events
from rosc.events.models import Event, EventKind, Registration, RegistrationStatus
from rosc.events.selectors import attendance, events_upcoming

NEEDED = ("riverbend", "host_metro", "open_door", "second_wind", "northside", "prairie_path")


def test_the_demo_has_a_rally_a_training_a_celebration_and_a_full_event_with_a_waitlist(db):
    specs = {o.key: o for o in ORGANIZATIONS if o.key in NEEDED}
    orgs = {
        key: organization_create(name=spec.name, slug=spec.slug, kind=spec.kind)
        for key, spec in specs.items()
    }
    councils = {
        "metro": council_create(
            name="Metro", host=orgs["host_metro"], counties=[], time_zone="America/Chicago"
        ),
        "capital": council_create(
            name="Capital", host=orgs["host_metro"], counties=[], time_zone="America/Chicago"
        ),
    }
    events = build_demo_events(orgs, councils, seed=7)
    kinds = {e.kind for e in events_upcoming()}
    assert {EventKind.RALLY, EventKind.TRAINING, EventKind.CELEBRATION} <= kinds
    full = [e for e in events if e.capacity and e.registrations.filter(status="waitlisted")]
    assert len(full) == 1
    assert (
        full[0].registrations.filter(status=RegistrationStatus.REGISTERED).count()
        == full[0].capacity
    )
    past = next(e for e in events if e.slug == "family-night-demo")
    assert attendance(past)["attended"] == 9 and attendance(past)["walk_ins"] == 4
    assert all(r.email.endswith("@example.org") for r in Registration.objects.all())
    clear_demo_events()
    assert not Event.objects.exists() and not Registration.objects.exists()
