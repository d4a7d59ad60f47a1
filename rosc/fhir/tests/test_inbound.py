"""A partner system sends a referral as a FHIR Bundle: it lands in the recipient's inbox, or is
refused with an OperationOutcome that says what is wrong, and nothing is saved."""

import copy
import json
import uuid
from typing import Any

import pytest

from rosc.core.models import AuditEvent
from rosc.referrals.models import (
    Notification,
    Referral,
    ReferralEvent,
    ReferralSource,
    ReferralStatus,
)
from rosc.referrals.services import referral_enrol_person, referral_transition

pytestmark = pytest.mark.django_db

FHIR_JSON = "application/fhir+json"
SDOHCC = "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"


def partner_bundle(owner_id: Any, *, service_id: Any = None) -> dict[str, Any]:
    """What a hospital's system might send: SDOHCC Task + ServiceRequest, Patient, Consent."""
    performer = (
        [{"reference": f"HealthcareService/{service_id}"}]
        if service_id
        else [{"reference": f"Organization/{owner_id}"}]
    )
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": "urn:uuid:2f3c0d1e-0000-4000-8000-000000000001",
                "resource": {
                    "resourceType": "Task",
                    "id": "hosp-task-981",
                    "status": "requested",
                    "intent": "order",
                    "priority": "urgent",
                    "code": {
                        "coding": [
                            {
                                "system": "http://hl7.org/fhir/CodeSystem/task-code",
                                "code": "fulfill",
                            }
                        ]
                    },
                    "focus": {"reference": "urn:uuid:2f3c0d1e-0000-4000-8000-000000000002"},
                    "for": {"reference": "urn:uuid:2f3c0d1e-0000-4000-8000-000000000003"},
                    "authoredOn": "2026-03-01T10:00:00Z",
                    "requester": {"reference": "Organization/hosp-1", "display": "City Hospital"},
                    "owner": {"reference": f"Organization/{owner_id}"},
                },
                "request": {"method": "POST", "url": "Task"},
            },
            {
                "fullUrl": "urn:uuid:2f3c0d1e-0000-4000-8000-000000000002",
                "resource": {
                    "resourceType": "ServiceRequest",
                    "status": "active",
                    "intent": "order",
                    "category": [{"coding": [{"system": SDOHCC, "code": "housing-instability"}]}],
                    "code": {"text": "Recovery housing"},
                    "subject": {"reference": "urn:uuid:2f3c0d1e-0000-4000-8000-000000000003"},
                    "performer": performer,
                    "supportingInfo": [
                        {"reference": "urn:uuid:2f3c0d1e-0000-4000-8000-000000000004"}
                    ],
                    "note": [{"text": "Discharged today; prefers texts."}],
                },
                "request": {"method": "POST", "url": "ServiceRequest"},
            },
            {
                "fullUrl": "urn:uuid:2f3c0d1e-0000-4000-8000-000000000003",
                "resource": {
                    "resourceType": "Patient",
                    "name": [{"use": "official", "family": "Okafor", "given": ["Daniel"]}],
                    "telecom": [
                        {"system": "sms", "value": "555-0142", "rank": 1},
                        {"system": "email", "value": "daniel@example.org", "rank": 2},
                    ],
                    "birthDate": "1988-07-14",
                    "communication": [{"language": {"text": "English"}, "preferred": True}],
                },
                "request": {"method": "POST", "url": "Patient"},
            },
            {
                "fullUrl": "urn:uuid:2f3c0d1e-0000-4000-8000-000000000004",
                "resource": {
                    "resourceType": "Consent",
                    "id": "hosp-consent-77",
                    "status": "active",
                    "scope": {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                                "code": "patient-privacy",
                            }
                        ]
                    },
                    "category": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                                    "code": "IDSCL",
                                }
                            ]
                        }
                    ],
                    "patient": {"reference": "urn:uuid:2f3c0d1e-0000-4000-8000-000000000003"},
                    "dateTime": "2026-03-01T09:30:00Z",
                    "organization": [{"display": "City Hospital"}],
                    "sourceAttachment": {"title": "Signed release"},
                },
                "request": {"method": "POST", "url": "Consent"},
            },
        ],
    }


def _post(client, data) -> Any:
    body = data if isinstance(data, (str, bytes)) else json.dumps(data)
    return client.post("/fhir/Bundle", body, content_type=FHIR_JSON)


def _issues(response) -> str:
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    return " | ".join(i["diagnostics"] for i in body["issue"])


