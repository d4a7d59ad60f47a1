"""Every write to the directory: HSDS import, the shipped taxonomies, keeping listings true
(staff curation), merging duplicates and queued HSDS uploads."""

import logging
import uuid
from collections.abc import Callable, Iterable
from datetime import date, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from rosc.accounts.models import Organization, RecoveryPathway
from rosc.core.audit import Auditable, audit_record
from rosc.core.models import AuditEvent
from rosc.directory import taxonomy as recovery
from rosc.directory import validation
from rosc.directory.importers import HSDSReadError, ImportReport, import_rows, read_source
from rosc.directory.models import (
    Address,
    Attribute,
    Contact,
    CostOption,
    DirectoryImport,
    Funding,
    Language,
    Location,
    OrganizationIdentifier,
    Phone,
    Program,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from rosc.directory.search_index import search_index_refresh, search_index_refresh_hsds_ids

logger = logging.getLogger(__name__)


def load_recovery_support(taxonomy_model: Any, term_model: Any) -> None:
    """Create or update the shipped taxonomy with these model classes (migrations pass theirs)."""
    taxonomy_model.objects.update_or_create(
        public_id=recovery.TAXONOMY_ID,
        defaults={
            "name": recovery.TAXONOMY_NAME,
            "description": recovery.TAXONOMY_DESCRIPTION,
            "version": recovery.TAXONOMY_VERSION,
        },
    )
    for code, name, description in recovery.TERMS:
        term_model.objects.update_or_create(
            public_id=recovery.term_id(code),
            defaults={
                "code": code,
                "name": name,
                "description": description,
                "taxonomy": recovery.TAXONOMY_NAME,
                "taxonomy_detail_id": recovery.TAXONOMY_ID,
                "language": "en",
            },
        )


def load_recovery_extensions(taxonomy_model: Any, term_model: Any) -> None:
    """The "ROSC Hub recovery extensions" taxonomy: the terms of the exported attributes."""
    taxonomy_model.objects.update_or_create(
        public_id=recovery.EXTENSIONS_TAXONOMY_ID,
        defaults={
            "name": recovery.EXTENSIONS_TAXONOMY_NAME,
            "description": recovery.EXTENSIONS_TAXONOMY_DESCRIPTION,
            "version": recovery.EXTENSIONS_TAXONOMY_VERSION,
        },
    )
    for code, name, description in recovery.EXTENSION_TERMS:
        term_model.objects.update_or_create(
            public_id=recovery.extension_term_id(code),
            defaults={
                "code": code,
                "name": name,
                "description": description,
                "taxonomy": recovery.EXTENSIONS_TAXONOMY_NAME,
                "taxonomy_detail_id": recovery.EXTENSIONS_TAXONOMY_ID,
                "language": "en",
            },
        )


@transaction.atomic
def taxonomy_load_recovery_extensions() -> Taxonomy:
    """Idempotent: the recovery-extensions taxonomy and its terms, as shipped."""
    load_recovery_extensions(Taxonomy, TaxonomyTerm)
    return Taxonomy.objects.get(public_id=recovery.EXTENSIONS_TAXONOMY_ID)


@transaction.atomic
def taxonomy_load_recovery_support() -> Taxonomy:
    """Idempotent: the ROSC Hub recovery-support taxonomy and its terms, as shipped."""
    load_recovery_support(Taxonomy, TaxonomyTerm)
    return Taxonomy.objects.get(public_id=recovery.TAXONOMY_ID)


INDEX_LINKS = ("id", "service_id", "location_id", "organization_id", "link_id")


@transaction.atomic
def hsds_import(
    *,
    path: Path,
    progress: Callable[[int], None] | None = None,
    started: Callable[[int], None] | None = None,
    actor: Auditable | None = None,
) -> ImportReport:
    """Import an HSDS datapackage or JSON file: good rows upserted by HSDS id, bad ones reported.

    `started` is told how many rows were read, `progress` how many are done so far.
    Raises importers.HSDSReadError when the source cannot be read at all.
    """
    rows, problems = read_source(path)
    if started is not None:
        started(len(rows))
    report = ImportReport(problems=list(problems))
    import_rows(rows, report, progress)
    # The import writes with raw SQL (no signals): refresh what it touched in the index. A
    # record names the services it feeds through its own id or its links to them.
    search_index_refresh_hsds_ids(
        row.values[key] for row in rows for key in INDEX_LINKS if key in row.values
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record_type="directory.hsds_import",
        record_label=f"HSDS import of {path.name}"[:200],
        detail={"imported": report.imported, "refused": len(report.errors)},
    )
    return report


# --- keeping listings true (staff curation) ----------------------------------------------------
# The callers have checked access with rosc.directory.curation_selectors; every write here is
# audited with a `detail` of what changed (old -> new: the directory is public data).

LISTING_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "email",
    "url",
    "tax_status",
    "tax_id",
    "year_incorporated",
    "legal_status",
    "logo",
    "uri",
    "kind",
    "peer_led",
    "recovery_pathways",
    "accepting_new_people",
    "capacity_note",
)
SERVICE_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "status",
    "fees_description",
)
LOCATION_FIELDS = ("name", "description", "latitude", "longitude", "transportation")
ADDRESS_FIELDS = ("address_1", "address_2", "city", "state_province", "postal_code", "country")
PHONE_FIELDS = ("number", "extension", "type", "description")
SCHEDULE_FIELDS = ("byday", "opens_at", "closes_at", "valid_from", "valid_to", "description")
NEED_LINK_TYPE = "recovery_support"
LANGUAGE_CODES = {
    "english": "en",
    "spanish": "es",
    "polish": "pl",
    "arabic": "ar",
    "chinese": "zh",
    "french": "fr",
    "german": "de",
    "korean": "ko",
    "russian": "ru",
    "tagalog": "tl",
    "vietnamese": "vi",
    "american sign language": "ase",
    "hindi": "hi",
    "urdu": "ur",
    "portuguese": "pt",
    "italian": "it",
    "gujarati": "gu",
    "ukrainian": "uk",
    "haitian creole": "ht",
}
LANGUAGE_NAMES = {code: name.title() for name, code in LANGUAGE_CODES.items()}
LANGUAGE_NAMES["ase"] = "American Sign Language"


