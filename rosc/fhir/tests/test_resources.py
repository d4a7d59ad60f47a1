"""What the FHIR endpoints serve: valid R4 (fhir.resources R4B models), SDOHCC-shaped, and only
what the viewing side may see."""

import pytest

from rosc.consent.models import Category
from rosc.consent.services import consent_revoke
from rosc.fhir import resources as fr
from rosc.fhir.tests.conftest import give_consent, r4_parse
from rosc.referrals.models import ReferralStatus
from rosc.referrals.services import referral_create, referral_transition

pytestmark = pytest.mark.django_db


def _get(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.content[:400])
    assert response["Content-Type"].startswith("application/fhir+json")
    return response.json()


def test_every_resource_of_a_referral_validates_and_carries_its_profile(
    as_persona, referral, housing_service
):
    peer, partner = as_persona("rco_a_peer"), as_persona("provider_staff")
    rid = referral.public_id
    for client in (peer, partner):
        task = _get(client, f"/fhir/Task/{rid}")
        request = _get(client, f"/fhir/ServiceRequest/{rid}")
        bundle = _get(client, f"/fhir/Bundle/{rid}")
        patient = _get(client, f"/fhir/{task['for']['reference']}")
        consent = _get(client, f"/fhir/{request['supportingInfo'][0]['reference']}")
        for resource in (task, request, bundle, patient, consent):
            assert r4_parse(resource).id == resource["id"]
        assert task["meta"]["profile"] == [fr.TASK_PROFILE]
        assert request["meta"]["profile"] == [fr.SERVICE_REQUEST_PROFILE]
        assert consent["meta"]["profile"] == [fr.CONSENT_PROFILE]
        kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
        assert kinds == [
            "Task",
            "ServiceRequest",
            "Patient",
            "Organization",
            "Organization",
            "HealthcareService",
            "Consent",
        ]
        for item in bundle["entry"]:
            r4_parse(item["resource"])
            assert item["fullUrl"].endswith(
                f"/fhir/{item['resource']['resourceType']}/{item['resource']['id']}"
            )
    public = as_persona("rco_b_peer")
    service = _get(public, f"/fhir/HealthcareService/{housing_service.public_id}")
    organization = _get(public, f"/fhir/Organization/{referral.recipient_organization.public_id}")
    assert service["meta"]["profile"] == [fr.HEALTHCARE_SERVICE_PROFILE]
    assert service["telecom"][0]["extension"][0]["url"] == fr.APPOINTMENT_EXTENSION
    assert organization["meta"]["profile"] == [fr.US_CORE_ORGANIZATION_PROFILE]
    r4_parse(service)
    r4_parse(organization)
    r4_parse(_get(public, "/fhir/metadata"))


def test_the_task_and_request_say_what_the_referral_is(as_persona, referral, housing_service):
    task = _get(as_persona("provider_staff"), f"/fhir/Task/{referral.public_id}")
    request = _get(as_persona("provider_staff"), f"/fhir/ServiceRequest/{referral.public_id}")
    assert (task["status"], task["intent"], task["priority"]) == ("requested", "order", "asap")
    assert task["code"]["coding"][0] == {
        "system": "http://hl7.org/fhir/CodeSystem/task-code",
        "code": "fulfill",
        "display": "Fulfill the focal request",
    }
    assert task["focus"] == {"reference": f"ServiceRequest/{referral.public_id}"}
    assert (
        task["requester"]["reference"] == f"Organization/{referral.sender_organization.public_id}"
    )
    assert task["owner"]["reference"] == f"Organization/{referral.recipient_organization.public_id}"
    assert task["authoredOn"] == fr.fhir_instant(referral.sent_at)
    assert request["status"] == "active"
    assert request["category"][0]["coding"][0]["code"] == "housing-instability"
    assert request["category"][0]["coding"][0]["system"] == fr.SDOHCC_CODES
    assert request["performer"] == [
        {
            "reference": f"HealthcareService/{housing_service.public_id}",
            "display": "Recovery housing navigation",
        }
    ]
    assert request["note"] == [{"text": "Mari would like a call in the afternoon."}]
    assert request["supportingInfo"] == [{"reference": f"Consent/{referral.consent.public_id}"}]


def test_the_recipient_sees_the_person_only_as_shared_and_the_sender_from_its_record(
    as_persona, referral, maria
):
    partner = _get(as_persona("provider_staff"), f"/fhir/Bundle/{referral.public_id}")
    sender = _get(as_persona("rco_a_peer"), f"/fhir/Bundle/{referral.public_id}")
    theirs = partner["entry"][2]["resource"]
    ours = sender["entry"][2]["resource"]
    assert theirs["id"] == str(referral.public_id)  # never the sender's participant id
    assert str(maria.public_id) not in str(partner)
    assert ours["id"] == str(maria.public_id)
    for patient in (theirs, ours):
        assert patient["name"][0] == {
            "use": "official",
            "text": "Maria Garcia",
            "family": "Garcia",
            "given": ["Maria"],
        }
        assert patient["name"][1]["text"] == "Mari"
        assert patient["telecom"][0] == {"system": "sms", "value": "555-0100", "rank": 1}
        assert patient["communication"][0]["language"] == {"text": "Spanish"}


