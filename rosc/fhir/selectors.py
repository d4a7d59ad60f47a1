"""Reads behind the FHIR endpoints: the same gates as the pages, each read audited.

A referral (Task, ServiceRequest, Bundle) answers only to its two sides
(`rosc.referrals.selectors.referral_in_reach`); a participant's Patient only to the
organization that enrolled them (`rosc.people.selectors.participant_in_reach`); a consent to
that organization (`rosc.consent.selectors.consent_get`) and to the recipient of a referral
that relied on it. Everything else is a "denied" audit event and Http404, the same for a
record that exists elsewhere as for one that does not exist.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404, QueryDict
from django.utils.dateparse import parse_date, parse_datetime

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization
from rosc.accounts.roles import Perm
from rosc.accounts.selectors import deny
from rosc.consent.models import Category, Consent
from rosc.consent.selectors import CONSENT, consent_get
from rosc.core.audit import audit_record
from rosc.core.ids import uuid_or_none
from rosc.core.models import AuditEvent
from rosc.directory.models import Service
from rosc.fhir import resources as fr
from rosc.fhir.problems import FhirProblem, Issue
from rosc.people.models import Participant
from rosc.people.selectors import participant_in_reach
from rosc.referrals.models import Referral, ReferralStatus
from rosc.referrals.selectors import RECORD_TYPE as REFERRAL
from rosc.referrals.selectors import referral_in_reach

SEARCH_RECORD_TYPE = "fhir.task_search"
DEFAULT_COUNT = 20
MAX_COUNT = 100


def _audit_referral(actor: Actor, referral: Referral, side: str, what: str) -> None:
    org = referral.sender_organization or referral.recipient_organization
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record=referral,
        record_organization_id=org.public_id,
        subject=referral.participant if side == fr.SENDER else None,
        detail={"fhir": what},
    )


def referral_read(*, actor: Actor, referral_id: str, what: str) -> tuple[Referral, str]:
    """A referral and the actor's side of it, for one FHIR read (audited as `what`)."""
    referral, side = referral_in_reach(actor=actor, referral_id=referral_id)
    _audit_referral(actor, referral, side, what)
    return referral, side


def referral_bundle_read(*, actor: Actor, referral_id: str, now: datetime) -> dict[str, Any]:
    referral, side = referral_read(actor=actor, referral_id=referral_id, what="Bundle")
    phones = list(referral.recipient_service.phones.all()) if referral.recipient_service else []
    return fr.referral_bundle(referral, side, now=now, service_phones=phones)


def patient_read(*, actor: Actor, patient_id: str) -> dict[str, Any]:
    """`Patient/<participant id>`: the enrolling organization's own record of the person.
    `Patient/<referral id>`: the person as shared in that referral, for either side."""
    key = uuid_or_none(patient_id)
    if key is not None and Participant.objects.filter(public_id=key).exists():
        participant = participant_in_reach(
            actor=actor,
            participant_id=key,
            action=AuditEvent.Action.VIEW,
            record_type="people.participant",
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.VIEW,
            record=participant,
            record_organization_id=participant.organization.public_id,
            subject=participant,
            detail={"fhir": "Patient"},
        )
        return fr.patient(str(participant.public_id), fr.identity_of_participant(participant))
    referral, _side = referral_read(actor=actor, referral_id=patient_id, what="Patient")
    return fr.patient(str(referral.public_id), referral.shared.get(Category.IDENTITY_CONTACT))


