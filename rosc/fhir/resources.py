"""Referrals as FHIR R4 resources, after the HL7 Gravity SDOH Clinical Care (SDOHCC) patterns.

Pure functions: each takes our records (already read through the access gate) and returns a
plain dict, the JSON of one resource. Nothing here reads the database beyond the relations of
the records it is given, and nothing decides access: the caller says which side is looking.

Ids are our public UUIDs:

- Task, ServiceRequest and the per-referral Bundle all carry the referral's public id (one
  pair per referral; the Task's `focus` is `ServiceRequest/<same id>`).
- Patient: on the sender's side of a referral made in ROSC Hub, the sender's participant
  (`Patient/<participant id>`, from its own record). Everywhere else (the recipient, or a
  referral that came from a partner system and has no participant here) the person *as shared
  in that referral* is `Patient/<referral id>`, built ONLY from
  `referral.shared["identity_and_contact"]`; without that category it has an id and nothing
  else.
- Consent: a consent recorded here is `Consent/<consent id>`; a consent a partner system
  attested to when it sent a referral over FHIR is `Consent/<referral id>`.
- Organization and HealthcareService: the directory's public ids (one organization, one row).
"""

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from rosc.accounts.models import Organization
from rosc.consent.models import Category, Consent, Purpose, SignatureMethod, end_of_day
from rosc.directory.models import Service
from rosc.people.models import LifeDomain, Participant
from rosc.referrals.models import Referral, ReferralStatus, StatusReason, Urgency
from rosc.referrals.snapshot import referral_snapshot

SENDER = "sender"
RECIPIENT = "recipient"

IG = "http://hl7.org/fhir/us/sdoh-clinicalcare"
TASK_PROFILE = f"{IG}/StructureDefinition/SDOHCC-TaskForReferralManagement"
SERVICE_REQUEST_PROFILE = f"{IG}/StructureDefinition/SDOHCC-ServiceRequest"
CONSENT_PROFILE = f"{IG}/StructureDefinition/SDOHCC-Consent"
HEALTHCARE_SERVICE_PROFILE = f"{IG}/StructureDefinition/SDOHCC-HealthcareService"
APPOINTMENT_EXTENSION = (
    f"{IG}/StructureDefinition/SDOHCC-ExtensionHealthcareServiceTelecomAppointment"
)
US_CORE_ORGANIZATION_PROFILE = (
    "http://hl7.org/fhir/us/core/StructureDefinition/us-core-organization"
)
SDOHCC_CODES = f"{IG}/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"
TASK_CODES = "http://hl7.org/fhir/CodeSystem/task-code"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
PART2_POLICY = "https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2"

# ROSC Hub's own code systems (fixed URNs, the same in every deployment, so a Bundle exported
# by one ROSC Hub reads back exactly in another).
LIFE_DOMAIN_SYSTEM = "urn:rosc-hub:fhir:life-domain"
STATUS_REASON_SYSTEM = "urn:rosc-hub:fhir:referral-status-reason"
CONSENT_CATEGORY_SYSTEM = "urn:rosc-hub:fhir:consent-category"
PRONOUNS_EXTENSION = "urn:rosc-hub:fhir:pronouns"
MAY_LEAVE_MESSAGE_EXTENSION = "urn:rosc-hub:fhir:may-leave-message"

