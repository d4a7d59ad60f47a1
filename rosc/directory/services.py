"""Every write to the directory: HSDS import and the shipped recovery-support taxonomy."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction

from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.directory import taxonomy as recovery
from rosc.directory.importers import ImportReport, import_rows, read_source
from rosc.directory.models import Taxonomy, TaxonomyTerm


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


@transaction.atomic
def taxonomy_load_recovery_support() -> Taxonomy:
    """Idempotent: the ROSC Hub recovery-support taxonomy and its terms, as shipped."""
    load_recovery_support(Taxonomy, TaxonomyTerm)
    return Taxonomy.objects.get(public_id=recovery.TAXONOMY_ID)


@transaction.atomic
def hsds_import(*, path: Path, progress: Callable[[int], None] | None = None) -> ImportReport:
    """Import an HSDS datapackage or JSON file: good rows upserted by HSDS id, bad ones reported.

    Raises importers.HSDSReadError when the source cannot be read at all.
    """
    rows, problems = read_source(path)
    report = ImportReport(problems=list(problems))
    import_rows(rows, report, progress)
    audit_record(
        actor=None,
        action=AuditEvent.Action.CREATE,
        record_type="directory.hsds_import",
        record_label=f"HSDS import of {path.name}"[:200],
        detail={"imported": report.imported, "refused": len(report.errors)},
    )
    return report
