"""Reads for keeping the directory true: the staff side of the listings. Each takes `actor=`.

Who may edit a listing (decided from rosc/accounts/roles.py only):

- a role with Perm.DIRECTORY_CURATE (the data steward) edits every organization's listing, finds
  and merges duplicates and uploads HSDS files: the directory is one network-wide dataset;
- a role with Perm.DIRECTORY_EDIT (an organization admin) edits its own organization's listing;
- anyone else, and anyone asking for another organization's listing or a record that is not in
  the listing named by the URL, gets the same 404 after a "denied" audit event.

These pages live beside the public ones (rosc/directory/selectors.py, no actor) in a module of
their own so the two can change independently.
"""

from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization
from rosc.accounts.roles import Perm
from rosc.accounts.selectors import deny
from rosc.core.models import AuditEvent
from rosc.directory.duplicates import Candidate, Pair, likely_duplicates
from rosc.directory.models import DirectoryImport, Location, Service, ServiceAtLocation

LISTING = "directory.listing"
MANAGER_LIMIT = 50


def may_curate(actor: Actor) -> bool:
    """Network-wide directory work: every listing, duplicates, uploads."""
    return actor.can(Perm.DIRECTORY_CURATE)


def may_edit_listing(actor: Actor, organization: Organization) -> bool:
    if may_curate(actor):
        return True
    own = actor.organization
    return own is not None and own.pk == organization.pk and actor.can(Perm.DIRECTORY_EDIT)


def listing_manager(*, actor: Actor, search: str = "") -> list[Organization]:
    """The listings the actor may edit: for a steward those matching `search` (by name, first
    MANAGER_LIMIT), for an organization admin their own organization."""
    if may_curate(actor):
        orgs = Organization.objects.filter(is_active=True)
        if search:
            orgs = orgs.filter(Q(name__icontains=search) | Q(alternate_name__icontains=search))
        return list(orgs.order_by("name")[:MANAGER_LIMIT])
    own = actor.organization
    if own is None or not actor.can(Perm.DIRECTORY_EDIT):
        raise deny(
            actor,
            action=AuditEvent.Action.LIST,
            record_type=LISTING,
            record_id="",
            record_organization_id=own.public_id if own else None,
        )
    return [own]


def listing_for_edit(
    *, actor: Actor, organization_id: UUID, action: str = AuditEvent.Action.UPDATE
) -> Organization:
    """An organization whose listing the actor may edit; otherwise 404 (audited as denied)."""
    org = Organization.objects.filter(public_id=organization_id).first()
    if org is None or not may_edit_listing(actor, org):
        raise deny(
            actor,
            action=action,
            record_type=LISTING,
            record_id=str(organization_id),
            record_organization_id=org.public_id if org else None,
        )
    return org


def listing_services(organization: Organization) -> QuerySet[Service]:
    return Service.objects.filter(organization=organization).order_by("name")


def listing_locations(organization: Organization) -> QuerySet[Location]:
    """The organization's own places, and places where its services are offered."""
    offered = ServiceAtLocation.objects.filter(service__organization=organization).values(
        "location_id"
    )
    return (
        Location.objects.filter(Q(organization=organization) | Q(public_id__in=offered))
        .prefetch_related("addresses")
        .order_by("name")
    )


def service_for_edit(*, actor: Actor, organization_id: UUID, service_id: UUID) -> Service:
    """A service of the listing named in the URL, when the actor may edit that listing."""
    org = listing_for_edit(actor=actor, organization_id=organization_id)
    service = (
        Service.objects.filter(public_id=service_id, organization=org)
        .prefetch_related("phones", "schedules", "languages", "cost_options")
        .first()
    )
    if service is None:
        raise deny(
            actor,
            action=AuditEvent.Action.UPDATE,
            record_type="directory.service",
            record_id=str(service_id),
            record_organization_id=org.public_id,
        )
    return service