# Life domain -> the SDOHCC category that fits it. The other domains (recovery and wellness,
# family and relationships, physical and mental health, legal) have no fitting SDOHCC category:
# they are sent as `sdoh-category-unspecified` with the domain as text (the profile needs one
# SDOHCC category), beside our own life-domain coding.
SDOHCC_CATEGORY: dict[str, str] = {
    LifeDomain.HOUSING: "housing-instability",
    LifeDomain.EMPLOYMENT_EDUCATION: "employment-status",
    LifeDomain.TRANSPORTATION: "transportation-insecurity",
    LifeDomain.FINANCES: "financial-insecurity",
    LifeDomain.COMMUNITY_PURPOSE: "social-connection",
}
UNSPECIFIED = "sdoh-category-unspecified"
SDOHCC_DISPLAY: dict[str, str] = {
    "housing-instability": "Housing Instability",
    "homelessness": "Homelessness",
    "inadequate-housing": "Inadequate Housing",
    "employment-status": "Employment Status",
    "educational-attainment": "Educational Attainment",
    "transportation-insecurity": "Transportation Insecurity",
    "financial-insecurity": "Financial Insecurity",
    "material-hardship": "Material Hardship",
    "food-insecurity": "Food Insecurity",
    "utility-insecurity": "Utility Insecurity",
    "medical-cost-burden": "Medical Cost Burden",
    "social-connection": "Social Connection",
    "intimate-partner-violence": "Intimate Partner Violence",
    "elder-abuse": "Elder Abuse",
    "incarceration-status": "Incarceration Status",
    "health-insurance-coverage-status": "Health Insurance Coverage Status",
    "personal-health-literacy": "Personal Health Literacy",
    UNSPECIFIED: "SDOH Category Unspecified",
}
# Inbound: SDOHCC category -> life domain (the reverse of SDOHCC_CATEGORY, plus the nearby
# categories a partner may send). Anything else needs our own coding or a domain's name.
LIFE_DOMAIN_OF_CATEGORY: dict[str, str] = {
    **{code: domain for domain, code in SDOHCC_CATEGORY.items()},
    "homelessness": LifeDomain.HOUSING,
    "inadequate-housing": LifeDomain.HOUSING,
    "educational-attainment": LifeDomain.EMPLOYMENT_EDUCATION,
    "material-hardship": LifeDomain.FINANCES,
    "food-insecurity": LifeDomain.FINANCES,
    "utility-insecurity": LifeDomain.FINANCES,
    "medical-cost-burden": LifeDomain.FINANCES,
    "intimate-partner-violence": LifeDomain.FAMILY_RELATIONSHIPS,
    "elder-abuse": LifeDomain.FAMILY_RELATIONSHIPS,
    "incarceration-status": LifeDomain.LEGAL,
    "health-insurance-coverage-status": LifeDomain.HEALTH,
    "personal-health-literacy": LifeDomain.HEALTH,
}

# Urgency <-> FHIR request priority (routine | urgent | asap | stat).
PRIORITY: dict[str, str] = {
    Urgency.ROUTINE: "routine",
    Urgency.SOON: "urgent",
    Urgency.URGENT: "asap",
}
URGENCY_OF_PRIORITY: dict[str, str] = {
    "routine": Urgency.ROUTINE,
    "urgent": Urgency.SOON,
    "asap": Urgency.URGENT,
    "stat": Urgency.URGENT,
}

# The ServiceRequest's status follows the Task's: the request stands while the Task is open
# (on-hold included: the pause is the performer's, carried by the Task), is completed with
# it, and is revoked when the Task ends any other way.
SERVICE_REQUEST_STATUS: dict[str, str] = {
    ReferralStatus.DRAFT: "draft",
    ReferralStatus.REQUESTED: "active",
    ReferralStatus.ACCEPTED: "active",
    ReferralStatus.IN_PROGRESS: "active",
    ReferralStatus.ON_HOLD: "active",
    ReferralStatus.COMPLETED: "completed",
    ReferralStatus.REJECTED: "revoked",
    ReferralStatus.FAILED: "revoked",
    ReferralStatus.CANCELLED: "revoked",
    ReferralStatus.ENTERED_IN_ERROR: "entered-in-error",
}
# SDOHCC: "If Task.status is rejected, cancelled, on-hold, or failed, then Task.statusReason.text
# should be included."
REASON_EXPECTED = (
    ReferralStatus.REJECTED,
    ReferralStatus.CANCELLED,
    ReferralStatus.ON_HOLD,
    ReferralStatus.FAILED,
)

# Consent.status from consent.status_at(now): withdrawn by the person is "rejected" (a party
# rejected it), ended by its date or event is "inactive".
CONSENT_STATUS: dict[str, str] = {"active": "active", "expired": "inactive", "revoked": "rejected"}
# Our purposes -> v3 PurposeOfUse (ActReason); none fits "justice" or "other".
PURPOSE_OF_USE: dict[str, tuple[str, str]] = {
    Purpose.CARE_COORDINATION: ("CAREMGT", "care management"),
    Purpose.REFERRAL: ("CAREMGT", "care management"),
    Purpose.TREATMENT: ("TREAT", "treatment"),
    Purpose.PAYMENT_OPERATIONS: ("HPAYMT", "healthcare payment"),
    Purpose.RESEARCH: ("HRESCH", "healthcare research"),
}


