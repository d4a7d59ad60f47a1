"""Keeping listings true: who may edit which listing, what is audited, and the checks."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError

from rosc.core.models import AuditEvent
from rosc.directory import services
from rosc.directory.models import Location, Phone, Schedule, Service, ServiceAtLocation
from rosc.directory.validation import check_coordinates, check_hours, clean_phone


def listing(org, name="Peer recovery coaching"):
    service = Service.objects.create(organization=org, name=name, status="active")
    location = Location.objects.create(
        organization=org,
        name="Main office",
        location_type="physical",
        latitude=39.8,
        longitude=-89.64,
    )
    ServiceAtLocation.objects.create(service=service, location=location)
    Phone.objects.create(service=service, number="217-555-0142", type="voice")
    return service, location


def service_url(org, service):
    return f"/directory/manage/{org.public_id}/services/{service.public_id}/"


def service_post(service, **overrides):
    phone = service.phones.first()
    data = {
        "name": service.name,
        "description": service.description,
        "status": "active",
        "url": "",
        "email": "",
        "languages": "English, Spanish",
        "fees_description": "",
        "phones-TOTAL_FORMS": "1",
        "phones-INITIAL_FORMS": "1",
        "phones-0-public_id": str(phone.public_id),
        "phones-0-number": phone.number,
        "phones-0-type": "voice",
        "phones-0-extension": "",
        "phones-0-description": "",
        "schedules-TOTAL_FORMS": "0",
        "schedules-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_an_organization_admin_edits_their_own_listing_and_the_change_is_audited(world, as_persona):
    org = world.orgs["rco_a"]
    service, _ = listing(org)
    client = as_persona("rco_a_admin")

    response = client.post(
        service_url(org, service),
        service_post(service, **{"phones-0-number": "(217) 555-0199", "email": "hi@example.org"}),
    )

    assert response.status_code == 302
    service.refresh_from_db()
    assert service.email == "hi@example.org"
    assert service.phones.get().number == "(217) 555-0199"
    event = AuditEvent.objects.filter(
        record_id=str(service.public_id), action=AuditEvent.Action.UPDATE
    ).get()
    changed = event.detail["changed"]
    assert changed["email"] == ["", "hi@example.org"]
    assert list(changed["phones changed"].values()) == [
        {"number": ["217-555-0142", "(217) 555-0199"]}
    ]
    assert changed["languages"] == [[], ["English", "Spanish"]]
    assert event.username == "rco_a_admin"
    assert event.record_organization_id == org.public_id


def test_an_organization_admin_gets_404_and_a_denied_event_for_another_organizations_listing(
    world, as_persona
):
    other = world.orgs["rco_b"]
    service, location = listing(other)
    client = as_persona("rco_a_admin")
    pages = [
        f"/directory/manage/{other.public_id}/",
        service_url(other, service),
        f"/directory/manage/{other.public_id}/locations/{location.public_id}/",
        f"/directory/manage/{other.public_id}/services/new/",
    ]
    for page in pages:
        before = AuditEvent.objects.count()
        assert client.get(page).status_code == 404, page
        denied = AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED).order_by("-id")[0]
        assert AuditEvent.objects.count() == before + 1
        assert denied.username == "rco_a_admin"
        assert denied.record_organization_id == other.public_id

    response = client.post(service_url(other, service), service_post(service, name="Taken"))
    assert response.status_code == 404
    service.refresh_from_db()
    assert service.name == "Peer recovery coaching"


def test_a_service_of_another_organization_under_ones_own_listing_is_404(world, as_persona):
    own, other = world.orgs["rco_a"], world.orgs["rco_b"]
    service, _ = listing(other)
    response = as_persona("rco_a_admin").get(service_url(own, service))
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["rco_a_peer", "rco_a_supervisor", "network_admin"])
def test_staff_without_the_directory_permission_get_404_for_their_own_listing(
    world, as_persona, persona
):
    org = world.org_of(persona)
    service, _ = listing(org)
    client = as_persona(persona)
    assert client.get(f"/directory/manage/{org.public_id}/").status_code == 404
    assert client.get(service_url(org, service)).status_code == 404
    assert client.get("/directory/manage/").status_code == 404
    assert AuditEvent.objects.filter(username=persona, outcome="denied").count() == 3


def test_the_data_steward_edits_any_organizations_listing(world, as_persona):
    org = world.orgs["court"]
    client = as_persona("data_steward")
    response = client.post(
        f"/directory/manage/{org.public_id}/",
        {
            "name": org.name,
            "kind": org.kind,
            "peer_led": "on",
            "recovery_pathways": ["harm_reduction", "mutual_aid"],
            "accepting_new_people": "yes",
            "capacity_note": "Walk-ins welcome",
            "url": "https://court.example.org",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.peer_led is True
    assert org.recovery_pathways == ["mutual_aid", "harm_reduction"]
    assert org.accepting_new_people is True
    event = AuditEvent.objects.get(record_id=str(org.public_id), action="update")
    assert event.detail["changed"]["accepting_new_people"] == [None, True]
    assert event.detail["changed"]["url"] == ["", "https://court.example.org"]
    assert event.username == "data_steward"


def test_verified_today_sets_the_date_and_is_audited(world, as_persona):
    org = world.orgs["rco_a"]
    response = as_persona("rco_a_admin").post(f"/directory/manage/{org.public_id}/verified/")
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.last_verified_on is not None
    event = AuditEvent.objects.get(record_id=str(org.public_id), action="update")
    assert event.detail["changed"]["last_verified_on"] == [None, org.last_verified_on.isoformat()]


def test_a_bad_phone_number_is_shown_next_to_its_field_and_nothing_is_saved(world, as_persona):
    org = world.orgs["rco_a"]
    service, _ = listing(org)
    response = as_persona("rco_a_admin").post(
        service_url(org, service),
        service_post(service, name="Renamed", **{"phones-0-number": "555-01"}),
    )
    assert response.status_code == 200
    assert "Enter a 10-digit number" in response.content.decode()
    assert 'href="#id_phones-0-number"' in response.content.decode()
    service.refresh_from_db()
    assert service.name == "Peer recovery coaching"


def test_hours_that_close_before_they_open_need_past_midnight_ticked(world, as_persona):
    org = world.orgs["rco_a"]
    service, _ = listing(org)
    client = as_persona("rco_a_admin")
    hours = {
        "schedules-TOTAL_FORMS": "1",
        "schedules-0-byday": ["FR", "SA"],
        "schedules-0-opens_at": "22:00",
        "schedules-0-closes_at": "02:00",
    }
    response = client.post(service_url(org, service), service_post(service, **hours))
    assert response.status_code == 200
    assert "past midnight" in response.content.decode()
    assert not Schedule.objects.exists()

    hours["schedules-0-past_midnight"] = "on"
    response = client.post(service_url(org, service), service_post(service, **hours))
    assert response.status_code == 302
    schedule = Schedule.objects.get(service=service)
    assert (schedule.byday, schedule.opens_at, schedule.closes_at) == ("FR,SA", time(22), time(2))


def test_a_new_place_checks_its_coordinates(world, as_persona):
    org = world.orgs["rco_a"]
    service, _ = listing(org)
    data = {
        "name": "Annex",
        "address_1": "1 Main St",
        "city": "Springfield",
        "state_province": "IL",
        "postal_code": "62701",
        "country": "US",
        "latitude": "95",
        "longitude": "-89.6",
        "services": [str(service.public_id)],
        "phones-TOTAL_FORMS": "0",
        "phones-INITIAL_FORMS": "0",
    }
    client = as_persona("rco_a_admin")
    url = f"/directory/manage/{org.public_id}/locations/new/"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Latitude is between -90 and 90." in response.content.decode()

    data["latitude"] = "39.81"
    assert client.post(url, data).status_code == 302
    annex = Location.objects.get(name="Annex")
    assert annex.addresses.get().postal_code == "62701"
    assert ServiceAtLocation.objects.filter(location=annex, service=service).exists()
    assert AuditEvent.objects.filter(record_id=str(annex.public_id), action="create").exists()


@pytest.mark.parametrize(
    "number",
    ["217-555-0142", "(217) 555-0142", "1 217 555 0142", "+44 20 7946 0958", "988", "211"],
)
def test_phone_numbers_people_can_dial_are_accepted(number):
    assert clean_phone(number) == number


@pytest.mark.parametrize(
    "number", ["555-01", "call us", "017-555-0142", "+12", "217-555-0142 ext 4", "1234567890123"]
)
def test_phone_numbers_that_cannot_be_dialled_are_refused(number):
    with pytest.raises(ValidationError):
        clean_phone(number)


def test_coordinates_and_hours_are_checked():
    with pytest.raises(ValidationError):
        check_coordinates(10, 181)
    with pytest.raises(ValidationError):
        check_coordinates(10, None)
    check_coordinates(-90, 180)
    check_hours(time(9), time(17))
    check_hours(time(22), time(2), past_midnight=True)
    with pytest.raises(ValidationError):
        check_hours(time(9), time(9))


def test_the_service_refuses_a_bad_phone_even_without_the_form(world, actor_of):
    service, _ = listing(world.orgs["rco_a"])
    with pytest.raises(ValidationError) as caught:
        services.service_update(
            actor=actor_of("rco_a_admin"),
            service=service,
            changes={"name": "Renamed"},
            phones=[{"number": "12"}],
        )
    assert "phones-0-number" in caught.value.message_dict
    service.refresh_from_db()
    assert service.name == "Peer recovery coaching"


def test_the_header_links_to_the_listings_only_for_those_who_keep_them(world, as_persona):
    link = b'href="/directory/manage/"'
    assert link in as_persona("data_steward").get("/").content
    assert link in as_persona("rco_a_admin").get("/").content
    assert link not in as_persona("rco_a_peer").get("/").content
    assert link not in as_persona("council_coordinator").get("/").content