def _shown(value: Any) -> Any:
    """A value as the audit trail keeps it (JSON)."""
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _apply(instance: Any, changes: dict[str, Any], allowed: Iterable[str]) -> dict[str, list[Any]]:
    """Set the allowed fields that differ; return {field: [old, new]}."""
    changed = {}
    for name in allowed:
        if name not in changes:
            continue
        old, new = getattr(instance, name), changes[name]
        if old != new:
            setattr(instance, name, new)
            changed[name] = [_shown(old), _shown(new)]
    return changed


def _validated(instance: Any, exclude: Iterable[str] = ()) -> None:
    """The model's own field checks (choices, lengths, e-mail and URL fields)."""
    instance.full_clean(exclude=["public_id", *exclude], validate_unique=False)


def _audit_change(
    actor: Auditable, record: Any, organization: Organization, detail: dict[str, Any], *, new=False
) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if new else AuditEvent.Action.UPDATE,
        record=record,
        record_organization_id=organization.public_id,
        detail=detail,
    )


def _refresh_organization(organization: Organization) -> None:
    search_index_refresh(
        service_ids=Service.objects.filter(organization=organization).values_list("pk", flat=True)
    )


@transaction.atomic
def organization_listing_update(
    *, actor: Auditable, organization: Organization, changes: dict[str, Any]
) -> dict[str, list[Any]]:
    """Change an organization's HSDS fields and recovery extensions; returns what changed."""
    if "email" in changes:
        changes["email"] = validation.clean_email(changes["email"])
    if "url" in changes:
        changes["url"] = validation.clean_url(changes["url"])
    pathways = changes.get("recovery_pathways")
    if pathways is not None:
        unknown = [p for p in pathways if p not in RecoveryPathway.values]
        if unknown:
            raise ValidationError({"recovery_pathways": f"Unknown pathway: {unknown[0]}"})
        changes["recovery_pathways"] = [p for p in RecoveryPathway.values if p in pathways]
    changed = _apply(organization, changes, LISTING_FIELDS)
    if not changed:
        return {}
    _validated(organization, exclude=["slug", "parent_organization"])
    organization.save()
    _audit_change(actor, organization, organization, {"changed": changed})
    _refresh_organization(organization)
    return changed