# --- small pieces ---------------------------------------------------------------------------


def fhir_instant(value: datetime) -> str:
    """A FHIR instant/dateTime in UTC with milliseconds: 2026-05-04T13:02:11.123Z."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def base_url() -> str:
    return f"{settings.ROSC_BASE_URL.rstrip('/')}/fhir"


def ref(resource_type: str, id_: object, display: str = "") -> dict[str, str]:
    out = {"reference": f"{resource_type}/{id_}"}
    if display:
        out["display"] = display
    return out


def _meta(profile: str | None, updated: datetime | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if profile:
        meta["profile"] = [profile]
    if updated is not None:
        meta["lastUpdated"] = fhir_instant(updated)
    return meta


def patient_id_for(referral: Referral, side: str) -> str:
    """The Patient a side of this referral sees (see the module docstring)."""
    if side == SENDER and referral.participant_id is not None:
        assert referral.participant is not None
        return str(referral.participant.public_id)
    return str(referral.public_id)


def attested_consent(referral: Referral) -> dict[str, str] | None:
    """The consent a partner system attested to for a referral it sent over FHIR, if any."""
    details = referral.shared.get(Category.REFERRAL_DETAILS) or {}
    if not details.get("consent_reference"):
        return None
    return {k: str(v) for k, v in details.items() if k.startswith("consent")}


def consent_id_for(referral: Referral) -> str | None:
    if referral.consent_id is not None:
        assert referral.consent is not None
        return str(referral.consent.public_id)
    if attested_consent(referral) is not None:
        return str(referral.public_id)
    return None


# --- Task -----------------------------------------------------------------------------------


def task(referral: Referral, side: str) -> dict[str, Any]:
    """The SDOHCC Task For Referral Management of a referral, as `side` sees it."""
    status = referral.status
    out: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(referral.public_id),
        "meta": _meta(TASK_PROFILE, referral.updated_at),
    }
    if referral.external_id:
        sender = referral.sender_organization
        identifier: dict[str, Any] = {
            "use": "secondary",
            "type": {"text": "Task id in the sending system"},
            "value": referral.external_id,
        }
        if sender is not None:
            identifier["assigner"] = ref("Organization", sender.public_id, sender.name)
        out["identifier"] = [identifier]
    out["status"] = status
    reason = _status_reason(referral)
    if reason is not None:
        out["statusReason"] = reason
    out.update(
        {
            "intent": "order",
            "priority": PRIORITY.get(referral.urgency, "routine"),
            "code": {
                "coding": [
                    {
                        "system": TASK_CODES,
                        "code": "fulfill",
                        "display": "Fulfill the focal request",
                    }
                ]
            },
            "description": f"Referral for {LifeDomain(referral.need).label.lower()}",
            "focus": ref("ServiceRequest", referral.public_id),
            "for": ref("Patient", patient_id_for(referral, side)),
        }
    )
    if referral.sent_at is not None:
        period = {"start": fhir_instant(referral.sent_at)}
        if referral.closed_at is not None:
            period["end"] = fhir_instant(referral.closed_at)
        out["executionPeriod"] = period
    out["authoredOn"] = fhir_instant(referral.sent_at or referral.created_at)
    out["lastModified"] = fhir_instant(referral.updated_at)
    out["requester"] = _requester(referral, for_task=True)
    recipient = referral.recipient_organization
    out["owner"] = ref("Organization", recipient.public_id, recipient.name)
    # No `output`: a completed referral records no coded procedure here (SDOHCC's output
    # slices need a Procedure or a US Core procedure code), so none is invented.
    return out


def _status_reason(referral: Referral) -> dict[str, Any] | None:
    text = referral.status_reason_text
    label = StatusReason(referral.status_reason).label if referral.status_reason else ""
    if not (text or label or referral.status in REASON_EXPECTED):
        return None
    out: dict[str, Any] = {}
    if referral.status_reason:
        out["coding"] = [
            {"system": STATUS_REASON_SYSTEM, "code": referral.status_reason, "display": label}
        ]
    out["text"] = text or label or referral.get_status_display()
    return out


def _requester(referral: Referral, *, for_task: bool) -> dict[str, str]:
    sender = referral.sender_organization
    if sender is not None:
        return ref("Organization", sender.public_id, sender.name)
    # A self-referral: the person asked to be contacted. The SDOHCC Task's requester is an
    # Organization or PractitionerRole, so the Task names them by display only.
    if for_task:
        return {"display": "The person, through the contact-me form"}
    return ref("Patient", referral.public_id, "The person (self-referral)")


# --- ServiceRequest -------------------------------------------------------------------------


def need_categories(need: str) -> list[dict[str, Any]]:
    label = LifeDomain(need).label
    code = SDOHCC_CATEGORY.get(need, UNSPECIFIED)
    return [
        {
            "coding": [{"system": SDOHCC_CODES, "code": code, "display": SDOHCC_DISPLAY[code]}],
            "text": label,
        },
        {
            "coding": [{"system": LIFE_DOMAIN_SYSTEM, "code": need, "display": label}],
            "text": label,
        },
    ]


def note_for(referral: Referral, side: str) -> str:
    """The note written for the recipient, as this side may read it: the sender its own text,
    the recipient only what was shared as referral details."""
    if side == SENDER:
        return referral.note_for_recipient
    details = referral.shared.get(Category.REFERRAL_DETAILS)
    return str(details.get("note") or "") if details else ""


def service_request(referral: Referral, side: str) -> dict[str, Any]:
    """The SDOHCC ServiceRequest (the referral itself) as `side` sees it."""
    label = LifeDomain(referral.need).label
    out: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": str(referral.public_id),
        "meta": _meta(SERVICE_REQUEST_PROFILE, referral.updated_at),
        "status": SERVICE_REQUEST_STATUS[referral.status],
        "intent": "order",
        "category": need_categories(referral.need),
        "priority": PRIORITY.get(referral.urgency, "routine"),
        # US Core procedure codes would go in coding; we hold no coded service, so text only.
        "code": {"text": f"Referral for {label.lower()}"},
        "subject": ref("Patient", patient_id_for(referral, side)),
        "authoredOn": fhir_instant(referral.sent_at or referral.created_at),
        "requester": _requester(referral, for_task=False),
    }
    service = referral.recipient_service
    recipient = referral.recipient_organization
    out["performer"] = [
        ref("HealthcareService", service.public_id, service.name)
        if service is not None
        else ref("Organization", recipient.public_id, recipient.name)
    ]
    consent_id = consent_id_for(referral)
    if consent_id is not None:
        out["supportingInfo"] = [ref("Consent", consent_id)]
    note = note_for(referral, side)
    if note:
        out["note"] = [{"text": note}]
    return out


# --- Patient --------------------------------------------------------------------------------


def identity_of_participant(participant: Participant) -> dict[str, Any]:
    """The sender's own record of the person, with the same keys as a shared snapshot."""
    identity: dict[str, Any] = referral_snapshot(participant, [Category.IDENTITY_CONTACT], {})[
        Category.IDENTITY_CONTACT
    ]
    return identity


