"""Logging a contact: the quick form's defaults, the rules, and nothing saved on bad input."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rosc.core.models import AuditEvent
from rosc.encounters.models import Encounter
from rosc.encounters.selectors import encounter_defaults_for
from rosc.encounters.services import encounter_log

from .conftest import NOTE


def new_path(person) -> str:
    return f"/participants/{person.public_id}/contacts/new/"


def quick_form(when, **overrides):
    data = {
        "occurred_at": when.astimezone(ZoneInfo("America/Chicago")).strftime("%Y-%m-%dT%H:%M"),
        "kind": "phone",
        "duration_minutes": "15",
        "place": "remote",
    }
    data.update(overrides)
    return data


def test_a_contact_logged_without_a_time_happened_now(world, person, log):
    before = timezone.now()
    encounter = log(person)
    assert before <= encounter.occurred_at <= timezone.now()
    assert encounter.logged_at == encounter.occurred_at
    assert encounter.organization == world.orgs["rco_a"]
    assert encounter.logged_by == world.users["rco_a_peer"]
    assert encounter.voided_at is None


def test_logging_is_audited_without_the_note(world, person, log):
    encounter = log(person, note=NOTE)
    event = AuditEvent.objects.get(
        action=AuditEvent.Action.CREATE, record_type="encounters.encounter"
    )
    assert event.record_id == str(encounter.public_id)
    assert event.subject_id == str(person.public_id)
    assert event.record_organization_id == world.orgs["rco_a"].public_id
    assert "job interview" not in str(event.record_label) + str(event.detail)


def test_the_quick_form_opens_with_now_and_the_staff_members_last_kind_length_and_place(
    world, person, log, as_persona
):
    log(
        person,
        kind="text",
        duration_minutes=10,
        place="remote",
        occurred_at=timezone.now() - timedelta(days=2),
    )
    log(
        person,
        kind="in_reach",
        duration_minutes=45,
        place="jail",
        occurred_at=timezone.now() - timedelta(days=1),
    )
    # Someone else's habits are not this peer's defaults.
    log(person, persona="rco_a_supervisor", kind="group", duration_minutes=90, place="community")

    response = as_persona("rco_a_peer").get(new_path(person))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["kind"] == "in_reach"
    assert form.initial["duration_minutes"] == 45
    assert form.initial["place"] == "jail"
    opened = form.initial["occurred_at"]
    assert abs(opened - timezone.now()) < timedelta(minutes=1)
    assert b'value="in_reach"' in response.content and b"checked" in response.content


def test_a_staff_member_who_never_logged_gets_sensible_defaults(world, person):
    defaults = encounter_defaults_for(
        user=world.users["rco_a_admin"], organization=world.orgs["rco_a"]
    )
    assert (defaults.kind, defaults.duration_minutes, defaults.place) == ("one_to_one", 30, "rco")


def test_the_peer_logs_a_contact_and_returns_to_the_persons_page(world, person, as_persona):
    peer = as_persona("rco_a_peer")
    when = timezone.now() - timedelta(minutes=20)

    response = peer.post(
        new_path(person),
        quick_form(when, life_domains=["housing", "legal"], needs="A ride to court", note=NOTE),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/participants/{person.public_id}/"
    encounter = Encounter.objects.get()
    assert encounter.kind == "phone"
    assert encounter.duration_minutes == 15
    assert encounter.place == "remote"
    assert encounter.life_domains == ["housing", "legal"]
    assert encounter.needs == "A ride to court"
    assert encounter.note == NOTE
    # Typed in the organization's time zone, to the minute.
    assert abs(encounter.occurred_at - when) < timedelta(minutes=1)
    page = peer.get(response["Location"])
    assert "Contact with Maria Garcia logged: phone call, 15 min." in page.content.decode()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"occurred_at_delta": timedelta(hours=2)}, "occurred_at", "cannot be in the future"),
        ({"duration_minutes": "0"}, "duration_minutes", "from 1 to 600"),
        ({"duration_minutes": "1000"}, "duration_minutes", "from 1 to 600"),
        ({"duration_minutes": "half an hour"}, "duration_minutes", "from 1 to 600"),
        ({"kind": "telepathy"}, "kind", "Choose what kind of contact it was."),
        ({"place": "moon"}, "place", "Choose where the contact happened."),
        ({"place": "other"}, "place_detail", "Say in a few words where it happened."),
        ({"occurred_at": "yesterday-ish"}, "occurred_at", "Enter the date and time"),
        ({"occurred_at": "1999-12-31T10:00"}, "occurred_at", "before the year 2000"),
        ({"life_domains": ["housing", "vibes"]}, "life_domains", "Choose life domains"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(
    world, person, as_persona, change, field, message
):
    change = dict(change)
    when = timezone.now() + change.pop("occurred_at_delta", timedelta(0))
    events_before = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).count()

    response = as_persona("rco_a_peer").post(new_path(person), quick_form(when, **change))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.content.decode()
    assert not Encounter.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).count() == events_before


def test_a_few_minutes_of_clock_skew_is_allowed(world, person, log):
    encounter = log(person, occurred_at=timezone.now() + timedelta(minutes=3))
    assert encounter.pk is not None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 601}, "duration_minutes"),
        ({"duration_minutes": True}, "duration_minutes"),
        ({"kind": "video_call"}, "kind"),
        ({"occurred_at": timezone.now() + timedelta(days=1)}, "occurred_at"),
        ({"needs": "x" * 1001}, "needs"),
        ({"life_domains": ["housing", "housing"]}, "life_domains"),
    ],
)
def test_the_service_refuses_what_the_form_might_let_through(world, person, log, fields, field):
    with pytest.raises(ValidationError) as caught:
        log(person, **fields)
    assert field in caught.value.message_dict
    assert not Encounter.objects.exists()


def test_the_quick_form_shows_every_kind_as_a_choice(world, person, as_persona):
    page = as_persona("rco_a_peer").get(new_path(person)).content.decode()
    for label in (
        "One-to-one",
        "Group",
        "Phone call",
        "Text message",
        "Video call",
        "Outreach",
        "Went with them to an appointment",
        "In-reach (jail or hospital)",
    ):
        assert label in page
    assert page.count('type="radio"') == 8


def test_a_partner_organization_cannot_log_for_someone_it_did_not_enrol(world, person, actor_of):
    from rosc.accounts.services import PermissionDenied

    with pytest.raises(PermissionDenied):
        encounter_log(
            actor=actor_of("provider_staff"),
            participant=person,
            kind="phone",
            duration_minutes=5,
            place="remote",
        )
    assert not Encounter.objects.exists()