@transaction.atomic
def organization_listing_verify(
    *, actor: Auditable, organization: Organization, on: date | None = None
) -> None:
    """Record that someone confirmed today that the listing is true."""
    day = on or timezone.localdate()
    old = organization.last_verified_on
    organization.last_verified_on = day
    organization.save(update_fields=["last_verified_on", "updated_at"])
    _audit_change(
        actor,
        organization,
        organization,
        {"changed": {"last_verified_on": [_shown(old), day.isoformat()]}},
    )


def _language_row(text: str) -> tuple[str, str]:
    """'Spanish' or 'es' -> ('Spanish', 'es'); an unknown language keeps its name, no code."""
    entry = " ".join(text.split())
    lowered = entry.lower()
    if lowered in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[lowered], lowered
    return entry, LANGUAGE_CODES.get(lowered, "")


def _sync_children(
    model: Any,
    existing: Iterable[Any],
    wanted: list[dict[str, Any]],
    fields: tuple[str, ...],
    parent: dict[str, Any],
    label: str,
) -> dict[str, Any]:
    """Make the children rows match `wanted` (each with an optional "public_id"); the change."""
    by_id = {str(row.public_id): row for row in existing}
    kept: set[str] = set()
    added, changed = [], {}
    for values in wanted:
        row_id = str(values.get("public_id") or "")
        row = by_id.get(row_id)
        data = {k: values[k] for k in fields if k in values}
        if row is None:
            row = model(**parent, **data)
            _validated(row)
            row.save()
            added.append({k: _shown(v) for k, v in data.items() if v not in ("", None)})
        else:
            diff = _apply(row, data, fields)
            if diff:
                _validated(row)
                row.save()
                changed[str(row.public_id)] = diff
        kept.add(str(row.public_id))
    removed = []
    for row_id, row in by_id.items():
        if row_id not in kept:
            removed.append({k: _shown(getattr(row, k)) for k in fields if getattr(row, k)})
            row.delete()
    out: dict[str, Any] = {}
    if added:
        out[f"{label} added"] = added
    if changed:
        out[f"{label} changed"] = changed
    if removed:
        out[f"{label} removed"] = removed
    return out


def _check_phones(phones: list[dict[str, Any]]) -> None:
    for i, phone in enumerate(phones):
        try:
            phone["number"] = validation.clean_phone(phone.get("number", ""))
        except ValidationError as exc:
            raise ValidationError({f"phones-{i}-number": exc.messages}) from exc


def _check_schedules(schedules: list[dict[str, Any]]) -> None:
    for i, row in enumerate(schedules):
        try:
            validation.check_hours(
                row.get("opens_at"),
                row.get("closes_at"),
                past_midnight=bool(row.pop("past_midnight", False)),
            )
            validation.check_dates(row.get("valid_from"), row.get("valid_to"))
        except ValidationError as exc:
            raise ValidationError(
                {f"schedules-{i}-{k}": v for k, v in exc.message_dict.items()}
            ) from exc
        days = [d.strip().upper() for d in str(row.get("byday", "")).split(",") if d.strip()]
        if any(d not in Schedule.Weekday.values for d in days):
            raise ValidationError({f"schedules-{i}-byday": "Choose days of the week."})
        row["byday"] = ",".join(days)


