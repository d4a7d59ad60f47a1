"""Who may read what over FHIR: the same gate as the pages, the same 404 for a third party as
for an id that does not exist, every read audited, a session or a live API key."""

import uuid

import pytest
from django.test import Client

from rosc.accounts.services import api_token_create, api_token_revoke
from rosc.core.models import AuditEvent
from rosc.referrals.models import Referral
from rosc.referrals.services import referral_create

pytestmark = pytest.mark.django_db


def _paths(referral: Referral, maria) -> list[str]:
    rid = referral.public_id
    assert referral.consent is not None
    return [
        f"/fhir/Task/{rid}",
        f"/fhir/ServiceRequest/{rid}",
        f"/fhir/Bundle/{rid}",
        f"/fhir/Patient/{rid}",
        f"/fhir/Patient/{maria.public_id}",
        f"/fhir/Consent/{referral.consent.public_id}",
    ]


def _denied_since(persona: str, since: int):
    return AuditEvent.objects.filter(
        id__gt=since, username=persona, outcome=AuditEvent.Outcome.DENIED
    )


def _last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_a_third_organization_gets_the_same_404_as_a_random_id_and_is_audited(
    as_persona, referral, maria
):
    outsider = as_persona("rco_b_peer")
    bodies = set()
    for path in [
        *_paths(referral, maria),
        *(p.rsplit("/", 1)[0] + f"/{uuid.uuid4()}" for p in _paths(referral, maria)),
    ]:
        since = _last_id()
        response = outsider.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/fhir+json")
        body = response.json()
        assert body["resourceType"] == "OperationOutcome"
        assert body["issue"][0]["code"] == "not-found"
        bodies.add(response.content)
        denied = _denied_since("rco_b_peer", since)
        assert denied.filter(record_id=path.rsplit("/", 1)[1]).exists(), path
    assert len(bodies) == 1


def test_the_sending_organizations_patient_is_its_own_and_nobody_elses(as_persona, referral, maria):
    # The recipient reads the person as shared (by the referral's id), never the sender's record.
    response = as_persona("provider_staff").get(f"/fhir/Patient/{maria.public_id}")
    assert response.status_code == 404
    assert as_persona("rco_a_peer").get(f"/fhir/Patient/{maria.public_id}").status_code == 200


def test_both_sides_read_the_referral_and_each_read_is_audited(as_persona, referral, maria):
    for persona in ("rco_a_peer", "provider_staff"):
        client = as_persona(persona)
        for path in _paths(referral, maria):
            if persona == "provider_staff" and str(maria.public_id) in path:
                continue
            since = _last_id()
            assert client.get(path).status_code == 200, (persona, path)
            viewed = AuditEvent.objects.filter(
                id__gt=since,
                username=persona,
                action=AuditEvent.Action.VIEW,
                outcome=AuditEvent.Outcome.OK,
            )
            assert viewed.exists(), (persona, path)


def test_a_role_that_does_not_work_with_people_cannot_read_a_referral(as_persona, referral):
    admin = as_persona("network_admin")
    assert admin.get(f"/fhir/Task/{referral.public_id}").status_code == 404


def test_a_draft_is_the_senders_alone(world, actor_of, as_persona, maria):
    draft = referral_create(
        actor=actor_of("rco_a_peer"),
        participant=maria,
        recipient_organization=world.org_of("provider_staff"),
        need="housing",
        send=False,
    )
    assert as_persona("rco_a_peer").get(f"/fhir/Task/{draft.public_id}").json()["status"] == (
        "draft"
    )
    assert as_persona("provider_staff").get(f"/fhir/Task/{draft.public_id}").status_code == 404
    search = as_persona("provider_staff").get("/fhir/Task").json()
    assert search["total"] == 0


def test_without_a_session_or_key_the_answer_is_401(referral, client):
    for path in (f"/fhir/Task/{referral.public_id}", "/fhir/Task"):
        response = client.get(path)
        assert response.status_code == 401
        assert response.json()["issue"][0]["code"] == "login"
        assert response["WWW-Authenticate"].startswith("Bearer")
    response = client.post("/fhir/Bundle", "{}", content_type="application/fhir+json")
    assert response.status_code == 401


def test_an_api_key_reads_as_its_owner_and_a_revoked_key_gets_401(actor_of, referral):
    partner = actor_of("provider_staff")
    token, key = api_token_create(actor=partner, name="Lakeside sync")
    system = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = system.get(f"/fhir/Task/{referral.public_id}")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(username="provider_staff").latest("id")
    assert event.action == AuditEvent.Action.VIEW
    api_token_revoke(actor=partner, token_id=str(token.public_id))
    assert system.get(f"/fhir/Task/{referral.public_id}").status_code == 401
    wrong = Client(HTTP_AUTHORIZATION="Bearer rosc_not-a-key")
    assert wrong.get(f"/fhir/Task/{referral.public_id}").status_code == 401
    basic = Client(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert basic.get(f"/fhir/Task/{referral.public_id}").status_code == 401


def test_a_partner_polls_its_new_referrals_page_by_page(world, api, actor_of, enrol, referral):
    from rosc.fhir.tests.conftest import give_consent

    peer = actor_of("rco_a_peer")
    provider = world.org_of("provider_staff")
    for i in range(2):
        person = enrol("rco_a_peer", "Sam", f"Lee {i}")
        give_consent(peer, person, provider, ["identity_and_contact", "referral_details"])
        referral_create(
            actor=peer, participant=person, recipient_organization=provider, need="transportation"
        )
    system = api("provider_staff")
    owner = f"Organization/{provider.public_id}"
    first = system.get(f"/fhir/Task?owner={owner}&status=requested&_count=2").json()
    assert first["total"] == 3 and len(first["entry"]) == 2
    next_url = next(link["url"] for link in first["link"] if link["relation"] == "next")
    second = system.get(next_url).json()
    assert len(second["entry"]) == 1
    ids = {e["resource"]["id"] for e in first["entry"] + second["entry"]}
    assert str(referral.public_id) in ids
    assert not any(link["relation"] == "next" for link in second["link"])
    listed = AuditEvent.objects.filter(username="provider_staff", action=AuditEvent.Action.LIST)
    assert listed.count() == 2
    # Another organization's owner id finds nothing of theirs; a third party sees nothing.
    assert api("rco_b_peer").get(f"/fhir/Task?owner={owner}").json()["total"] == 0
    assert system.get("/fhir/Task?status=completed").json()["total"] == 0
    # The sender finds what it sent.
    assert api("rco_a_peer").get(f"/fhir/Task?owner={owner}").json()["total"] == 3


@pytest.mark.parametrize(
    "query",
    ["owner=Patient/1", "status=ready-ish", "_count=0", "_lastUpdated=yesterday", "subject=x"],
)
def test_a_search_with_parameters_we_cannot_use_answers_400_saying_which(api, query):
    response = api("provider_staff").get(f"/fhir/Task?{query}")
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


def test_directory_data_is_public_and_unknown_ids_are_404(client, housing_service):
    assert client.get(f"/fhir/HealthcareService/{housing_service.public_id}").status_code == 200
    org = housing_service.organization
    assert client.get(f"/fhir/Organization/{org.public_id}").json()["name"] == org.name
    assert client.get(f"/fhir/Organization/{uuid.uuid4()}").status_code == 404
    assert client.get("/fhir/HealthcareService/not-an-id").status_code == 404
    assert client.get("/fhir/metadata").json()["fhirVersion"] == "4.0.1"
    assert client.post("/fhir/metadata").status_code == 405