TELECOM_OF_CONTACT = {"phone_call": "phone", "text": "sms", "email": "email"}


def patient(patient_id: str, identity: dict[str, Any] | None) -> dict[str, Any]:
    """A minimum Patient: only the identity and contact given (none: an id and nothing else).

    No profile is claimed: US Core Patient needs an administrative gender and an identifier,
    which ROSC Hub neither records nor shares (minimum necessary).
    """
    out: dict[str, Any] = {"resourceType": "Patient", "id": patient_id}
    if not identity:
        return out
    extensions = []
    if identity.get("pronouns"):
        extensions.append({"url": PRONOUNS_EXTENSION, "valueString": identity["pronouns"]})
    if "may_leave_message" in identity and (identity.get("phone") or identity.get("email")):
        extensions.append(
            {
                "url": MAY_LEAVE_MESSAGE_EXTENSION,
                "valueBoolean": bool(identity["may_leave_message"]),
            }
        )
    if extensions:
        out["extension"] = extensions
    names = []
    first, last = identity.get("first_name") or "", identity.get("last_name") or ""
    if first or last:
        official: dict[str, Any] = {"use": "official", "text": f"{first} {last}".strip()}
        if last:
            official["family"] = last
        if first:
            official["given"] = [first]
        names.append(official)
    elif identity.get("name"):
        names.append({"use": "official", "text": identity["name"]})
    if identity.get("preferred_name"):
        names.append(
            {
                "use": "usual",
                "text": identity["preferred_name"],
                "given": [identity["preferred_name"]],
            }
        )
    if names:
        out["name"] = names
    preferred = TELECOM_OF_CONTACT.get(identity.get("preferred_contact") or "")
    telecom = []
    if identity.get("phone"):
        system = "sms" if preferred == "sms" else "phone"
        telecom.append({"system": system, "value": identity["phone"]})
        if system == "sms":
            telecom.append({"system": "phone", "value": identity["phone"]})
    if identity.get("email"):
        telecom.append({"system": "email", "value": identity["email"]})
    for rank, point in enumerate(sorted(telecom, key=lambda t: t["system"] != preferred), start=1):
        point["rank"] = rank
    if telecom:
        out["telecom"] = sorted(telecom, key=lambda t: t["rank"])
    if identity.get("date_of_birth"):
        out["birthDate"] = identity["date_of_birth"]
    if identity.get("language"):
        out["communication"] = [{"language": {"text": identity["language"]}, "preferred": True}]
    return out