def _service_children(
    service: Service,
    *,
    languages: list[str] | None,
    free: bool | None,
    needs: list[uuid.UUID] | None,
    phones: list[dict[str, Any]] | None,
    schedules: list[dict[str, Any]] | None,
) -> dict[str, Any]:
    detail: dict[str, Any] = {}
    if languages is not None:
        old_names = sorted(service.languages.values_list("name", flat=True))
        rows: dict[str, tuple[str, str]] = {}
        for text in languages:
            if text.strip():
                name, code = _language_row(text)
                rows.setdefault(name.lower(), (name, code))
        if sorted(n for n, _c in rows.values()) != old_names:
            Language.objects.filter(service=service).delete()
            for name, code in rows.values():
                Language.objects.create(service=service, name=name, code=code)
            detail["languages"] = [old_names, sorted(n for n, _c in rows.values())]
    if free is not None:
        free_rows = CostOption.objects.filter(service=service, amount=0)
        was_free = free_rows.exists()
        if free and not was_free:
            CostOption.objects.create(service=service, option="Free", amount=0, currency="USD")
        elif not free and was_free:
            free_rows.delete()
        if free != was_free:
            detail["free"] = [was_free, free]
    if needs is not None:
        allowed = set(recovery_terms_ids())
        unknown = [n for n in needs if n not in allowed]
        if unknown:
            raise ValidationError({"needs": "Choose kinds of help from the list."})
        tags = Attribute.objects.filter(
            link_id=service.public_id,
            link_entity="service",
            taxonomy_term_id__in=allowed,  # type: ignore[misc]
        )
        old = {a.taxonomy_term_id for a in tags}
        new = set(needs)
        if old != new:
            tags.exclude(taxonomy_term_id__in=new).delete()  # type: ignore[misc]
            for term in sorted(new - old):
                Attribute.objects.create(
                    link_id=service.public_id,
                    link_entity="service",
                    link_type=NEED_LINK_TYPE,
                    taxonomy_term_id=term,
                )
            names = dict(TaxonomyTerm.objects.values_list("public_id", "name"))
            detail["needs"] = [
                sorted(names.get(t, str(t)) for t in old),
                sorted(names.get(t, str(t)) for t in new),
            ]
    if phones is not None:
        _check_phones(phones)
        detail |= _sync_children(
            Phone, service.phones.all(), phones, PHONE_FIELDS, {"service": service}, "phones"
        )
    if schedules is not None:
        _check_schedules(schedules)
        for row in schedules:
            row.setdefault("freq", Schedule.Freq.WEEKLY)
        detail |= _sync_children(
            Schedule,
            service.schedules.all(),
            schedules,
            (*SCHEDULE_FIELDS, "freq"),
            {"service": service},
            "schedules",
        )
    return detail


def recovery_terms_ids() -> list[uuid.UUID]:
    return list(
        TaxonomyTerm.objects.filter(taxonomy_detail__public_id=recovery.TAXONOMY_ID).values_list(
            "public_id", flat=True
        )
    )


