"""`rosc import-hsds PATH`: import an HSDS 3.0 datapackage (folder or zip) or HSDS JSON."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rosc.directory.importers import HSDSReadError
from rosc.directory.services import hsds_import


class Command(BaseCommand):
    help = (
        "Import an Open Referral HSDS 3.0 tabular datapackage (a folder or .zip with "
        "datapackage.json and CSVs) or HSDS JSON. Good rows are upserted by HSDS id; each bad "
        "row is reported on stderr as FILE:ROW: field: reason. Exits 1 when nothing imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="A datapackage folder, a .zip of one, or a .json file.")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["path"])
        tty = sys.stderr.isatty()

        def progress(done: int) -> None:
            sys.stderr.write(f"\r{done} rows imported…")
            sys.stderr.flush()

        try:
            report = hsds_import(path=path, progress=progress if tty else None)
        except HSDSReadError as exc:
            raise CommandError(str(exc)) from exc
        if tty:
            sys.stderr.write("\r\033[K")
        for problem in report.problems:
            self.stderr.write(str(problem))
        if report.total_imported == 0:
            raise CommandError(report.summary())
        self.stderr.write(report.summary())
