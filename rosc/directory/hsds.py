"""The HSDS 3.0 tables as ROSC Hub stores them: which model, which columns, which schema.

Built once from the official schemas in hsds_schema/ and the models' own field definitions, so
import, validation and export share one description of every table.
"""

import copy
import json
import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from django.db import models
from jsonschema import Draft202012Validator, FormatChecker

from rosc.accounts.models import Organization
from rosc.directory import models as m

# A UUID in its canonical text form (any case). The schema's "uuid" format accepts what this
# matches, and a little more (jsonschema: whatever uuid.UUID parses, dashes where these are).
CANONICAL_UUID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)

SCHEMA_DIR = Path(__file__).resolve().parent / "hsds_schema"

# Parents before children, so a row's references are known when it is checked.
TABLE_MODELS: tuple[tuple[str, type[models.Model]], ...] = (
    ("taxonomy", m.Taxonomy),
    ("taxonomy_term", m.TaxonomyTerm),
    ("organization", Organization),
    ("organization_identifier", m.OrganizationIdentifier),
    ("program", m.Program),
    ("service", m.Service),
    ("location", m.Location),
    ("service_at_location", m.ServiceAtLocation),
    ("contact", m.Contact),
    ("phone", m.Phone),
    ("address", m.Address),
    ("schedule", m.Schedule),
    ("funding", m.Funding),
    ("service_area", m.ServiceArea),
    ("required_document", m.RequiredDocument),
    ("language", m.Language),
    ("accessibility", m.Accessibility),
    ("cost_option", m.CostOption),
    ("attribute", m.Attribute),
    ("metadata", m.Metadata),
    ("meta_table_description", m.MetaTableDescription),
)

# HSDS column -> model attribute where the names differ (besides `id`, which is `public_id`).
RENAMED = {("organization", "website"): "url"}
# Schema keywords Table.quick_valid checks, and those that only annotate.
QUICK_KEYWORDS = {"type", "format", "enum"} | {
    "datapackage_type",
    "example",
    "description",
    "constraints",
    "core",
    "name",
    "title",
}
# Organization holds integers where HSDS says `number`.
INTEGER_COLUMNS = {("organization", "year_incorporated")}


@dataclass(frozen=True)
class Column:
    name: str  # the HSDS column name
    attname: str  # the model attribute that holds it
    type: str  # the datapackage type: string, number, date, time, datetime
    ref: str | None  # the HSDS table a reference column points at
    max_length: int | None
    integer: bool
    required: bool  # a reference that must resolve (an optional one is dropped with a warning)


@dataclass(frozen=True)
class Table:
    name: str
    path: str  # the CSV file name in a datapackage
    model: type[models.Model]
    columns: tuple[Column, ...]
    validator: Draft202012Validator
    # True when every keyword of the schema is one `quick_valid` understands.
    quick: bool

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @cached_property
    def column_set(self) -> frozenset[str]:
        return frozenset(c.name for c in self.columns)

    @cached_property
    def number_columns(self) -> frozenset[str]:
        return frozenset(c.name for c in self.columns if c.type == "number")

    def quick_valid(self, values: dict[str, Any]) -> bool:
        """A fast check at least as strict as the schema: True means the schema accepts the row.

        False means "ask jsonschema" (which then names the problems, or accepts the row).
        """
        if not self.quick:
            return False
        schema = self.validator.schema
        properties = schema["properties"]
        for name in schema["required"]:
            if name not in values:
                return False
        checker = self.validator.format_checker
        if checker is None:
            return False
        conforms = checker.conforms
        for key, value in values.items():
            spec = properties.get(key)
            if spec is None:
                continue
            kind = spec.get("type")
            if kind == "string":
                if not isinstance(value, str):
                    return False
            elif kind == "number":
                if isinstance(value, bool) or not isinstance(value, int | float):
                    return False
            elif kind is not None:
                return False
            if "enum" in spec and (not isinstance(value, str) or value not in spec["enum"]):
                return False
            if "format" in spec:
                if spec["format"] == "uuid":  # the commonest: checked without parsing it
                    if not (isinstance(value, str) and CANONICAL_UUID.fullmatch(value)):
                        return False
                elif not conforms(value, spec["format"]):
                    return False
        return True


def _datapackage() -> dict[str, Any]:
    with open(SCHEMA_DIR / "datapackage.json", encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def _model_table(model: type[models.Model]) -> str:
    for name, candidate in TABLE_MODELS:
        if candidate is model:
            return name
    raise LookupError(model)


def _build_table(name: str, model: type[models.Model], resource: dict[str, Any]) -> Table:
    with open(SCHEMA_DIR / f"{name}.json", encoding="utf-8") as f:
        official = json.load(f)
    by_column: dict[str | None, Any] = {f.column: f for f in model._meta.concrete_fields}
    columns = []
    required = set(official.get("required", []))
    properties = {}
    for spec in resource["schema"]["fields"]:
        column = spec["name"]
        attname = "public_id" if column == "id" else RENAMED.get((name, column), column)
        field = by_column.get(attname)
        if field is None:
            raise LookupError(f"{model.__name__} has no column for HSDS {name}.{column}")
        ref = None
        if isinstance(field, models.ForeignKey):
            ref = _model_table(field.related_model)
        max_length = getattr(field, "max_length", None)
        columns.append(
            Column(
                name=column,
                attname=field.attname,
                type=spec.get("type", "string"),
                ref=ref,
                max_length=None if isinstance(field, models.UUIDField) else max_length,
                integer=(name, column) in INTEGER_COLUMNS,
                required=not field.null,
            )
        )
        if spec.get("constraints", {}).get("required"):
            required.add(column)
        properties[column] = copy.deepcopy(official["properties"][column])
    schema = {
        "type": "object",
        "properties": properties,
        "required": sorted(required & set(properties)),
    }
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    keywords = {k for spec in properties.values() for k in spec}
    quick = keywords <= QUICK_KEYWORDS and all(
        isinstance(spec.get("enum", []), list)
        and all(isinstance(v, str) for v in spec.get("enum", []))
        for spec in properties.values()
    )
    return Table(name, resource["path"], model, tuple(columns), validator, quick)


@cache
def tables() -> tuple[Table, ...]:
    """Every HSDS table ROSC Hub stores, parents first."""
    resources = {r["name"]: r for r in _datapackage()["resources"]}
    return tuple(_build_table(name, model, resources[name]) for name, model in TABLE_MODELS)


def table(name: str) -> Table:
    for t in tables():
        if t.name == name:
            return t
    raise LookupError(name)


def datapackage_descriptor() -> dict[str, Any]:
    """The official tabular datapackage.json, to write beside an export."""
    return _datapackage()