def consent_read(*, actor: Actor, consent_id: str, now: datetime) -> dict[str, Any]:
    """`Consent/<consent id>`: for the organization that recorded it (the page's gate), and for
    the recipient of a referral that relied on it (it must know whether it may still act);
    `Consent/<referral id>`: the consent a partner attested to for a referral sent over FHIR."""
    key = uuid_or_none(consent_id)
    found = (
        Consent.objects.select_related("participant", "disclosing_organization")
        .filter(public_id=key)
        .first()
        if key
        else None
    )
    if found is not None:
        org = actor.organization
        if org is not None and found.participant.organization_id == org.pk:
            c = consent_get(actor=actor, consent_id=found.public_id)
            return fr.consent(c, patient_id=str(c.participant.public_id), now=now)
        relied_on = (
            Referral.objects.filter(consent=found, recipient_organization=org)
            .exclude(status=ReferralStatus.DRAFT)
            .order_by("-sent_at", "-id")
            .first()
            if org is not None and actor.can(Perm.PARTICIPANTS_OPEN)
            else None
        )
        if relied_on is None:
            raise deny(
                actor,
                action=AuditEvent.Action.VIEW,
                record_type=CONSENT,
                record_id=str(consent_id)[:64],
                record_organization_id=found.disclosing_organization.public_id,
            )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.VIEW,
            record=found,
            record_label=f"Consent relied on by referral {relied_on.public_id}",
            record_organization_id=found.disclosing_organization.public_id,
            detail={"fhir": "Consent", "referral": str(relied_on.public_id)},
        )
        return fr.consent(found, patient_id=str(relied_on.public_id), now=now)
    referral, side = referral_in_reach(actor=actor, referral_id=consent_id)
    resource = fr.attested_consent_resource(referral, side)
    if resource is None:
        raise deny(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type=CONSENT,
            record_id=str(consent_id)[:64],
        )
    _audit_referral(actor, referral, side, "Consent")
    return resource


# --- public directory data ------------------------------------------------------------------


def organization_read(*, organization_id: str) -> dict[str, Any]:
    key = uuid_or_none(organization_id)
    org = Organization.objects.filter(public_id=key, is_active=True).first() if key else None
    if org is None:
        raise Http404("Not found")
    return fr.organization(org)


def healthcare_service_read(*, service_id: str) -> dict[str, Any]:
    key = uuid_or_none(service_id)
    service = (
        Service.objects.filter(public_id=key, organization__is_active=True)
        .exclude(status=Service.Status.DEFUNCT)
        .first()
        if key
        else None
    )
    if service is None:
        raise Http404("Not found")
    return fr.healthcare_service(service, service.phones.all())


# --- Task search (a partner system polls its referrals) -------------------------------------


@dataclass
class TaskQuery:
    owner: UUID | None = None
    requester: UUID | None = None
    statuses: list[str] = field(default_factory=list)
    updated: list[tuple[str, datetime]] = field(default_factory=list)
    count: int = DEFAULT_COUNT
    page: int = 1


SEARCH_PARAMS = ("owner", "requester", "status", "_lastUpdated", "_count", "_page", "_format")
PREFIXES = ("ge", "gt", "le", "lt", "eq")


def _org_param(values: list[str], name: str, issues: list[Issue]) -> UUID | None:
    if not values:
        return None
    parts = values[-1].strip().rstrip("/").split("/")
    if len(parts) == 1:
        key = uuid_or_none(parts[0])
    else:
        key = uuid_or_none(parts[-1]) if parts[-2] == "Organization" else None
    if key is None:
        issues.append(("value", f"{name} is Organization/<id> (a ROSC Hub organization id).", name))
    return key


