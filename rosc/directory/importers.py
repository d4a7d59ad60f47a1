"""Reading HSDS 3.0 data: a tabular datapackage (folder or .zip of CSVs) or HSDS JSON.

Every row is checked against the official JSON Schema of its table (rosc/directory/hsds_schema/),
then its dates, times and references, before anything is written; the good rows are then upserted
by HSDS id in batches (a batch that fails is retried row by row, each in its own savepoint), so a
bad row is reported and never half-imported.

A reference to a record that is neither in the database nor in the import refuses the row when
the reference is required (a service's organization); an optional one (a phone's location) is
left empty and reported as a warning, since published HSDS data, the official examples included,
often refer to records published elsewhere.
"""

import csv
import io
import json
import math
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from rosc.accounts.models import Organization, RecoveryPathway
from rosc.directory.hsds import CANONICAL_UUID, Column, Table, table, tables
from rosc.directory.taxonomy import EXTENSION_TERMS, extension_term_id

BATCH_SIZE = 500
# Nested HSDS JSON: property name -> the table of the object(s) it holds.
NESTED = {
    "services": "service",
    "service": "service",
    "organization": "organization",
    "program": "program",
    "programs": "program",
    "location": "location",
    "locations": "location",
    "service_at_locations": "service_at_location",
    "contacts": "contact",
    "phones": "phone",
    "addresses": "address",
    "schedules": "schedule",
    "funding": "funding",
    "service_areas": "service_area",
    "required_documents": "required_document",
    "languages": "language",
    "accessibility": "accessibility",
    "cost_options": "cost_option",
    "organization_identifiers": "organization_identifier",
    "attributes": "attribute",
    "metadata": "metadata",
    "taxonomy_term": "taxonomy_term",
    "taxonomy_detail": "taxonomy",
}
# A nested single object is referred to by this column of its parent.
NESTED_REFERENCE = {"taxonomy_detail": "taxonomy_id"}


class HSDSReadError(Exception):
    """The source cannot be read at all (missing, not a datapackage, not JSON)."""


@dataclass(frozen=True)
class RowProblem:
    file: str
    row: str
    field: str
    reason: str
    warning: bool = False

    def __str__(self) -> str:
        note = " (warning)" if self.warning else ""
        return f"{self.file}:{self.row}: {self.field}: {self.reason}{note}"


@dataclass
class SourceRow:
    table: str
    file: str
    row: str
    values: dict[str, Any]
    from_csv: bool


@dataclass
class ImportReport:
    imported: dict[str, int] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[RowProblem]:
        return [p for p in self.problems if not p.warning]

    @property
    def total_imported(self) -> int:
        return sum(self.imported.values())

    def summary(self) -> str:
        parts = ", ".join(f"{n} {name}" for name, n in self.imported.items() if n) or "nothing"
        return f"Imported {self.total_imported} rows ({parts}); {len(self.errors)} rows refused."


# --- reading -----------------------------------------------------------------------------------


def read_source(path: Path) -> tuple[list[SourceRow], list[RowProblem]]:
    """Every row of a datapackage (folder, zip or its datapackage.json) or an HSDS JSON file."""
    if path.is_dir():
        return _read_datapackage(_FolderFiles(path))
    if not path.is_file():
        raise HSDSReadError(f"{path}: no such file or folder")
    if path.name == "datapackage.json":
        return _read_datapackage(_FolderFiles(path.parent))
    if zipfile.is_zipfile(path):
        try:
            return _read_datapackage(_ZipFiles(path))
        except (zipfile.BadZipFile, OSError) as exc:
            raise HSDSReadError(f"{path}: unreadable zip file ({exc})") from exc
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise HSDSReadError(
            f"{path}: neither an HSDS datapackage nor HSDS JSON ({str(exc)[:100]})"
        ) from exc
    except OSError as exc:
        raise HSDSReadError(f"{path}: cannot be read ({exc.strerror})") from exc
    return read_json(data, path.name)


class _FolderFiles:
    def __init__(self, root: Path) -> None:
        self.root = root

    def read(self, name: str) -> bytes | None:
        target = self.root / name
        return target.read_bytes() if target.is_file() else None


class _ZipFiles:
    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            # The datapackage may sit in a folder inside the zip.
            packages = sorted(
                (n for n in names if PurePosixPath(n).name == "datapackage.json"), key=len
            )
            base = str(PurePosixPath(packages[0]).parent) if packages else ""
            prefix = "" if base in {"", "."} else base + "/"
            self.files = {
                n[len(prefix) :]: zf.read(n)
                for n in names
                if n.startswith(prefix) and n.endswith((".csv", ".json"))
            }

    def read(self, name: str) -> bytes | None:
        return self.files.get(name)