def location_for_edit(*, actor: Actor, organization_id: UUID, location_id: UUID) -> Location:
    """A place of the listing named in the URL, when the actor may edit that listing."""
    org = listing_for_edit(actor=actor, organization_id=organization_id)
    location = (
        listing_locations(org).filter(public_id=location_id).prefetch_related("phones").first()
    )
    if location is None:
        raise deny(
            actor,
            action=AuditEvent.Action.UPDATE,
            record_type="directory.location",
            record_id=str(location_id),
            record_organization_id=org.public_id,
        )
    return location


def curation_check(*, actor: Actor, action: str, record_type: str, record_id: str = "") -> None:
    """Network-wide directory work (duplicates, merges, uploads) is the steward's."""
    if not may_curate(actor):
        own = actor.organization
        raise deny(
            actor,
            action=action,
            record_type=record_type,
            record_id=record_id,
            record_organization_id=own.public_id if own else None,
        )


def organization_to_merge(*, actor: Actor, organization_id: UUID) -> Organization:
    """An organization a steward may merge into another; 404 (audited) for everyone else."""
    curation_check(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record_type=LISTING,
        record_id=str(organization_id),
    )
    org = Organization.objects.filter(public_id=organization_id).first()
    if org is None:
        raise deny(
            actor,
            action=AuditEvent.Action.UPDATE,
            record_type=LISTING,
            record_id=str(organization_id),
        )
    return org


def duplicate_candidates() -> list[Candidate]:
    """Every place of every active organization, as light rows (one query a kind of link)."""
    found: set[Candidate] = set()
    own = Location.objects.filter(
        organization__is_active=True, latitude__isnull=False, longitude__isnull=False
    ).values_list("organization_id", "organization__name", "latitude", "longitude")
    offered = ServiceAtLocation.objects.filter(
        service__organization__is_active=True,
        location__latitude__isnull=False,
        location__longitude__isnull=False,
    ).values_list(
        "service__organization__pk",
        "service__organization__name",
        "location__latitude",
        "location__longitude",
    )
    pks: dict[Any, int] = dict(Organization.objects.values_list("public_id", "pk"))
    for org_id, name, lat, lng in own:
        found.add(Candidate(pks[org_id], name, lat, lng))
    for pk, name, lat, lng in offered:
        found.add(Candidate(pk, name, lat, lng))
    return list(found)


def organization_duplicates(
    *, actor: Actor, limit: int = 200
) -> list[tuple[Pair, Organization, Organization]]:
    """Pairs of organizations that may be the same one, most alike first (steward only)."""
    curation_check(actor=actor, action=AuditEvent.Action.LIST, record_type=LISTING)
    pairs = likely_duplicates(duplicate_candidates())[:limit]
    ids = {p.first for p in pairs} | {p.second for p in pairs}
    orgs = Organization.objects.in_bulk(ids)
    return [(p, orgs[p.first], orgs[p.second]) for p in pairs]


def merge_choices(organization: Organization) -> list[Organization]:
    """The organizations this one may be a duplicate of (the steward picks the survivor)."""
    pairs = likely_duplicates(duplicate_candidates())
    me = organization.pk
    ids = {p.second if p.first == me else p.first for p in pairs if me in (p.first, p.second)}
    ids.discard(organization.pk)
    return list(Organization.objects.filter(pk__in=ids).order_by("name"))


def directory_import_list(*, actor: Actor, limit: int = 20) -> list[DirectoryImport]:
    curation_check(actor=actor, action=AuditEvent.Action.LIST, record_type="directory.import")
    return list(DirectoryImport.objects.order_by("-created_at")[:limit])


def directory_import_get(*, actor: Actor, import_id: UUID) -> DirectoryImport:
    curation_check(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        record_type="directory.import",
        record_id=str(import_id),
    )
    found = DirectoryImport.objects.filter(public_id=import_id).first()
    if found is None:
        raise deny(
            actor,
            action=AuditEvent.Action.VIEW,
            record_type="directory.import",
            record_id=str(import_id),
        )
    return found