def referral_patient(referral: Referral, side: str) -> dict[str, Any]:
    """The Patient of a referral as `side` sees it."""
    pid = patient_id_for(referral, side)
    if side == SENDER and referral.participant is not None:
        return patient(pid, identity_of_participant(referral.participant))
    return patient(pid, referral.shared.get(Category.IDENTITY_CONTACT))


# --- Consent --------------------------------------------------------------------------------


def _consent_common(
    *, consent_id: str, status: str, patient_id: str, signed: str, updated: datetime | None
) -> dict[str, Any]:
    return {
        "resourceType": "Consent",
        "id": consent_id,
        "meta": _meta(CONSENT_PROFILE, updated),
        "status": status,
        "scope": {
            "coding": [
                {"system": CONSENT_SCOPE, "code": "patient-privacy", "display": "Privacy Consent"}
            ]
        },
        "category": [
            {"coding": [{"system": ACT_CODE, "code": "IDSCL", "display": "information disclosure"}]}
        ],
        "patient": ref("Patient", patient_id),
        "dateTime": signed,
        "performer": [ref("Patient", patient_id)],
    }


def _recipient_actor(organization: Organization | None, text: str = "") -> dict[str, Any]:
    return {
        "role": {
            "coding": [
                {"system": PARTICIPATION_TYPE, "code": "IRCP", "display": "information recipient"}
            ]
        },
        "reference": (
            ref("Organization", organization.public_id, organization.name)
            if organization is not None
            else {"display": text}
        ),
    }


def consent(c: Consent, *, patient_id: str, now: datetime) -> dict[str, Any]:
    """The SDOHCC Consent of a consent recorded here. The person's name is never in it (the
    Patient reference carries only what the viewing side may see)."""
    out = _consent_common(
        consent_id=str(c.public_id),
        status=CONSENT_STATUS[c.status_at(now)],
        patient_id=patient_id,
        signed=fhir_instant(c.signed_at),
        updated=c.updated_at,
    )
    disclosing = c.disclosing_organization
    out["organization"] = [ref("Organization", disclosing.public_id, disclosing.name)]
    method = SignatureMethod(c.signature_method).label if c.signature_method else "signed"
    out["sourceAttachment"] = {
        "title": f"Consent signed {method.lower()} on {c.signed_at:%Y-%m-%d}; kept by "
        f"{disclosing.name}",
        "creation": fhir_instant(c.signed_at),
    }
    if c.is_part2_source:
        out["policy"] = [{"authority": "https://www.ecfr.gov", "uri": PART2_POLICY}]
    out["policyRule"] = {"coding": [{"system": ACT_CODE, "code": "OPTIN", "display": "opt-in"}]}
    period = {"start": fhir_instant(c.signed_at)}
    if c.expires_on is not None:
        period["end"] = fhir_instant(end_of_day(c.expires_on, disclosing))
    provision: dict[str, Any] = {
        "type": "permit",
        "period": period,
        "actor": [_recipient_actor(c.recipient_organization, c.recipient_class)],
    }
    if c.purpose in PURPOSE_OF_USE:
        code, display = PURPOSE_OF_USE[c.purpose]
        provision["purpose"] = [{"system": ACT_REASON, "code": code, "display": display}]
    provision["class"] = [
        {"system": CONSENT_CATEGORY_SYSTEM, "code": cat, "display": Category(cat).label}
        for cat in c.categories
        if cat in Category.values
    ]
    out["provision"] = provision
    return out


