"""The FHIR R4 endpoints under /fhir/: thin views over rosc.fhir.selectors and services."""

import json
from urllib.parse import urlencode

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from rosc.accounts.actor import Actor
from rosc.fhir import resources as fr
from rosc.fhir import selectors
from rosc.fhir.http import fhir_response, fhir_view, outcome
from rosc.fhir.services import inbound_referral_create

# An inbound referral Bundle is a few kilobytes; anything near this is not one.
MAX_BODY_BYTES = 256 * 1024


@fhir_view(public=True)
def metadata(request: HttpRequest) -> HttpResponse:
    return fhir_response(fr.capability_statement(now=timezone.now()))


@fhir_view(public=True)
def organization_read(request: HttpRequest, organization_id: str) -> HttpResponse:
    return fhir_response(selectors.organization_read(organization_id=organization_id))


@fhir_view(public=True)
def healthcare_service_read(request: HttpRequest, service_id: str) -> HttpResponse:
    return fhir_response(selectors.healthcare_service_read(service_id=service_id))


@fhir_view()
def task_read(request: HttpRequest, actor: Actor, referral_id: str) -> HttpResponse:
    referral, side = selectors.referral_read(actor=actor, referral_id=referral_id, what="Task")
    return fhir_response(fr.task(referral, side))


@fhir_view()
def service_request_read(request: HttpRequest, actor: Actor, referral_id: str) -> HttpResponse:
    referral, side = selectors.referral_read(
        actor=actor, referral_id=referral_id, what="ServiceRequest"
    )
    return fhir_response(fr.service_request(referral, side))


@fhir_view()
def bundle_read(request: HttpRequest, actor: Actor, referral_id: str) -> HttpResponse:
    return fhir_response(
        selectors.referral_bundle_read(actor=actor, referral_id=referral_id, now=timezone.now())
    )


@fhir_view()
def patient_read(request: HttpRequest, actor: Actor, patient_id: str) -> HttpResponse:
    return fhir_response(selectors.patient_read(actor=actor, patient_id=patient_id))


@fhir_view()
def consent_read(request: HttpRequest, actor: Actor, consent_id: str) -> HttpResponse:
    return fhir_response(
        selectors.consent_read(actor=actor, consent_id=consent_id, now=timezone.now())
    )


@fhir_view()
def task_search(request: HttpRequest, actor: Actor) -> HttpResponse:
    """`Task?owner=Organization/<id>&status=requested`: a partner polls its new referrals."""
    query = selectors.task_query(request.GET)
    tasks, total = selectors.task_search(actor=actor, query=query)

    def page_url(page: int) -> str:
        params = [(k, v) for k in request.GET if k != "_page" for v in request.GET.getlist(k)]
        return request.build_absolute_uri(
            f"{request.path}?{urlencode([*params, ('_page', str(page))])}"
        )

    links = {"self": page_url(query.page)}
    if query.page * query.count < total:
        links["next"] = page_url(query.page + 1)
    if query.page > 1:
        links["previous"] = page_url(query.page - 1)
    return fhir_response(fr.searchset(tasks, total=total, links=links, now=timezone.now()))


@fhir_view(methods=("POST",))
def bundle_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    """A partner system's referral: a Bundle with an SDOHCC Task and ServiceRequest, the
    Patient and the person's active Consent. 201 with the new Task (200: sent before)."""
    selectors.inbound_gate(actor=actor)
    too_big = outcome(
        413, [("too-long", f"The body is larger than {MAX_BODY_BYTES // 1024} KB.", None)]
    )
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return too_big
    try:
        body = request.body
    except RequestDataTooBig:
        return too_big
    if len(body) > MAX_BODY_BYTES:
        return too_big
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return outcome(422, [("structure", "The body is not JSON (send a FHIR Bundle).", None)])
    referral, created = inbound_referral_create(actor=actor, data=data)
    location = request.build_absolute_uri(f"/fhir/Task/{referral.public_id}")
    return fhir_response(
        fr.task(referral, fr.SENDER), 201 if created else 200, {"Location": location}
    )