@transaction.atomic
def service_update(
    *,
    actor: Auditable,
    service: Service,
    changes: dict[str, Any],
    languages: list[str] | None = None,
    free: bool | None = None,
    needs: list[uuid.UUID] | None = None,
    phones: list[dict[str, Any]] | None = None,
    schedules: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Change a service, its languages, cost, needs, phones and weekly hours; what changed.

    ValidationError names each bad field (a phone's as "phones-<n>-number"); nothing is saved.
    """
    for name, clean in (("email", validation.clean_email), ("url", validation.clean_url)):
        if name in changes:
            changes[name] = clean(changes[name])
    changed: dict[str, Any] = _apply(service, changes, SERVICE_FIELDS)
    _validated(service, exclude=["organization", "program"])
    service.save()
    changed |= _service_children(
        service, languages=languages, free=free, needs=needs, phones=phones, schedules=schedules
    )
    if changed:
        _audit_change(actor, service, service.organization, {"changed": changed})
    search_index_refresh(service_ids=[service.pk])
    return changed


@transaction.atomic
def service_create(
    *,
    actor: Auditable,
    organization: Organization,
    changes: dict[str, Any],
    languages: list[str] | None = None,
    free: bool | None = None,
    needs: list[uuid.UUID] | None = None,
    phones: list[dict[str, Any]] | None = None,
    schedules: list[dict[str, Any]] | None = None,
) -> Service:
    """Add a service to an organization's listing (it shows at the organization's places)."""
    service = Service(organization=organization, status=Service.Status.ACTIVE)
    for name, clean in (("email", validation.clean_email), ("url", validation.clean_url)):
        if name in changes:
            changes[name] = clean(changes[name])
    _apply(service, changes, SERVICE_FIELDS)
    _validated(service, exclude=["organization", "program"])
    service.save()
    detail = {k: _shown(getattr(service, k)) for k in SERVICE_FIELDS if getattr(service, k)}
    detail |= _service_children(
        service, languages=languages, free=free, needs=needs, phones=phones, schedules=schedules
    )
    for location in Location.objects.filter(organization=organization):
        ServiceAtLocation.objects.create(service=service, location=location)
    _audit_change(actor, service, organization, {"created": detail}, new=True)
    search_index_refresh(service_ids=[service.pk])
    return service


def _location_save(
    *,
    location: Location,
    changes: dict[str, Any],
    address: dict[str, Any] | None,
    phones: list[dict[str, Any]] | None,
    services: list[Service] | None,
) -> dict[str, Any]:
    validation.check_coordinates(
        changes.get("latitude", location.latitude), changes.get("longitude", location.longitude)
    )
    changed: dict[str, Any] = _apply(location, changes, LOCATION_FIELDS)
    _validated(location, exclude=["organization"])
    location.save()
    before = {s.pk for s in Service.objects.filter(service_at_locations__location=location)}
    if address is not None:
        current = location.addresses.order_by("pk").first()
        if current is None:
            current = Address(location=location, address_type=Location.LocationType.PHYSICAL)
            current.country = "US"
        diff = _apply(current, address, ADDRESS_FIELDS)
        if diff:
            _validated(current, exclude=["location"])
            current.save()
            changed["address"] = diff
    if phones is not None:
        _check_phones(phones)
        changed |= _sync_children(
            Phone, location.phones.all(), phones, PHONE_FIELDS, {"location": location}, "phones"
        )
    if services is not None:
        wanted = {s.pk for s in services}
        if wanted != before:
            ServiceAtLocation.objects.filter(location=location).exclude(
                service__pk__in=wanted
            ).delete()
            for service in services:
                if service.pk not in before:
                    ServiceAtLocation.objects.create(service=service, location=location)
            names = dict(Service.objects.filter(pk__in=before | wanted).values_list("pk", "name"))
            changed["services"] = [
                sorted(names[p] for p in before),
                sorted(names[p] for p in wanted),
            ]
    search_index_refresh(service_ids=before | {s.pk for s in services or []})
    return changed


@transaction.atomic
def location_update(
    *,
    actor: Auditable,
    organization: Organization,
    location: Location,
    changes: dict[str, Any],
    address: dict[str, Any] | None = None,
    phones: list[dict[str, Any]] | None = None,
    services: list[Service] | None = None,
) -> dict[str, Any]:
    """Change a place: name, coordinates, street address, phones and the services offered."""
    changed = _location_save(
        location=location, changes=changes, address=address, phones=phones, services=services
    )
    if changed:
        _audit_change(actor, location, organization, {"changed": changed})
    return changed


@transaction.atomic
def location_create(
    *,
    actor: Auditable,
    organization: Organization,
    changes: dict[str, Any],
    address: dict[str, Any] | None = None,
    phones: list[dict[str, Any]] | None = None,
    services: list[Service] | None = None,
) -> Location:
    location = Location(organization=organization, location_type=Location.LocationType.PHYSICAL)
    detail = _location_save(
        location=location, changes=changes, address=address, phones=phones, services=services
    )
    _audit_change(actor, location, organization, {"created": detail}, new=True)
    return location


# --- duplicates --------------------------------------------------------------------------------

# Children of an organization that move to the survivor of a merge: model -> its link field.
MERGE_MOVES: tuple[tuple[Any, str], ...] = (
    (Program, "organization"),
    (Service, "organization"),
    (Location, "organization"),
    (Contact, "organization"),
    (Phone, "organization"),
    (Funding, "organization"),
    (OrganizationIdentifier, "organization"),
    (Organization, "parent_organization"),
    (DirectoryImport, "organization"),
)


class MergeRefused(Exception):
    """The organization cannot be merged away (it has staff, participants …)."""


def merge_blockers(organization: Organization) -> list[str]:
    """What keeps an organization from being merged away: records outside the directory that
    belong to it (its staff, the people it supports, consents …), named for the steward."""
    moved = {(model, field) for model, field in MERGE_MOVES}
    found = []
    for relation in organization._meta.related_objects:
        model, name = relation.related_model, relation.field.name
        if (model, name) in moved:
            continue
        if model._default_manager.filter(**{name: organization}).exists():
            found.append(str(model._meta.verbose_name_plural))
    return sorted(set(found))


@transaction.atomic
def organization_merge(
    *, actor: Auditable, survivor: Organization, duplicate: Organization
) -> dict[str, Any]:
    """Move the duplicate's listing (services, places, phones, contacts …) to the survivor and
    remove the duplicate. Refused (MergeRefused) when the duplicate has staff or participants:
    those records point at it and must not move silently."""
    if survivor.pk == duplicate.pk:
        raise MergeRefused("Choose two different organizations.")
    blockers = merge_blockers(duplicate)
    if blockers:
        raise MergeRefused(
            f"{duplicate.name} cannot be merged away: it has {', '.join(blockers)}. "
            f"Merge the other way round (keep {duplicate.name}), or move those records first."
        )
    moved: dict[str, int] = {}
    for model, field in MERGE_MOVES:
        n = model._default_manager.filter(**{field: duplicate}).update(**{field: survivor})
        if n:
            moved[str(model._meta.verbose_name_plural)] = n
    # Tags and recovery attributes that describe the duplicate now describe the survivor.
    n = Attribute.objects.filter(link_id=duplicate.public_id).update(link_id=survivor.public_id)
    if n:
        moved["attributes"] = n
    filled = {}
    for name in LISTING_FIELDS:
        if name in {"kind", "peer_led", "recovery_pathways"}:
            continue
        if getattr(survivor, name) in ("", None) and getattr(duplicate, name) not in ("", None):
            filled[name] = _shown(getattr(duplicate, name))
            setattr(survivor, name, getattr(duplicate, name))
    if duplicate.peer_led and not survivor.peer_led:
        survivor.peer_led = True
        filled["peer_led"] = True
    pathways = [
        p
        for p in RecoveryPathway.values
        if p in survivor.recovery_pathways or p in duplicate.recovery_pathways
    ]
    if pathways != survivor.recovery_pathways:
        filled["recovery_pathways"] = pathways
        survivor.recovery_pathways = pathways
    survivor.save()
    detail = {
        "merged": {"id": str(duplicate.public_id), "name": duplicate.name},
        "moved": moved,
        "filled in": filled,
    }
    duplicate_id, duplicate_name = duplicate.public_id, duplicate.name
    duplicate.delete()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=survivor,
        record_organization_id=survivor.public_id,
        detail=detail,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DEACTIVATE,
        record_type="accounts.organization",
        record_id=str(duplicate_id),
        record_label=f"{duplicate_name} (merged into {survivor.name})"[:200],
        record_organization_id=duplicate_id,
        detail={"merged into": str(survivor.public_id)},
    )
    _refresh_organization(survivor)
    return detail


# --- uploads -----------------------------------------------------------------------------------

UPLOAD_DIR = "uploads/hsds"
UPLOAD_SUFFIXES = (".zip", ".json")


def upload_root() -> Path:
    return Path(settings.VAR_DIR) / UPLOAD_DIR


@transaction.atomic
def directory_import_queue(*, actor: Any, upload: UploadedFile) -> DirectoryImport:
    """Keep the uploaded file under VAR_DIR and queue its import (rosc.directory.tasks)."""
    from rosc.directory.tasks import directory_import_run

    name = Path(upload.name or "upload").name[:200]
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ValidationError({"file": "Upload a .zip datapackage or a .json file."})
    job = DirectoryImport(
        uploaded_by=actor.user,
        uploaded_by_name=actor.user.username,
        organization=actor.organization,
        file_name=name,
        size=upload.size or 0,
    )
    relative = f"{UPLOAD_DIR}/{job.public_id}{suffix}"
    target = Path(settings.VAR_DIR) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as f:
        for chunk in upload.chunks():
            f.write(chunk)
    job.stored_path = relative
    job.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=job,
        record_organization_id=actor.organization.public_id if actor.organization else None,
        detail={"file": name, "size": job.size},
    )
    # The task row is written in this transaction: a worker sees both or neither.
    directory_import_run.enqueue(import_id=str(job.public_id))
    return job


def progress_path(job: DirectoryImport) -> Path:
    return Path(settings.VAR_DIR) / f"{job.stored_path}.progress"


def directory_import_progress(job: DirectoryImport) -> tuple[int, int | None]:
    """(rows done, rows in all) of a running import, from its progress file (see below)."""
    try:
        done, _, total = progress_path(job).read_text().partition(" ")
        return int(done), int(total) if total.strip() else None
    except (OSError, ValueError):
        return job.rows_done, job.rows_total


def _write_progress(job: DirectoryImport, done: int, total: int | None) -> None:
    """The import runs in one transaction, and SQLite has one writer at a time: a progress
    column updated inside it would stay invisible until the end. A small file beside the upload
    carries the progress instead (written whole, then renamed)."""
    target = progress_path(job)
    scratch = target.with_suffix(".tmp")
    scratch.write_text(f"{done} {total if total is not None else ''}")
    scratch.replace(target)


def directory_import_process(*, import_id: str) -> DirectoryImport:
    """Run a queued import (called by the background task): status, progress, then the report.

    Not atomic on purpose: the status changes are committed one by one so the status page sees
    them; the import itself (services.hsds_import) is one transaction.
    """
    job = DirectoryImport.objects.select_related("uploaded_by", "organization").get(
        public_id=import_id
    )
    if job.is_finished:
        return job
    job.status = DirectoryImport.Status.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at", "updated_at"])
    actor = _uploader(job)
    total: list[int] = []

    def started(n: int) -> None:
        total.append(n)
        _write_progress(job, 0, n)

    def progress(done: int) -> None:
        _write_progress(job, done, total[0] if total else None)

    try:
        report = hsds_import(
            path=Path(settings.VAR_DIR) / job.stored_path,
            progress=progress,
            started=started,
            actor=actor,
        )
    except HSDSReadError as exc:
        job.status = DirectoryImport.Status.FAILED
        job.error = str(exc).replace(str(settings.VAR_DIR), "")[:2000]
    except Exception:
        logger.exception("HSDS import %s failed", job.public_id)
        job.status = DirectoryImport.Status.FAILED
        job.error = "The import stopped on an unexpected error; nothing was saved."
    else:
        job.status = DirectoryImport.Status.DONE
        job.counts = {k: v for k, v in report.imported.items() if v}
        job.problems = [
            {
                "file": p.file,
                "row": p.row,
                "field": p.field,
                "reason": p.reason,
                "warning": p.warning,
            }
            for p in report.problems
        ]
    job.rows_total = total[0] if total else 0
    job.rows_done = job.total_imported if job.status == DirectoryImport.Status.DONE else 0
    job.finished_at = timezone.now()
    job.save()
    progress_path(job).unlink(missing_ok=True)
    return job


def _uploader(job: DirectoryImport) -> Auditable | None:
    from rosc.accounts.actor import actor_for_user

    if job.uploaded_by is None:
        return None
    return actor_for_user(job.uploaded_by, job.organization)