def test_a_partners_bundle_becomes_a_referral_in_the_recipients_inbox(world, api, housing_service):
    provider = world.org_of("provider_staff")
    court = world.org_of("court_partner")
    response = _post(
        api("court_partner"),
        partner_bundle(provider.public_id, service_id=housing_service.public_id),
    )
    assert response.status_code == 201, response.content
    task = response.json()
    assert task["resourceType"] == "Task" and task["status"] == "requested"
    assert response["Location"].endswith(f"/fhir/Task/{task['id']}")

    inbox = Referral.objects.filter(recipient_organization=provider)
    referral = inbox.get()
    assert str(referral.public_id) == task["id"]
    assert (referral.source, referral.external_id) == (ReferralSource.FHIR, "hosp-task-981")
    assert referral.sender_organization == court
    assert referral.sender_user == world.users["court_partner"]
    assert referral.participant is None and referral.consent is None
    assert referral.recipient_service == housing_service
    assert (referral.need, referral.urgency) == ("housing", "soon")
    assert referral.status == ReferralStatus.REQUESTED and referral.sent_at is not None
    identity = referral.shared["identity_and_contact"]
    assert (identity["first_name"], identity["last_name"]) == ("Daniel", "Okafor")
    assert (identity["phone"], identity["preferred_contact"]) == ("555-0142", "text")
    assert identity["date_of_birth"] == "1988-07-14"
    details = referral.shared["referral_details"]
    assert details["note"] == "Discharged today; prefers texts."
    assert details["consent_reference"] == "urn:uuid:2f3c0d1e-0000-4000-8000-000000000004"
    assert details["consent_status"] == "active"
    assert referral.categories == ["identity_and_contact", "referral_details"]
    event = ReferralEvent.objects.get(referral=referral)
    assert (event.side, event.to_status) == ("sender", "requested")
    assert Notification.objects.filter(
        referral=referral, user=world.users["provider_staff"]
    ).exists()
    assert AuditEvent.objects.filter(
        username="court_partner", action=AuditEvent.Action.CREATE, record_id=task["id"]
    ).exists()


def test_the_recipient_reads_works_and_enrols_a_referral_that_came_over_fhir(
    world, api, actor_of, as_persona
):
    provider = world.org_of("provider_staff")
    task_id = _post(api("court_partner"), partner_bundle(provider.public_id)).json()["id"]
    bundle = as_persona("provider_staff").get(f"/fhir/Bundle/{task_id}").json()
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds == ["Task", "ServiceRequest", "Patient", "Organization", "Organization", "Consent"]
    consent = bundle["entry"][-1]["resource"]
    assert consent["id"] == task_id and consent["status"] == "active"
    assert as_persona("provider_staff").get(f"/fhir/Consent/{task_id}").status_code == 200
    # The partner polls the Task it sent, and sees the recipient's answer.
    referral = Referral.objects.get(public_id=task_id)
    referral = referral_transition(
        actor=actor_of("provider_staff"), referral=referral, to_status="accepted"
    )
    person = referral_enrol_person(actor=actor_of("provider_staff"), referral=referral)
    assert (person.legal_first_name, person.organization) == ("Daniel", provider)
    polled = api("court_partner").get(f"/fhir/Task?owner=Organization/{provider.public_id}")
    assert polled.json()["entry"][0]["resource"]["status"] == "accepted"


def test_both_sides_read_a_fhir_referral_page_with_the_attested_consent(world, api, as_persona):
    provider = world.org_of("provider_staff")
    task_id = _post(api("court_partner"), partner_bundle(provider.public_id)).json()["id"]
    for persona in ("provider_staff", "court_partner"):
        page = as_persona(persona).get(f"/referrals/{task_id}/")
        assert page.status_code == 200, persona
        text = page.content.decode()
        assert "Sent through" in text and "FHIR" in text
        assert "attests the person" in text, persona


def test_the_same_task_sent_twice_makes_one_referral(world, api):
    provider = world.org_of("provider_staff")
    system = api("court_partner")
    first = _post(system, partner_bundle(provider.public_id))
    again = _post(system, partner_bundle(provider.public_id))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Referral.objects.count() == 1


def _refused(system, data, status=422) -> str:
    before = (Referral.objects.count(), ReferralEvent.objects.count(), Notification.objects.count())
    response = _post(system, data)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(FHIR_JSON)
    after = (Referral.objects.count(), ReferralEvent.objects.count(), Notification.objects.count())
    assert after == before
    return _issues(response)


def test_an_invalid_bundle_gets_422_listing_the_problems_and_creates_nothing(world, api):
    provider = world.org_of("provider_staff")
    system = api("court_partner")
    bad = partner_bundle(provider.public_id)
    bad["entry"][0]["resource"]["authoredOn"] = "last tuesday"
    bad["entry"][2]["resource"]["name"] = "Daniel"
    said = _refused(system, bad)
    assert "DateTime" in said
    body = _post(system, bad).json()
    where = [i.get("expression", [""])[0] for i in body["issue"]]
    assert "Bundle.entry[0].resource.authoredOn" in where
    assert "Bundle.entry[2].resource.name" in where


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("this is not json", "not JSON"),
        ("[1, 2, 3]", "Send a FHIR Bundle"),
        ('{"resourceType": "Patient", "id": "x"}', "Send a FHIR Bundle"),
        ('{"resourceType": "Bundle", "type": "collection"}', "no entries"),
        ('{"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {}}]}', "type"),
        (
            '{"resourceType": "Bundle", "type": "collection", '
            '"entry": [{"resource": {"resourceType": "Spaceship"}}]}',
            "Spaceship",
        ),
        ("[" * 100_000 + "]" * 100_000, "not JSON"),
    ],
)
def test_anything_but_a_bundle_gets_422_never_a_500(world, api, body, says):
    assert says in _refused(api("court_partner"), body)