def attested_consent_resource(referral: Referral, side: str) -> dict[str, Any] | None:
    """The consent a partner system attested to when it sent this referral over FHIR."""
    attested = attested_consent(referral)
    if attested is None:
        return None
    sender = referral.sender_organization
    status = attested.get("consent_status") or "active"
    out = _consent_common(
        consent_id=str(referral.public_id),
        status=status if status in CONSENT_STATUS.values() else "active",
        patient_id=patient_id_for(referral, side),
        signed=attested.get("consent_date") or fhir_instant(referral.created_at),
        updated=referral.created_at,
    )
    if sender is not None:
        out["organization"] = [ref("Organization", sender.public_id, sender.name)]
    out["sourceAttachment"] = {
        "title": f"Consent attested by {sender.name if sender else 'the sending system'} "
        f"(their reference: {attested['consent_reference']})",
    }
    out["policyRule"] = {"coding": [{"system": ACT_CODE, "code": "OPTIN", "display": "opt-in"}]}
    period = {"start": out["dateTime"]}
    if attested.get("consent_ends"):
        period["end"] = attested["consent_ends"]
    out["provision"] = {
        "type": "permit",
        "period": period,
        "actor": [_recipient_actor(referral.recipient_organization)],
        "class": [
            {"system": CONSENT_CATEGORY_SYSTEM, "code": cat, "display": Category(cat).label}
            for cat in referral.categories
            if cat in Category.values
        ],
    }
    return out


def referral_consent(referral: Referral, side: str, now: datetime) -> dict[str, Any] | None:
    """The Consent a referral relied on, as `side` sees it (None when there is none)."""
    if referral.consent is not None:
        return consent(referral.consent, patient_id=patient_id_for(referral, side), now=now)
    return attested_consent_resource(referral, side)


# --- Organization and HealthcareService (public directory data) -----------------------------


def organization(org: Organization) -> dict[str, Any]:
    out: dict[str, Any] = {
        "resourceType": "Organization",
        "id": str(org.public_id),
        "meta": _meta(US_CORE_ORGANIZATION_PROFILE, org.updated_at),
        "active": org.is_active,
        "type": [{"text": org.get_kind_display()}],
        "name": org.name,
    }
    if org.alternate_name:
        out["alias"] = [org.alternate_name]
    telecom = []
    if org.email:
        telecom.append({"system": "email", "value": org.email})
    if org.url:
        telecom.append({"system": "url", "value": org.url})
    if telecom:
        out["telecom"] = telecom
    if org.parent_organization_id is not None:
        out["partOf"] = ref("Organization", org.parent_organization_id)
    return out


def healthcare_service(service: Service, phones: Iterable[Any] = ()) -> dict[str, Any]:
    """A directory service. It claims the SDOHCC HealthcareService profile only when it can
    meet it: active, with at least one way to make an appointment."""
    active = service.status == Service.Status.ACTIVE
    appointment = [{"url": APPOINTMENT_EXTENSION, "valueBoolean": True}]
    telecom: list[dict[str, Any]] = []
    for phone in phones:
        number = phone.number
        if phone.extension:
            number = f"{number} ext. {int(phone.extension)}"
        telecom.append({"extension": appointment, "system": "phone", "value": number})
    if service.email:
        telecom.append({"extension": appointment, "system": "email", "value": service.email})
    if service.url:
        telecom.append({"system": "url", "value": service.url})
    conforms = active and any(t.get("extension") for t in telecom)
    out: dict[str, Any] = {
        "resourceType": "HealthcareService",
        "id": str(service.public_id),
        "meta": _meta(HEALTHCARE_SERVICE_PROFILE if conforms else None, service.updated_at),
        "active": active,
        "providedBy": ref("Organization", service.organization_id),
        "name": service.name,
    }
    if service.description:
        out["comment"] = service.description
    if telecom:
        out["telecom"] = telecom
    if service.eligibility_description:
        out["eligibility"] = [{"comment": service.eligibility_description}]
    if service.application_process:
        out["extraDetails"] = service.application_process
    if not out["meta"]:
        del out["meta"]
    return out


