"""Reading a partner system's referral Bundle: structure, then meaning. No database access.

`read_referral_bundle(data, now=...)` takes the parsed JSON and returns an `InboundReferral`,
or raises `FhirProblem(422, issues)` listing every problem found (never anything else):

1. It must be a Bundle (type collection, transaction or batch) whose entries are FHIR R4
   resources; the whole Bundle is parsed with the fhir.resources R4B models, and each
   validation error becomes one issue with the element's path.
2. It must hold one SDOHCC referral Task (status requested, intent order, code fulfill) and the
   ServiceRequest it is for; the Task's `for` (or the request's `subject`) is the Patient in
   the Bundle, with a name; `owner` names the organization referred to (`Organization/<id>`,
   our id); the request's `category` says the need (our life-domain coding, else an SDOHCC
   category we map, else the name of a life domain as text; anything else is refused, so a
   referral never lands under the wrong need); `priority` (routine, urgent, asap, stat) the
   urgency; `note` the note for the recipient; a `performer` that is a HealthcareService
   names the directory service.
3. The partner attests the person's consent: a Consent in the Bundle (or one the request's
   `supportingInfo` points to in the Bundle) with status active, dated, not ended.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pydantic
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.dateparse import parse_date, parse_datetime
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from rosc.fhir import resources as fr
from rosc.fhir.problems import FhirProblem, Issue
from rosc.people.models import LifeDomain
from rosc.referrals.models import Urgency

MAX_ISSUES = 50
BUNDLE_TYPES = ("collection", "transaction", "batch")
CONTACT_OF_TELECOM = {"phone": "phone_call", "sms": "text", "email": "email"}
# Field lengths of the participant record the recipient may later enrol the person into.
MAX_LENGTH = {
    "first_name": 100,
    "last_name": 100,
    "preferred_name": 100,
    "pronouns": 40,
    "phone": 40,
    "language": 60,
}
MAX_NOTE = 4000


@dataclass
class InboundReferral:
    external_id: str
    owner_id: UUID
    service_id: UUID | None
    need: str
    urgency: str
    note: str
    identity: dict[str, Any]
    consent: dict[str, str] = field(default_factory=dict)


def _path(loc: tuple[Any, ...]) -> str:
    out = "Bundle"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _structure(data: Any) -> list[dict[str, Any]]:
    """The Bundle's entries' resources, once the Bundle parses as FHIR R4 (R4B models)."""
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        found = data.get("resourceType") if isinstance(data, dict) else type(data).__name__
        raise FhirProblem(
            422,
            [
                (
                    "structure",
                    f'Send a FHIR Bundle (resourceType "Bundle"), not {found!s:.40}.',
                    None,
                )
            ],
        )
    issues: list[Issue] = []
    if data.get("type") not in BUNDLE_TYPES:
        issues.append(
            ("value", "Bundle.type must be collection, transaction or batch.", "Bundle.type")
        )
    entries = data.get("entry")
    if not isinstance(entries, list) or not entries:
        issues.append(("required", "The Bundle has no entries.", "Bundle.entry"))
        raise FhirProblem(422, issues)
    for i, item in enumerate(entries):
        resource = item.get("resource") if isinstance(item, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        where = f"Bundle.entry[{i}].resource"
        if not isinstance(kind, str):
            issues.append(("required", "Each entry needs a resource with a resourceType.", where))
            continue
        try:
            get_fhir_model_class(kind)
        except (ValueError, KeyError):
            issues.append(("not-supported", f"“{kind:.40}” is not a FHIR R4 resource type.", where))
    if issues:
        raise FhirProblem(422, issues)
    try:
        Bundle.model_validate(data)
    except pydantic.ValidationError as exc:
        for error in exc.errors()[:MAX_ISSUES]:
            issues.append(("structure", str(error["msg"]), _path(tuple(error["loc"]))))
        raise FhirProblem(422, issues) from exc
    except Exception as exc:  # the models raise a few non-pydantic errors on odd input
        raise FhirProblem(
            422, [("structure", f"The Bundle could not be read as FHIR R4: {exc!s:.200}", None)]
        ) from exc
    return [item["resource"] for item in entries]


class _Index:
    """Resolves references between the Bundle's entries (by fullUrl, Type/id, or a URL)."""

    def __init__(self, entries: list[dict[str, Any]], resources: list[dict[str, Any]]) -> None:
        self.by_key: dict[str, dict[str, Any]] = {}
        for item, resource in zip(entries, resources, strict=True):
            if item.get("fullUrl"):
                self.by_key[item["fullUrl"]] = resource
            if resource.get("id"):
                self.by_key[f"{resource['resourceType']}/{resource['id']}"] = resource

    def get(self, reference: Any) -> dict[str, Any] | None:
        if not isinstance(reference, dict) or not isinstance(reference.get("reference"), str):
            return None
        text = reference["reference"]
        found = self.by_key.get(text)
        if found is None and "/" in text:
            found = self.by_key.get("/".join(text.rstrip("/").split("/")[-2:]))
        return found