def _read_datapackage(files: _FolderFiles | _ZipFiles) -> tuple[list[SourceRow], list[RowProblem]]:
    paths = {t.name: t.path for t in tables()}
    raw = files.read("datapackage.json")
    if raw is not None:
        try:
            descriptor = json.loads(raw.decode("utf-8-sig"))
            for resource in descriptor.get("resources", []):
                if resource.get("name") in paths and isinstance(resource.get("path"), str):
                    paths[resource["name"]] = resource["path"]
        except (UnicodeDecodeError, ValueError, AttributeError, TypeError) as exc:
            raise HSDSReadError(f"datapackage.json: not a valid descriptor ({exc})") from exc
    rows: list[SourceRow] = []
    problems: list[RowProblem] = []
    found = False
    for name, csv_path in paths.items():
        content = files.read(csv_path)
        if content is None:
            continue
        found = True
        try:
            rows.extend(_read_csv(name, csv_path, content.decode("utf-8-sig")))
        except (UnicodeDecodeError, csv.Error) as exc:
            problems.append(RowProblem(csv_path, "0", "(file)", f"unreadable CSV ({exc})"))
    if not found:
        raise HSDSReadError("no HSDS tables found (expected datapackage.json and CSV files)")
    return rows, problems


def _read_csv(name: str, path: str, text: str) -> list[SourceRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        return []
    out = []
    for number, record in enumerate(reader, start=2):
        if not any(record):
            continue
        values: dict[str, Any] = {h: v for h, v in zip(header, record, strict=False) if v != ""}
        if len(record) > len(header):
            values["(extra)"] = record[len(header) :]
        out.append(SourceRow(name, path, str(number), values, from_csv=True))
    return out


def guess_table(obj: dict[str, Any]) -> str:
    """Which HSDS table a top-level JSON object belongs to."""
    if "status" in obj or "service_at_locations" in obj:
        return "service"
    if "location_type" in obj or "addresses" in obj:
        return "location"
    if "location" in obj or "service" in obj or "location_id" in obj:
        return "service_at_location"
    if "taxonomy_detail" in obj or "term_uri" in obj or "parent_id" in obj or "code" in obj:
        return "taxonomy_term"
    if "version" in obj and "website" not in obj:
        return "taxonomy"
    return "organization"


def read_json(data: Any, file: str) -> tuple[list[SourceRow], list[RowProblem]]:
    """Rows of an HSDS JSON document: one object, a list, or an API page with `contents`."""
    rows: list[SourceRow] = []
    problems: list[RowProblem] = []
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        items, base = data["contents"], "/contents"
    elif isinstance(data, list):
        items, base = data, ""
    elif isinstance(data, dict):
        items, base = [data], None
    else:
        raise HSDSReadError(f"{file}: not an HSDS object, list or page")
    for i, item in enumerate(items):
        pointer = f"{base}/{i}" if base is not None else "/"
        if not isinstance(item, dict):
            problems.append(RowProblem(file, pointer, "(object)", "not a JSON object"))
            continue
        _flatten(item, guess_table(item), pointer, file, None, rows, problems)
    return _merge_copies(rows), problems


def _merge_copies(rows: list[SourceRow]) -> list[SourceRow]:
    """HSDS JSON repeats a record wherever it is nested: one row per record, values combined."""
    merged: dict[tuple[str, str], SourceRow] = {}
    out = []
    for row in rows:
        key = row.values.get("id")
        if not isinstance(key, str):
            out.append(row)
            continue
        first = merged.get((row.table, key))
        if first is None:
            merged[(row.table, key)] = row
            out.append(row)
        else:
            for name, value in row.values.items():
                first.values.setdefault(name, value)
    return out


def _flatten(
    obj: dict[str, Any],
    name: str,
    pointer: str,
    file: str,
    parent: tuple[str, Any] | None,
    rows: list[SourceRow],
    problems: list[RowProblem],
) -> None:
    columns = set(table(name).column_names)
    values: dict[str, Any] = {}
    nested: list[tuple[str, Any]] = []
    for key, value in obj.items():
        if key in NESTED and isinstance(value, list | dict) and key not in columns:
            nested.append((key, value))
        elif value is not None:
            values[key] = value
    if parent is not None:
        parent_table, parent_id = parent
        if name == "attribute":
            values.setdefault("link_id", parent_id)
            values.setdefault("link_entity", parent_table)
        elif name == "metadata":
            values.setdefault("resource_id", parent_id)
            values.setdefault("resource_type", parent_table)
        elif f"{parent_table}_id" in columns:
            values.setdefault(f"{parent_table}_id", parent_id)
    own_id = values.get("id")
    for key, value in nested:
        ref = NESTED_REFERENCE.get(key, f"{key}_id")
        if isinstance(value, dict) and ref in columns and isinstance(value.get("id"), str):
            values.setdefault(ref, value["id"])
    for key, value in nested:
        child = NESTED[key]
        if isinstance(value, dict):
            if "organization_id" in values and "organization_id" in table(child).column_names:
                value = {"organization_id": values["organization_id"], **value}
            _flatten(value, child, f"{pointer.rstrip('/')}/{key}", file, None, rows, problems)
            continue
        for i, item in enumerate(value):
            where = f"{pointer.rstrip('/')}/{key}/{i}"
            if isinstance(item, dict):
                _flatten(item, child, where, file, (name, own_id), rows, problems)
            else:
                problems.append(RowProblem(file, where, "(object)", "not a JSON object"))
    # Parents first: a nested object is listed before the row that refers to it.
    rows.append(SourceRow(name, file, pointer, values, from_csv=False))


# --- checking ----------------------------------------------------------------------------------


def _number(text: str) -> Any:
    try:
        value = float(text)
    except ValueError:
        return text  # the schema names it: not a number
    if not math.isfinite(value):
        return text
    return (
        int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value
    )


def _canonical_uuid(value: Any) -> str:
    if isinstance(value, str) and CANONICAL_UUID.fullmatch(value):
        return value.lower()  # what str(uuid.UUID(value)) gives, without parsing it
    return str(uuid.UUID(value))


def _convert(column: Column, value: Any) -> Any:
    """A schema-valid value as the model stores it; ValueError with a reason otherwise."""
    if column.type == "date":
        return date.fromisoformat(value)
    if column.type == "time":
        parsed = time.fromisoformat(value)
        if parsed.tzinfo is not None:
            raise ValueError("a time of day without a time zone is expected")
        return parsed
    if column.type == "datetime":
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if column.type == "number":
        if column.integer:
            if not float(value).is_integer():
                raise ValueError("a whole number is expected")
            return int(value)
        return float(value)
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("contains a NUL character")
        if column.name == "id" or column.ref or column.name in {"link_id", "resource_id"}:
            return _canonical_uuid(value)
        if column.max_length is not None and len(value) > column.max_length:
            raise ValueError(f"longer than {column.max_length} characters")
    return value


def _schema_problems(t: Table, row: SourceRow, values: dict[str, Any]) -> list[RowProblem]:
    problems = []
    for error in t.validator.iter_errors(values):
        if error.validator == "required":
            missing = str(error.message).split("'")[1] if "'" in error.message else "?"
            problems.append(RowProblem(row.file, row.row, missing, "required but missing"))
        else:
            where = str(error.path[0]) if error.path else "(row)"
            problems.append(RowProblem(row.file, row.row, where, error.message[:200]))
    return problems


def _check(t: Table, row: SourceRow) -> tuple[dict[str, Any] | None, list[RowProblem]]:
    """The row as model attributes, or None with the reasons it cannot be imported."""
    values = {}
    numbers = t.number_columns
    for key, value in row.values.items():
        if key in t.column_set:
            if row.from_csv and key in numbers and isinstance(value, str):
                value = _number(value)
            values[key] = value
    if "(extra)" in row.values:
        extra = RowProblem(row.file, row.row, "(row)", "more cells than header columns")
        return None, [extra]
    problems: list[RowProblem] = []
    if not t.quick_valid(values):
        problems = _schema_problems(t, row, values)
        if problems:
            return None, problems
    out: dict[str, Any] = {}
    for column in t.columns:
        if column.name not in values:
            continue
        try:
            out[column.attname] = _convert(column, values[column.name])
        except (ValueError, TypeError, OverflowError) as exc:
            problems.append(RowProblem(row.file, row.row, column.name, str(exc)[:200]))
    return (None, problems) if problems else (out, [])


# --- saving ------------------------------------------------------------------------------------


class _Known:
    """HSDS ids already in the database or imported in this run, per table (loaded lazily)."""

    def __init__(self) -> None:
        self.ids: dict[str, set[str]] = {}

    def get(self, name: str) -> set[str]:
        if name not in self.ids:
            model = table(name).model
            self.ids[name] = {
                str(v) for v in model._default_manager.values_list("public_id", flat=True)
            }
        return self.ids[name]


class _OrganizationSlugs:
    """Slugs for organizations an import creates (tenants need one); existing ones keep theirs."""

    def __init__(self) -> None:
        self.by_id = {str(k): v for k, v in Organization.objects.values_list("public_id", "slug")}
        self.taken = set(self.by_id.values())

    def slug_for(self, hsds_id: str, name: str) -> str:
        if hsds_id in self.by_id:
            return self.by_id[hsds_id]
        base = slugify(name)[:190] or "organization"
        slug, n = base, 1
        while slug in self.taken:
            n += 1
            slug = f"{base}-{n}"
        self.taken.add(slug)
        self.by_id[hsds_id] = slug
        return slug


def import_rows(
    rows: Iterable[SourceRow],
    report: ImportReport,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Check and upsert rows table by table, parents first. Call inside a transaction."""
    by_table: dict[str, list[SourceRow]] = {}
    for row in rows:
        by_table.setdefault(row.table, []).append(row)
    known = _Known()
    done = 0
    for t in tables():
        pending = by_table.get(t.name, [])
        if t.name == "attribute" and pending:
            pending, applied = _import_extensions(t, pending, report, known)
            done += applied
        if not pending:
            continue
        checked: list[tuple[SourceRow, dict[str, Any]]] = []
        first_seen: dict[str, tuple[SourceRow, dict[str, Any]]] = {}
        for row in pending:
            values, problems = _check(t, row)
            report.problems.extend(problems)
            if values is None:
                continue
            earlier = first_seen.get(values["public_id"])
            if earlier is not None:
                if earlier[1] != values:
                    report.problems.append(
                        RowProblem(row.file, row.row, "id", f"duplicate of row {earlier[0].row}")
                    )
                continue
            first_seen[values["public_id"]] = (row, values)
            checked.append((row, values))
        own_ids = set(first_seen)
        good: list[tuple[SourceRow, dict[str, Any]]] = []
        for row, values in checked:
            if _references_ok(t, row, values, known, own_ids, report):
                good.append((row, values))
        saved = _save(t, good, report, progress, done)
        done += len(good)
        known.get(t.name).update(saved)
        report.imported[t.name] = report.imported.get(t.name, 0) + len(saved)


def _references_ok(
    t: Table,
    row: SourceRow,
    values: dict[str, Any],
    known: _Known,
    own_ids: set[str],
    report: ImportReport,
) -> bool:
    ok = True
    for column in t.columns:
        if column.ref is None or values.get(column.attname) is None:
            continue
        target = values[column.attname]
        if target in known.get(column.ref) or (column.ref == t.name and target in own_ids):
            continue
        reason = f"no {column.ref} with id {target}"
        if not column.required:
            values[column.attname] = None
            report.problems.append(
                RowProblem(row.file, row.row, column.name, reason + "; left empty", warning=True)
            )
            continue
        report.problems.append(RowProblem(row.file, row.row, column.name, reason))
        ok = False
    return ok


def _save(
    t: Table,
    good: list[tuple[SourceRow, dict[str, Any]]],
    report: ImportReport,
    progress: Callable[[int], None] | None,
    done: int,
) -> set[str]:
    """Upsert the checked rows by HSDS id in batches; a failing batch is retried row by row."""
    upsert = _Upsert(t)
    slugs = _OrganizationSlugs() if t.model is Organization else None
    saved: set[str] = set()
    for start in range(0, len(good), BATCH_SIZE):
        rows = good[start : start + BATCH_SIZE]
        params = []
        for _row, values in rows:
            extra = {}
            if slugs is not None:
                extra["slug"] = slugs.slug_for(values["public_id"], values["name"])
            params.append(upsert.params(values, extra))
        try:
            with transaction.atomic():
                upsert.execute(params)
            saved.update(v["public_id"] for _r, v in rows)
        except DatabaseError:
            for one, (row, values) in zip(params, rows, strict=True):
                try:
                    with transaction.atomic():
                        upsert.execute([one])
                    saved.add(values["public_id"])
                except DatabaseError as exc:
                    reason = f"not saved ({str(exc).splitlines()[0][:150]})"
                    report.problems.append(RowProblem(row.file, row.row, "(row)", reason))
        if progress is not None:
            progress(done + start + len(rows))
    return saved


class _Upsert:
    """One INSERT … ON CONFLICT (public_id) DO UPDATE statement for a table, run by executemany.

    SQLite and PostgreSQL both speak this form. Columns the import does not carry (created_at,
    an organization's kind, slug and recovery fields) get their defaults on insert and are left
    alone on update.
    """

    def __init__(self, t: Table) -> None:
        model = t.model
        meta = model._meta
        now = timezone.now()
        hsds = {c.attname: c for c in t.columns}
        self.fields: list[Any] = [f for f in meta.concrete_fields if not f.primary_key]
        self.hsds = hsds
        self.defaults: dict[str, Any] = {}
        self.prepare: dict[str, Callable[[Any], Any]] = {}
        for f in self.fields:
            if f.attname in hsds:
                plain = isinstance(f, models.TextField | models.CharField | models.FloatField)
                if isinstance(f, models.UUIDField) or (
                    isinstance(f, models.ForeignKey)
                    and isinstance(f.target_field, models.UUIDField)
                ):
                    self.prepare[f.attname] = partial(_uuid_for_database, f)
                elif not plain:
                    self.prepare[f.attname] = partial(f.get_db_prep_save, connection=connection)
            elif f.attname in {"created_at", "updated_at"}:
                self.defaults[f.attname] = f.get_db_prep_save(now, connection)
            elif f.attname == "kind":
                self.defaults[f.attname] = Organization.Kind.OTHER
            elif f.has_default():
                self.defaults[f.attname] = f.get_db_prep_save(f.get_default(), connection)
            else:
                self.defaults[f.attname] = None
        self.empty = {name: _empty(column) for name, column in hsds.items()}
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        updates = ", ".join(
            f"{quote(f.column)} = EXCLUDED.{quote(f.column)}"
            for f in self.fields
            if (f.attname in hsds and f.attname != "public_id") or f.attname == "updated_at"
        )
        self.table = quote(meta.db_table)
        self.scratch = quote(f"import_{meta.db_table}")
        self.columns = columns
        # Only quoted names from the model's own metadata go into the SQL; values are parameters.
        self.head = f"INSERT INTO {self.table} ({columns}) VALUES "  # noqa: S608
        self.row_marks = f"({marks})"
        self.tail = f" ON CONFLICT ({quote('public_id')}) DO UPDATE SET {updates}"
        scratch_from = f"SELECT {columns} FROM {self.table} WITH NO DATA"  # noqa: S608
        self.create_scratch = f"CREATE TEMP TABLE IF NOT EXISTS {self.scratch} ON COMMIT DROP AS "
        self.create_scratch += scratch_from
        select = f"SELECT {columns} FROM {self.scratch}{self.tail}"  # noqa: S608
        self.insert_from_scratch = f"INSERT INTO {self.table} ({columns}) {select}"

    def params(self, values: dict[str, Any], extra: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for f in self.fields:
            name = f.attname
            if name in extra:
                out.append(extra[name])
            elif name in self.hsds:
                value = values.get(name, self.empty[name])
                convert = self.prepare.get(name)
                out.append(convert(value) if convert is not None and value is not None else value)
            else:
                out.append(self.defaults[name])
        return tuple(out)

    def execute(self, params: list[tuple[Any, ...]]) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and len(params) > 1:
                # COPY into a scratch table, then one INSERT … SELECT: PostgreSQL's fast path.
                cursor.execute(self.create_scratch)
                cursor.execute(f"TRUNCATE {self.scratch}")
                with cursor.cursor.copy(f"COPY {self.scratch} ({self.columns}) FROM STDIN") as copy:
                    for row in params:
                        copy.write_row(row)
                cursor.execute(self.insert_from_scratch)
            else:
                cursor.executemany(self.head + self.row_marks + self.tail, params)


def _uuid_for_database(f: models.Field[Any, Any], value: Any) -> Any:
    """A UUID column's value as the database takes it. _convert made it canonical text: on
    SQLite that is the 32 hex digits less the dashes, elsewhere the text itself."""
    if isinstance(value, str) and CANONICAL_UUID.fullmatch(value):
        return (
            value.replace("-", "").lower()
            if not connection.features.has_native_uuid_field
            else value
        )
    return f.get_db_prep_save(value, connection)


def _empty(column: Column) -> Any:
    """What an absent HSDS column is stored as (so re-import clears a removed value)."""
    if column.type == "string" and column.ref is None and column.name != "id":
        return ""
    return None


# --- recovery extensions -----------------------------------------------------------------------
# Attributes whose term is one of the "ROSC Hub recovery extensions" (rosc/directory/taxonomy.py)
# are not stored as attribute rows: their values go back into the organization's own fields, so
# a re-import never duplicates them and the next export writes the same rows again.

EXTENSION_CODES = {str(extension_term_id(code)): code for code, _name, _desc in EXTENSION_TERMS}
TRUE_WORDS = {"true", "yes", "1"}
FALSE_WORDS = {"false", "no", "0"}
KINDS = set(Organization.Kind.values)
PATHWAYS = list(RecoveryPathway.values)


def _extension_value(code: str, text: str) -> Any:
    """The Organization field value an attribute's `value` holds; ValueError with a reason."""
    text = text.strip()
    if code == "kind":
        if text not in KINDS:
            raise ValueError(f"not a kind of organization ROSC Hub knows ({text[:40]!r})")
        return text
    if code in {"peer_led", "accepting_new_people"}:
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        raise ValueError("true or false is expected")
    if code == "recovery_pathway":
        if text not in PATHWAYS:
            raise ValueError(f"not a recovery pathway ROSC Hub knows ({text[:40]!r})")
        return text
    if code == "last_verified_on":
        return date.fromisoformat(text)
    if len(text) > 2000:
        raise ValueError("longer than 2000 characters")
    return text


def _import_extensions(
    t: Table, pending: list[SourceRow], report: ImportReport, known: _Known
) -> tuple[list[SourceRow], int]:
    """Apply the recovery-extension attributes; give back the other rows and how many applied.

    An organization that has any extension attribute in the import gets all its extension fields
    from them (an absent one is cleared, except its kind, which it keeps); an organization with
    none keeps its fields as they are.
    """
    rest: list[SourceRow] = []
    found: dict[str, dict[str, Any]] = {}
    applied = 0
    seen: set[str] = set()
    for row in pending:
        term = row.values.get("taxonomy_term_id")
        code = EXTENSION_CODES.get(term.lower()) if isinstance(term, str) else None
        if code is None:
            rest.append(row)
            continue
        values, problems = _check(t, row)
        report.problems.extend(problems)
        if values is None:
            continue
        if values["public_id"] in seen:
            continue
        seen.add(values["public_id"])
        where = (row.file, row.row)
        org_id = values.get("link_id")
        if org_id is None:
            report.problems.append(RowProblem(*where, "link_id", "required but missing"))
            continue
        entity = values.get("link_entity") or values.get("link_type") or "organization"
        if entity != "organization":
            reason = "a recovery extension describes an organization"
            report.problems.append(RowProblem(*where, "link_entity", reason))
            continue
        if org_id not in known.get("organization"):
            reason = f"no organization with id {org_id}"
            report.problems.append(RowProblem(*where, "link_id", reason))
            continue
        try:
            value = _extension_value(code, values.get("value", ""))
        except ValueError as exc:
            report.problems.append(RowProblem(*where, "value", str(exc)[:200]))
            continue
        fields = found.setdefault(org_id, {"recovery_pathways": []})
        if code == "recovery_pathway":
            if value not in fields["recovery_pathways"]:
                fields["recovery_pathways"].append(value)
        elif code in fields:
            reason = f"a second {code} for the same organization; the first one is kept"
            report.problems.append(RowProblem(*where, "taxonomy_term_id", reason, warning=True))
        else:
            fields[code] = value
        applied += 1
    _save_extensions(found)
    if applied:
        report.imported["attribute"] = report.imported.get("attribute", 0) + applied
    return rest, applied


def _save_extensions(found: dict[str, dict[str, Any]]) -> None:
    ids = list(found)
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        orgs = list(Organization.objects.filter(public_id__in=batch))
        for org in orgs:
            fields = found[str(org.public_id)]
            org.kind = fields.get("kind", org.kind)
            org.peer_led = fields.get("peer_led", False)
            org.recovery_pathways = sorted(fields["recovery_pathways"], key=PATHWAYS.index)
            org.accepting_new_people = fields.get("accepting_new_people")
            org.capacity_note = fields.get("capacity_note", "")
            org.last_verified_on = fields.get("last_verified_on")
        Organization.objects.bulk_update(
            orgs,
            [
                "kind",
                "peer_led",
                "recovery_pathways",
                "accepting_new_people",
                "capacity_note",
                "last_verified_on",
            ],
        )