def test_the_recipients_patient_has_no_name_when_identity_was_not_shared(
    world, actor_of, enrol, as_persona
):
    peer = actor_of("rco_a_peer")
    provider = world.org_of("provider_staff")
    ana = enrol("rco_a_peer", "Ana", "Lopez", phone="555-0111")
    give_consent(peer, ana, provider, [Category.REFERRAL_DETAILS])
    referral = referral_create(
        actor=peer,
        participant=ana,
        recipient_organization=provider,
        need="employment_education",
        categories=[],
    )
    assert Category.IDENTITY_CONTACT not in referral.shared
    client = as_persona("provider_staff")
    patient = _get(client, f"/fhir/Patient/{referral.public_id}")
    assert patient == {"resourceType": "Patient", "id": str(referral.public_id)}
    bundle = _get(client, f"/fhir/Bundle/{referral.public_id}")
    assert "Lopez" not in str(bundle) and "555-0111" not in str(bundle)
    r4_parse(bundle)


def test_a_task_follows_the_status_changes_made_on_the_page(as_persona, actor_of, referral):
    partner = actor_of("provider_staff")
    client = as_persona("rco_a_peer")
    referral_transition(actor=partner, referral=referral, to_status="accepted")
    assert _get(client, f"/fhir/Task/{referral.public_id}")["status"] == "accepted"
    referral_transition(actor=partner, referral=referral, to_status="in-progress")
    referral_transition(
        actor=partner, referral=referral, to_status="on-hold", text="Waiting for a room"
    )
    task = _get(client, f"/fhir/Task/{referral.public_id}")
    assert task["status"] == "on-hold"
    assert task["statusReason"]["text"] == "Waiting for a room"
    assert _get(client, f"/fhir/ServiceRequest/{referral.public_id}")["status"] == "active"
    referral_transition(
        actor=partner, referral=referral, to_status="failed", reason="could_not_reach"
    )
    task = _get(client, f"/fhir/Task/{referral.public_id}")
    assert task["status"] == "failed"
    assert task["statusReason"]["text"] == "Could not reach the person"
    assert task["statusReason"]["coding"][0]["code"] == "could_not_reach"
    assert "end" in task["executionPeriod"]
    assert _get(client, f"/fhir/ServiceRequest/{referral.public_id}")["status"] == "revoked"
    r4_parse(task)


def test_a_revoked_consent_reads_as_rejected_to_both_sides(as_persona, actor_of, referral):
    consent = referral.consent
    consent_revoke(actor=actor_of("rco_a_peer"), consent=consent, note="Changed my mind")
    for persona in ("rco_a_peer", "provider_staff"):
        read = _get(as_persona(persona), f"/fhir/Consent/{consent.public_id}")
        assert read["status"] == "rejected"
        assert read["category"][0]["coding"][0]["code"] == "IDSCL"
        assert read["scope"]["coding"][0]["code"] == "patient-privacy"
        assert read["provision"]["actor"][0]["reference"]["reference"] == (
            f"Organization/{referral.recipient_organization.public_id}"
        )
        assert "Garcia" not in str(read)
    recipient_view = _get(as_persona("provider_staff"), f"/fhir/Consent/{consent.public_id}")
    assert recipient_view["patient"] == {"reference": f"Patient/{referral.public_id}"}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("draft", "draft"),
        ("requested", "active"),
        ("on-hold", "active"),
        ("completed", "completed"),
        ("rejected", "revoked"),
        ("cancelled", "revoked"),
        ("entered-in-error", "entered-in-error"),
    ],
)
def test_the_service_request_status_is_derived_from_the_task_status(status, expected):
    assert fr.SERVICE_REQUEST_STATUS[ReferralStatus(status)] == expected


def test_every_life_domain_has_an_sdohcc_category_and_reads_back_as_itself():
    from rosc.people.models import LifeDomain

    for domain in LifeDomain:
        categories = fr.need_categories(domain.value)
        sdohcc = categories[0]["coding"][0]
        assert sdohcc["system"] == fr.SDOHCC_CODES
        assert sdohcc["code"] in fr.SDOHCC_DISPLAY
        if sdohcc["code"] != fr.UNSPECIFIED:
            assert fr.LIFE_DOMAIN_OF_CATEGORY[sdohcc["code"]] == domain.value
    assert fr.need_categories("housing")[0]["coding"][0]["code"] == "housing-instability"
    assert fr.need_categories("transportation")[0]["coding"][0]["code"] == (
        "transportation-insecurity"
    )


def test_a_search_answers_a_valid_paginated_searchset(as_persona, referral):
    client = as_persona("provider_staff")
    owner = referral.recipient_organization.public_id
    found = _get(client, f"/fhir/Task?owner=Organization/{owner}&status=requested&_count=1")
    assert found["type"] == "searchset" and found["total"] == 1
    assert found["entry"][0]["resource"]["id"] == str(referral.public_id)
    r4_parse(found)