def _reference_id(reference: Any, kind: str, index: _Index) -> UUID | None:
    """Our public id named by a reference to `kind`: an entry of the Bundle (its id) or
    `kind/<id>` (relative or absolute)."""
    if not isinstance(reference, dict):
        return None
    target = index.get(reference)
    if target is not None:
        raw = target.get("id") if target.get("resourceType") == kind else None
    else:
        parts = str(reference.get("reference") or "").rstrip("/").split("/")
        raw = parts[-1] if len(parts) >= 2 and parts[-2] == kind else None
    try:
        return UUID(str(raw)) if raw else None
    except ValueError:
        return None


def _one(resources: list[dict[str, Any]], kind: str, issues: list[Issue]) -> dict[str, Any]:
    found = [r for r in resources if r["resourceType"] == kind]
    if len(found) != 1:
        issues.append(
            (
                "required" if not found else "invalid",
                f"The Bundle must hold exactly one {kind} (it holds {len(found)}).",
                f"Bundle.entry.resource.ofType({kind})",
            )
        )
        return {}
    return found[0]


def _codings(concepts: Any) -> list[dict[str, Any]]:
    return [
        coding
        for concept in (concepts or [])
        for coding in (concept.get("coding") or [])
        if isinstance(coding, dict)
    ]


def _need(request: dict[str, Any], issues: list[Issue]) -> str:
    categories = request.get("category") or []
    codings = _codings(categories)
    for coding in codings:
        if (
            coding.get("system") == fr.LIFE_DOMAIN_SYSTEM
            and coding.get("code") in LifeDomain.values
        ):
            return str(coding["code"])
    for coding in codings:
        if (
            coding.get("system") == fr.SDOHCC_CODES
            and coding.get("code") in fr.LIFE_DOMAIN_OF_CATEGORY
        ):
            return fr.LIFE_DOMAIN_OF_CATEGORY[coding["code"]]
    by_name = {str(d.label).lower(): d.value for d in LifeDomain} | {
        d.value: d.value for d in LifeDomain
    }
    for concept in categories:
        text = str(concept.get("text") or "").strip().lower()
        if text in by_name:
            return by_name[text]
    sent = ", ".join(str(c.get("code")) for c in codings) or "none"
    issues.append(
        (
            "code-invalid",
            "We could not tell which need this referral is for (categories sent: "
            f"{sent:.200}). Send an SDOHCC category we map ("
            + ", ".join(sorted(fr.LIFE_DOMAIN_OF_CATEGORY))
            + "), or a category whose text names one of our life domains ("
            + ", ".join(str(d.label) for d in LifeDomain)
            + ").",
            "ServiceRequest.category",
        )
    )
    return ""


def _urgency(task: dict[str, Any], request: dict[str, Any], issues: list[Issue]) -> str:
    priority = request.get("priority") or task.get("priority") or "routine"
    if priority not in fr.URGENCY_OF_PRIORITY:
        issues.append(
            (
                "code-invalid",
                "priority must be routine, urgent, asap or stat.",
                "ServiceRequest.priority",
            )
        )
        return Urgency.ROUTINE
    return fr.URGENCY_OF_PRIORITY[priority]


def _name_parts(name: dict[str, Any]) -> tuple[str, str]:
    given = [g for g in (name.get("given") or []) if g]
    first, last = (given[0] if given else ""), str(name.get("family") or "")
    if not (first or last) and name.get("text"):
        words = str(name["text"]).split()
        first, last = (words[0], " ".join(words[1:])) if len(words) > 1 else (words[0], "")
    return first.strip(), last.strip()


