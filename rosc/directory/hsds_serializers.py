"""HSDS 3.0 JSON objects, dereferenced (children embedded), built from the directory models.

Each object's own fields come from the table descriptions in `rosc.directory.hsds` (so column
names, the `id` = `public_id` rule and `website` = `Organization.url` are defined once). What is
embedded where follows the official examples (`examples/service_full.json` and friends) and is
written down below as a tree of `Many` / `One` nodes.

Loading is batched per node of that tree, not per record: serializing a page of N services
costs one query per node, whatever N is (no N+1).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any
from uuid import UUID

from django.db import models

from rosc.directory.hsds import table

HSDSObject = dict[str, Any]


@dataclass(frozen=True)
class Many:
    """An array of child records whose `fk` attribute holds the parent's HSDS id."""

    key: str
    table: str
    fk: str
    children: tuple["Many | One", ...] = ()


@dataclass(frozen=True)
class One:
    """A single record the parent points at through its own `fk` attribute."""

    key: str
    table: str
    fk: str
    children: tuple["Many | One", ...] = ()


Node = Many | One


def _phones(fk: str) -> Many:
    return Many("phones", "phone", fk, (Many("languages", "language", "phone_id"),))


def _contacts(fk: str) -> Many:
    return Many("contacts", "contact", fk, (_phones("contact_id"),))


TAXONOMY_TERM = (One("taxonomy_detail", "taxonomy", "taxonomy_detail_id"),)
ATTRIBUTES = Many(
    "attributes",
    "attribute",
    "link_id",
    (One("taxonomy_term", "taxonomy_term", "taxonomy_term_id", TAXONOMY_TERM),),
)
METADATA = Many("metadata", "metadata", "resource_id")

LOCATION_FULL: tuple[Node, ...] = (
    Many("languages", "language", "location_id"),
    Many("addresses", "address", "location_id"),
    _contacts("location_id"),
    Many("accessibility", "accessibility", "location_id"),
    _phones("location_id"),
    Many("schedules", "schedule", "location_id"),
)
ORGANIZATION_FULL: tuple[Node, ...] = (
    Many("funding", "funding", "organization_id"),
    _contacts("organization_id"),
    _phones("organization_id"),
    Many("locations", "location", "organization_id", LOCATION_FULL),
    Many("programs", "program", "organization_id"),
    Many("organization_identifiers", "organization_identifier", "organization_id"),
    ATTRIBUTES,
    METADATA,
)
# The one-to-one parts of a service: what `/services` lists (examples/service_list.json).
SERVICE_LIST: tuple[Node, ...] = (
    One("organization", "organization", "organization_id"),
    One("program", "program", "program_id"),
)
SERVICE_AT_LOCATION_OWN: tuple[Node, ...] = (
    _contacts("service_at_location_id"),
    _phones("service_at_location_id"),
    Many("schedules", "schedule", "service_at_location_id"),
    One("location", "location", "location_id", LOCATION_FULL),
    ATTRIBUTES,
    METADATA,
)
# A fully nested service (examples/service_full.json). Its organization carries the
# organization's own fields only, so a service of a large organization stays small.
SERVICE_FULL: tuple[Node, ...] = (
    _phones("service_id"),
    Many("schedules", "schedule", "service_id"),
    Many("service_areas", "service_area", "service_id"),
    Many("service_at_locations", "service_at_location", "service_id", SERVICE_AT_LOCATION_OWN),
    Many("languages", "language", "service_id"),
    One("organization", "organization", "organization_id"),
    Many("funding", "funding", "service_id"),
    Many("cost_options", "cost_option", "service_id"),
    One("program", "program", "program_id"),
    Many("required_documents", "required_document", "service_id"),
    _contacts("service_id"),
    ATTRIBUTES,
    METADATA,
)
SERVICE_AT_LOCATION_LIST: tuple[Node, ...] = (
    One("location", "location", "location_id"),
    One("service", "service", "service_id", SERVICE_LIST),
)
SERVICE_AT_LOCATION_FULL: tuple[Node, ...] = (
    *SERVICE_AT_LOCATION_OWN,
    One(
        "service",
        "service",
        "service_id",
        tuple(n for n in SERVICE_FULL if n.key != "service_at_locations"),
    ),
)


def organization_full(*, full_service: bool) -> tuple[Node, ...]:
    """An organization with its children and its services (ids and own fields, or full)."""
    services = Many("services", "service", "organization_id", SERVICE_FULL if full_service else ())
    return (*ORGANIZATION_FULL, services)


@cache
def _columns(table_name: str) -> tuple[tuple[str, str, bool], ...]:
    """(HSDS name, model attribute, required by the schema) of each column."""
    t = table(table_name)
    required = set(t.validator.schema["required"])
    return tuple((c.name, c.attname, c.name in required) for c in t.columns)


def _value(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def fields(obj: models.Model, table_name: str) -> HSDSObject:
    """The record's own HSDS fields; absent values (null, or "" where optional) are left out."""
    out: HSDSObject = {}
    for name, attname, required in _columns(table_name):
        value = getattr(obj, attname)
        if value is None or (value == "" and not required):
            continue
        out[name] = _value(value)
    return out


def _attach(
    objs: Sequence[models.Model], outs: Sequence[HSDSObject], nodes: Iterable[Node]
) -> None:
    """Embed each node's records into `outs` (parallel to `objs`): one query per node."""
    for node in nodes:
        model = table(node.table).model
        manager = model._default_manager
        if isinstance(node, Many):
            keys = {o.public_id for o in objs}  # type: ignore[attr-defined]
            children = (
                list(manager.filter(**{f"{node.fk}__in": keys}).order_by("public_id"))
                if keys
                else []
            )
            child_outs = [fields(c, node.table) for c in children]
            _attach(children, child_outs, node.children)
            groups: dict[Any, list[HSDSObject]] = defaultdict(list)
            for child, child_out in zip(children, child_outs, strict=True):
                groups[getattr(child, node.fk)].append(child_out)
            for obj, out in zip(objs, outs, strict=True):
                out[node.key] = groups.get(obj.public_id, [])  # type: ignore[attr-defined]
        else:
            refs = {getattr(o, node.fk) for o in objs} - {None}
            parents = list(manager.filter(public_id__in=refs)) if refs else []
            parent_outs = [fields(p, node.table) for p in parents]
            _attach(parents, parent_outs, node.children)
            by_id = {
                p.public_id: p_out  # type: ignore[attr-defined]
                for p, p_out in zip(parents, parent_outs, strict=True)
            }
            for obj, out in zip(objs, outs, strict=True):
                found = by_id.get(getattr(obj, node.fk))
                if found is not None:
                    out[node.key] = found


def serialize(
    objs: Iterable[models.Model], table_name: str, nodes: Iterable[Node] = ()
) -> list[HSDSObject]:
    """HSDS objects for `objs` (records of `table_name`), with `nodes` embedded."""
    records = list(objs)
    outs = [fields(o, table_name) for o in records]
    _attach(records, outs, nodes)
    return outs


def query_count(nodes: Iterable[Node]) -> int:
    """How many queries `serialize` makes at most for these nodes (one per node)."""
    return sum(1 + query_count(n.children) for n in nodes)