def test_a_huge_body_is_refused_before_it_is_read(world, api):
    provider = world.org_of("provider_staff")
    bundle = partner_bundle(provider.public_id)
    bundle["entry"][1]["resource"]["note"] = [{"text": "x" * 300_000}]
    assert "larger than" in _refused(api("court_partner"), bundle, status=413)


def test_a_bundle_without_the_persons_consent_is_refused_saying_so(world, api):
    provider = world.org_of("provider_staff")
    system = api("court_partner")
    missing = partner_bundle(provider.public_id)
    del missing["entry"][3]
    del missing["entry"][1]["resource"]["supportingInfo"]
    assert "consent is missing" in _refused(system, missing)
    inactive = partner_bundle(provider.public_id)
    inactive["entry"][3]["resource"]["status"] = "inactive"
    assert "not active" in _refused(system, inactive)
    ended = partner_bundle(provider.public_id)
    ended["entry"][3]["resource"]["provision"] = {"period": {"end": "2020-01-01"}}
    assert "has ended" in _refused(system, ended)


def test_an_unknown_or_inactive_owner_is_refused(world, api, housing_service):
    system = api("court_partner")
    assert "no active organization" in _refused(system, partner_bundle(uuid.uuid4()))
    provider = world.org_of("provider_staff")
    provider.is_active = False
    provider.save(update_fields=["is_active"])
    assert "no active organization" in _refused(system, partner_bundle(provider.public_id))
    own = world.org_of("court_partner")
    assert "another organization" in _refused(system, partner_bundle(own.public_id))


def test_a_service_of_another_organization_or_an_unknown_need_is_refused(
    world, api, housing_service
):
    system = api("court_partner")
    rco = world.org_of("rco_a_peer")
    assert "HealthcareService" in _refused(
        system, partner_bundle(rco.public_id, service_id=housing_service.public_id)
    )
    odd = partner_bundle(rco.public_id)
    odd["entry"][1]["resource"]["category"] = [
        {"coding": [{"system": SDOHCC, "code": "digital-access"}], "text": "Internet"}
    ]
    assert "which need" in _refused(system, odd)
    named = copy.deepcopy(odd)
    named["entry"][1]["resource"]["category"][0]["text"] = "Legal"
    assert _post(system, named).status_code == 201
    assert Referral.objects.get().need == "legal"


def test_a_task_that_is_not_a_new_request_is_refused(world, api):
    system = api("court_partner")
    bundle = partner_bundle(world.org_of("provider_staff").public_id)
    bundle["entry"][0]["resource"]["status"] = "completed"
    bundle["entry"][0]["resource"]["intent"] = "plan"
    said = _refused(system, bundle)
    assert "status requested" in said and "intent is order" in said


def test_only_staff_who_work_with_people_may_send_and_a_session_may_too(world, api, as_persona):
    provider = world.org_of("provider_staff")
    response = _post(api("council_coordinator"), partner_bundle(provider.public_id))
    assert response.status_code == 404
    assert Referral.objects.count() == 0
    assert AuditEvent.objects.filter(
        username="council_coordinator", outcome=AuditEvent.Outcome.DENIED
    ).exists()
    assert _post(as_persona("rco_a_peer"), partner_bundle(provider.public_id)).status_code == 201


def test_round_trip_an_exported_bundle_posted_by_another_organization(
    world, api, as_persona, referral, maria
):
    exported = as_persona("rco_a_peer").get(f"/fhir/Bundle/{referral.public_id}").json()
    response = _post(api("court_partner"), exported)
    assert response.status_code == 201, response.content
    copy_ = Referral.objects.get(public_id=response.json()["id"])
    assert copy_.pk != referral.pk
    assert copy_.sender_organization == world.org_of("court_partner")
    assert copy_.recipient_organization == referral.recipient_organization
    assert copy_.recipient_service == referral.recipient_service
    assert (copy_.need, copy_.urgency) == (referral.need, referral.urgency)
    assert copy_.note_for_recipient == referral.note_for_recipient
    assert copy_.external_id == str(referral.public_id)
    ours, theirs = referral.shared["identity_and_contact"], copy_.shared["identity_and_contact"]
    for key in (
        "name",
        "first_name",
        "last_name",
        "preferred_name",
        "phone",
        "email",
        "preferred_contact",
        "may_leave_message",
        "language",
        "date_of_birth",
    ):
        assert theirs[key] == ours[key], key
    # And the recipient's own export of it reads back the same way.
    again = as_persona("provider_staff").get(f"/fhir/Bundle/{copy_.public_id}").json()
    assert _post(api("rco_b_peer"), again).status_code == 201