def _identity(patient: dict[str, Any], issues: list[Issue]) -> dict[str, Any]:
    """The person as the shared `identity_and_contact` snapshot holds them."""
    names = [n for n in (patient.get("name") or []) if isinstance(n, dict)]
    official = next((n for n in names if n.get("use") in (None, "official")), None)
    official = official or next((n for n in names if n.get("use") != "usual"), None)
    usual = next((n for n in names if n.get("use") == "usual"), None)
    first, last = _name_parts(official or usual or {})
    preferred = ""
    if usual is not None and usual is not official:
        u_first, _u_last = _name_parts(usual)
        preferred = u_first
        if not (first or last):
            first, last = _name_parts(usual)
            preferred = ""
    if not (first or last):
        issues.append(
            (
                "required",
                "The Patient needs a name, so the recipient knows whom to reach.",
                "Patient.name",
            )
        )
    telecom = sorted(
        (t for t in (patient.get("telecom") or []) if isinstance(t, dict) and t.get("value")),
        key=lambda t: t.get("rank") or 10_000,
    )
    phone = next((t["value"] for t in telecom if t.get("system") in ("phone", "sms")), "")
    email = next((t["value"] for t in telecom if t.get("system") == "email"), "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            issues.append(
                ("value", "The Patient's e-mail address is not valid.", "Patient.telecom")
            )
    first_point = next((t for t in telecom if t.get("system") in CONTACT_OF_TELECOM), None)
    preferred_contact = CONTACT_OF_TELECOM[first_point["system"]] if first_point else ""
    born = patient.get("birthDate") or ""
    # A partial birth date (a year, a month) cannot be kept on the person's record: left out.
    born = born if parse_date(born) is not None else ""
    language = ""
    for item in patient.get("communication") or []:
        concept = item.get("language") or {}
        codings = concept.get("coding") or [{}]
        language = concept.get("text") or codings[0].get("display") or codings[0].get("code") or ""
        if item.get("preferred") or language:
            break
    pronouns, may_leave_message = "", False
    for ext in patient.get("extension") or []:
        if ext.get("url") == fr.PRONOUNS_EXTENSION:
            pronouns = str(ext.get("valueString") or "")
        if ext.get("url") == fr.MAY_LEAVE_MESSAGE_EXTENSION:
            may_leave_message = bool(ext.get("valueBoolean"))
    identity: dict[str, Any] = {
        "name": f"{preferred or first} {last}".strip(),
        "legal_name": f"{first} {last}".strip(),
        "first_name": first,
        "last_name": last,
        "preferred_name": preferred,
        "pronouns": pronouns,
        "date_of_birth": born,
        "phone": phone,
        "email": email,
        "preferred_contact": preferred_contact,
        "preferred_contact_label": {
            "phone_call": "Phone call",
            "text": "Text message",
            "email": "E-mail",
        }.get(preferred_contact, ""),
        "may_leave_message": may_leave_message,
        "language": language,
    }
    for key, limit in MAX_LENGTH.items():
        if len(identity[key]) > limit:
            issues.append(
                (
                    "too-long",
                    f"The Patient's {key.replace('_', ' ')} is longer than {limit} characters.",
                    "Patient",
                )
            )
    return identity


def _consent(
    resources: list[dict[str, Any]],
    request: dict[str, Any],
    patient: dict[str, Any],
    index: _Index,
    now: datetime,
    issues: list[Issue],
) -> dict[str, str]:
    pointed = [index.get(r) for r in request.get("supportingInfo") or []]
    candidates = [r for r in pointed if r and r.get("resourceType") == "Consent"]
    candidates += [r for r in resources if r["resourceType"] == "Consent" and r not in candidates]
    if not candidates:
        issues.append(
            (
                "required",
                "The person's consent is missing: include a Consent resource (status active, "
                "with the date it was given) in the Bundle, or point ServiceRequest.supportingInfo "
                "at one in the Bundle. Referrals are accepted only with the person's consent.",
                "Bundle.entry.resource.ofType(Consent)",
            )
        )
        return {}
    active = [c for c in candidates if c.get("status") == "active"]
    if not active:
        issues.append(
            (
                "business-rule",
                f"The person's consent is not active (status “{candidates[0].get('status')}”): "
                "referrals are accepted only while the person's consent is active.",
                "Consent.status",
            )
        )
        return {}
    chosen = active[0]
    given_to = index.get(chosen.get("patient"))
    if chosen.get("patient") and given_to is not None and given_to is not patient:
        issues.append(
            (
                "business-rule",
                "The Consent is about another Patient than the referral.",
                "Consent.patient",
            )
        )
    signed = _when(chosen.get("dateTime"))
    if signed is None:
        issues.append(("required", "The Consent needs the date it was given.", "Consent.dateTime"))
    elif signed > now:
        issues.append(("business-rule", "The Consent is dated in the future.", "Consent.dateTime"))
    period = ((chosen.get("provision") or {}).get("period")) or {}
    ends = _when(period.get("end"))
    if ends is not None and ends <= now:
        issues.append(
            (
                "business-rule",
                "The person's consent has ended (provision.period.end).",
                "Consent.provision.period.end",
            )
        )
    reference = next(
        (
            r["reference"]
            for r in request.get("supportingInfo") or []
            if isinstance(r, dict) and index.get(r) is chosen and r.get("reference")
        ),
        f"Consent/{chosen['id']}" if chosen.get("id") else "Consent (in the referral Bundle)",
    )
    organizations = [
        o.get("display") or o.get("reference") for o in chosen.get("organization") or []
    ]
    return {
        "consent": (
            f"The sending organization attests the person's active consent, given on "
            f"{chosen.get('dateTime')} (their reference {reference})."
        ),
        "consent_reference": str(reference)[:200],
        "consent_status": "active",
        "consent_date": str(chosen.get("dateTime") or ""),
        "consent_ends": str(period.get("end") or ""),
        "consent_organization": str(organizations[0] or "") if organizations else "",
    }


