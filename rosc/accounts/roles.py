"""Roles and what each may do. The one place permissions are decided from."""

from django.db import models


class Role(models.TextChoices):
    PEER_SPECIALIST = "peer_specialist", "Peer recovery specialist"
    SUPERVISOR = "supervisor", "Supervisor"
    ORG_ADMIN = "org_admin", "Organization admin"
    PARTNER_STAFF = "partner_staff", "Partner staff"
    LEGAL_PARTNER = "legal_partner", "Legal-system partner"
    COUNCIL_COORDINATOR = "council_coordinator", "Council coordinator"
    NETWORK_ADMIN = "network_admin", "Network administrator"
    DATA_STEWARD = "data_steward", "Data steward"


class Perm(models.TextChoices):
    """Things a role may do inside its active organization."""

    STAFF_VIEW = "staff.view", "See the organization's staff"
    STAFF_MANAGE = "staff.manage", "Invite and deactivate staff"
    AUDIT_VIEW = "audit.view", "Browse and export the audit trail"
    PARTICIPANTS_OPEN = "participants.open", "Open participant records"
    DIRECTORY_EDIT = "directory.edit", "Keep directory listings true"
    # Network-wide: every organization's listing, duplicate merges and HSDS uploads.
    DIRECTORY_CURATE = "directory.curate", "Curate every listing of the directory"
    COUNCIL_MANAGE = "council.manage", "Run a council's roster and meetings"
    NETWORK_VIEW = "network.view", "See de-identified network-wide figures"
    PLANS_REVIEW = "plans.review", "Review and comment on recovery plans"
    TEAM_VIEW = "caseload.team", "See the whole team's caseload and workload"
    # RCO standards self-assessment (rosc/fidelity): keep it for one's own organization.
    FIDELITY_EDIT = "fidelity.edit", "Keep the organization's RCO standards self-assessment"
    # Network-wide: review every organization's submitted RCO standards self-assessment.
    FIDELITY_REVIEW = "fidelity.review", "Review RCO standards self-assessments"
    # Public events the organization (or the council it hosts) runs: registrations, check-in.
    EVENTS_MANAGE = "events.manage", "Run public events and their registrations"
    # Joint training programs: courses the organization owns, sessions it hosts.
    TRAINING_MANAGE = "training.manage", "Run training courses and their sessions"


ROLE_PERMS: dict[str, frozenset[str]] = {
    Role.PEER_SPECIALIST: frozenset({Perm.STAFF_VIEW, Perm.PARTICIPANTS_OPEN}),
    Role.SUPERVISOR: frozenset(
        {
            Perm.STAFF_VIEW,
            Perm.PARTICIPANTS_OPEN,
            Perm.PLANS_REVIEW,
            Perm.TEAM_VIEW,
            Perm.FIDELITY_EDIT,
        }
    ),
    Role.ORG_ADMIN: frozenset(
        {
            Perm.STAFF_VIEW,
            Perm.STAFF_MANAGE,
            Perm.AUDIT_VIEW,
            Perm.PARTICIPANTS_OPEN,
            Perm.DIRECTORY_EDIT,
            Perm.PLANS_REVIEW,
            Perm.FIDELITY_EDIT,
            Perm.TEAM_VIEW,
            Perm.EVENTS_MANAGE,
            Perm.TRAINING_MANAGE,
        }
    ),
    Role.PARTNER_STAFF: frozenset({Perm.STAFF_VIEW, Perm.PARTICIPANTS_OPEN}),
    Role.LEGAL_PARTNER: frozenset({Perm.STAFF_VIEW, Perm.PARTICIPANTS_OPEN}),
    Role.COUNCIL_COORDINATOR: frozenset(
        {Perm.STAFF_VIEW, Perm.COUNCIL_MANAGE, Perm.EVENTS_MANAGE, Perm.TRAINING_MANAGE}
    ),
    Role.NETWORK_ADMIN: frozenset({Perm.STAFF_VIEW, Perm.NETWORK_VIEW, Perm.FIDELITY_REVIEW}),
    Role.DATA_STEWARD: frozenset({Perm.STAFF_VIEW, Perm.DIRECTORY_EDIT, Perm.DIRECTORY_CURATE}),
}


def role_has_perm(role: str | None, perm: str) -> bool:
    return role is not None and perm in ROLE_PERMS.get(role, frozenset())


def role_requires_second_factor(role: str) -> bool:
    """Every role that can open participant records must use a second factor."""
    return role_has_perm(role, Perm.PARTICIPANTS_OPEN)