def _moment(text: str) -> datetime | None:
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text)
        if day is None:
            return None
        moment = datetime(day.year, day.month, day.day)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def task_query(params: QueryDict) -> TaskQuery:
    """The search's parameters, or FhirProblem(400) naming the ones that cannot be used."""
    issues: list[Issue] = []
    unknown = sorted(k for k in params if k not in SEARCH_PARAMS)
    if unknown:
        issues.append(
            (
                "not-supported",
                f"Unsupported search parameter(s): {', '.join(unknown)[:200]}. Supported: "
                + ", ".join(SEARCH_PARAMS),
                None,
            )
        )
    query = TaskQuery(
        owner=_org_param(params.getlist("owner"), "owner", issues),
        requester=_org_param(params.getlist("requester"), "requester", issues),
    )
    for value in params.getlist("status"):
        for code in value.split(","):
            if code.strip() not in ReferralStatus.values:
                issues.append(("code-invalid", f"Unknown Task status “{code[:40]}”.", "status"))
            else:
                query.statuses.append(code.strip())
    for value in params.getlist("_lastUpdated"):
        prefix, rest = (value[:2], value[2:]) if value[:2] in PREFIXES else ("eq", value)
        moment = _moment(rest)
        if moment is None or prefix == "eq":
            issues.append(
                (
                    "value",
                    "_lastUpdated is gt, ge, lt or le followed by a date or dateTime.",
                    "_lastUpdated",
                )
            )
        else:
            query.updated.append((prefix, moment))
    for name, low, high in (("_count", 1, MAX_COUNT), ("_page", 1, 10_000)):
        raw = params.get(name)
        if raw is None:
            continue
        if not raw.isdigit() or not (low <= int(raw) <= high):
            issues.append(("value", f"{name} is a whole number from {low} to {high}.", name))
        elif name == "_count":
            query.count = int(raw)
        else:
            query.page = int(raw)
    if issues:
        raise FhirProblem(400, issues)
    return query


def _visible(org: Organization, query: TaskQuery) -> QuerySet[Referral]:
    """Referrals the organization is a side of (a draft only to its sender)."""
    as_recipient = Q(recipient_organization=org) & ~Q(status=ReferralStatus.DRAFT)
    as_sender = Q(sender_organization=org)
    if query.owner == org.public_id:
        rows = Referral.objects.filter(as_recipient)
    elif query.owner is not None or query.requester == org.public_id:
        rows = Referral.objects.filter(as_sender)
    else:
        rows = Referral.objects.filter(as_recipient | as_sender)
    if query.owner is not None:
        rows = rows.filter(recipient_organization__public_id=query.owner)
    if query.requester is not None:
        rows = rows.filter(sender_organization__public_id=query.requester)
    if query.statuses:
        rows = rows.filter(status__in=query.statuses)
    lookups = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}
    for prefix, moment in query.updated:
        rows = rows.filter(**{f"updated_at__{lookups[prefix]}": moment})
    return rows


def task_search(*, actor: Actor, query: TaskQuery) -> tuple[list[dict[str, Any]], int]:
    """One page of the Tasks of referrals the actor's organization is a side of (LIST, audited)."""
    org = actor.organization
    if org is None or not actor.can(Perm.PARTICIPANTS_OPEN):
        raise deny(
            actor,
            action=AuditEvent.Action.LIST,
            record_type=SEARCH_RECORD_TYPE,
            record_id="Task",
            record_organization_id=org.public_id if org else None,
        )
    rows = _visible(org, query)
    total = rows.count()
    start = (query.page - 1) * query.count
    found = list(
        rows.select_related(
            "sender_organization", "recipient_organization", "participant"
        ).order_by("-updated_at", "-id")[start : start + query.count]
    )
    tasks = [
        fr.task(r, fr.RECIPIENT if r.recipient_organization_id == org.pk else fr.SENDER)
        for r in found
    ]
    audit_record(
        actor=actor,
        action=AuditEvent.Action.LIST,
        record_type=REFERRAL,
        record_label=f"FHIR Task search by {org.name}",
        record_organization_id=org.public_id,
        detail={
            "fhir": "Task?",
            "total": total,
            "page": query.page,
            "ids": [str(r.public_id) for r in found],
        },
    )
    return tasks, total


def inbound_gate(*, actor: Actor) -> None:
    """Who may send a referral over FHIR: staff who work with people (as on the pages). Checked
    before the body is read, so a refused caller learns nothing from its body."""
    org = actor.organization
    if org is None or not actor.can(Perm.PARTICIPANTS_OPEN):
        raise deny(
            actor,
            action=AuditEvent.Action.CREATE,
            record_type=REFERRAL,
            record_id="fhir:Bundle",
            record_organization_id=org.public_id if org else None,
        )