# --- Bundles --------------------------------------------------------------------------------


def entry(resource: dict[str, Any], base: str | None = None) -> dict[str, Any]:
    root = base or base_url()
    return {"fullUrl": f"{root}/{resource['resourceType']}/{resource['id']}", "resource": resource}


def referral_bundle(
    referral: Referral,
    side: str,
    *,
    now: datetime,
    service_phones: Iterable[Any] = (),
    base: str | None = None,
) -> dict[str, Any]:
    """One referral as `side` may see it: Task, ServiceRequest, Patient, the organizations,
    the directory service and the consent it relied on (a collection Bundle)."""
    resources = [
        task(referral, side),
        service_request(referral, side),
        referral_patient(referral, side),
    ]
    if referral.sender_organization is not None:
        resources.append(organization(referral.sender_organization))
    resources.append(organization(referral.recipient_organization))
    if referral.recipient_service is not None:
        resources.append(healthcare_service(referral.recipient_service, service_phones))
    agreed = referral_consent(referral, side, now)
    if agreed is not None:
        resources.append(agreed)
    return {
        "resourceType": "Bundle",
        "id": str(referral.public_id),
        "meta": {"lastUpdated": fhir_instant(referral.updated_at)},
        "type": "collection",
        "timestamp": fhir_instant(now),
        "entry": [entry(r, base) for r in resources],
    }


def searchset(
    resources: list[dict[str, Any]],
    *,
    total: int,
    links: dict[str, str],
    now: datetime,
    base: str | None = None,
) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "meta": {"lastUpdated": fhir_instant(now)},
        "type": "searchset",
        "total": total,
        "link": [{"relation": rel, "url": url} for rel, url in links.items()],
        "entry": [{**entry(r, base), "search": {"mode": "match"}} for r in resources],
    }


def operation_outcome(issues: list[tuple[str, str, str | None]]) -> dict[str, Any]:
    """issues: (code, diagnostics, expression or None), each an error."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "error",
                "code": code,
                "diagnostics": text,
                **({"expression": [where]} if where else {}),
            }
            for code, text, where in issues
        ],
    }


def capability_statement(*, now: datetime, base: str | None = None) -> dict[str, Any]:
    read = [{"code": "read"}]
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": fhir_instant(now),
        "publisher": "ROSC Hub",
        "kind": "instance",
        "software": {"name": "ROSC Hub"},
        "implementation": {
            "description": "ROSC Hub closed-loop referrals (FHIR R4)",
            "url": base or base_url(),
        },
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "implementationGuide": [f"{IG}/ImplementationGuide/hl7.fhir.us.sdoh-clinicalcare"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Referral Tasks are polled (no subscriptions). Inbound referrals: "
                "POST a Bundle (collection or transaction) holding an SDOHCC Task and "
                "ServiceRequest, the Patient and the person's active Consent.",
                "security": {
                    "description": "A signed-in session, or an API key made under Your account "
                    "(Authorization: Bearer <key>). Records answer only to the two organizations "
                    "of a referral; anything else is 404."
                },
                "resource": [
                    {
                        "type": "Task",
                        "supportedProfile": [TASK_PROFILE],
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "searchParam": [
                            {"name": "owner", "type": "reference"},
                            {"name": "requester", "type": "reference"},
                            {"name": "status", "type": "token"},
                            {"name": "_lastUpdated", "type": "date"},
                            {"name": "_count", "type": "number"},
                        ],
                    },
                    {
                        "type": "ServiceRequest",
                        "supportedProfile": [SERVICE_REQUEST_PROFILE],
                        "interaction": read,
                    },
                    {"type": "Patient", "interaction": read},
                    {"type": "Consent", "supportedProfile": [CONSENT_PROFILE], "interaction": read},
                    {
                        "type": "Organization",
                        "supportedProfile": [US_CORE_ORGANIZATION_PROFILE],
                        "interaction": read,
                    },
                    {
                        "type": "HealthcareService",
                        "supportedProfile": [HEALTHCARE_SERVICE_PROFILE],
                        "interaction": read,
                    },
                    {"type": "Bundle", "interaction": [{"code": "read"}, {"code": "create"}]},
                ],
            }
        ],
    }
