"""`rosc export-hsds DIR`: write the directory as an HSDS 3.0 tabular datapackage."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.directory.exporters import export_datapackage


class Command(BaseCommand):
    help = "Write the directory as an HSDS 3.0 tabular datapackage (datapackage.json + CSVs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="The folder to write (made if missing).")

    def handle(self, *args: Any, **opts: Any) -> None:
        directory = Path(opts["directory"])
        try:
            with transaction.atomic():
                counts = export_datapackage(directory)
                audit_record(
                    actor=None,
                    action=AuditEvent.Action.EXPORT,
                    record_type="directory.hsds_export",
                    record_label=f"HSDS export to {directory}"[:200],
                    detail={"rows": counts},
                )
        except OSError as exc:
            raise CommandError(f"{directory}: cannot write ({exc.strerror})") from exc
        total = sum(counts.values())
        self.stdout.write(f"Wrote {total} rows in {len(counts)} tables to {directory}.")