def _when(value: Any) -> datetime | None:
    """A FHIR date or dateTime as an aware datetime (a date: its start, UTC)."""
    if not isinstance(value, str):
        return None
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value) or (parse_date(f"{value}-01") if len(value) == 7 else None)
        day = day or (date(int(value), 1, 1) if value.isdigit() and len(value) == 4 else None)
        if day is None:
            return None
        moment = datetime(day.year, day.month, day.day)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def read_referral_bundle(data: Any, *, now: datetime) -> InboundReferral:
    """The referral a partner's Bundle asks for, or FhirProblem(422) listing what is wrong."""
    resources = _structure(data)
    index = _Index(data["entry"], resources)
    issues: list[Issue] = []
    task = _one(resources, "Task", issues)
    request = _one(resources, "ServiceRequest", issues)
    if issues:
        raise FhirProblem(422, issues)

    if task.get("status") != "requested":
        issues.append(
            (
                "business-rule",
                f"A new referral's Task has status requested (this one is “{task.get('status')}”).",
                "Task.status",
            )
        )
    if task.get("intent") != "order":
        issues.append(("value", "The referral Task's intent is order.", "Task.intent"))
    code = [c.get("code") for c in _codings([task["code"]])] if task.get("code") else []
    if code and "fulfill" not in code:
        issues.append(("value", "The referral Task's code is fulfill.", "Task.code"))
    if task.get("focus") and index.get(task["focus"]) is not request:
        issues.append(
            (
                "business-rule",
                "Task.focus must point at the ServiceRequest in the Bundle.",
                "Task.focus",
            )
        )

    patient = index.get(task.get("for")) or index.get(request.get("subject"))
    if patient is None or patient.get("resourceType") != "Patient":
        issues.append(("required", "Task.for must point at the Patient in the Bundle.", "Task.for"))
        patient = {}
    identity = _identity(patient, issues) if patient else {}

    owner_id = _reference_id(task.get("owner"), "Organization", index)
    if owner_id is None:
        issues.append(
            (
                "required",
                "Task.owner must name the organization you refer to, as "
                "Organization/<its ROSC Hub id>.",
                "Task.owner",
            )
        )
    service_id = next(
        (
            found
            for performer in request.get("performer") or []
            if (found := _reference_id(performer, "HealthcareService", index)) is not None
        ),
        None,
    )
    need = _need(request, issues)
    urgency = _urgency(task, request, issues)
    note = "\n\n".join(
        str(n.get("text")).strip() for n in request.get("note") or [] if n.get("text")
    )
    if len(note) > MAX_NOTE:
        issues.append(
            (
                "too-long",
                f"Please keep the note under {MAX_NOTE} characters.",
                "ServiceRequest.note",
            )
        )
    consent = _consent(resources, request, patient, index, now, issues)

    external_id = str(task.get("id") or "")
    if not external_id:
        identifiers = task.get("identifier") or []
        external_id = str(identifiers[0].get("value") or "") if identifiers else ""
    if not external_id:
        issues.append(
            (
                "required",
                "The Task needs an id (or an identifier) from your system, so you can "
                "find the referral again.",
                "Task.id",
            )
        )
    if issues:
        raise FhirProblem(422, issues[:MAX_ISSUES])
    assert owner_id is not None
    return InboundReferral(
        external_id=external_id[:200],
        owner_id=owner_id,
        service_id=service_id,
        need=need,
        urgency=urgency,
        note=note,
        identity=identity,
        consent=consent,
    )
