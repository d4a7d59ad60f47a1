"""Writing the audit trail. Call `audit_record` inside the transaction of the read or write."""

from typing import Any, Protocol
from uuid import UUID

from django.db import models

from rosc.core.models import AuditEvent


class Auditable(Protocol):
    """What the audit trail needs to know of whoever acts (accounts.Actor satisfies it)."""

    def audit_fields(self) -> dict[str, Any]: ...


def audit_record(
    *,
    actor: Auditable | None,
    action: str,
    record: models.Model | None = None,
    record_type: str = "",
    record_id: str = "",
    record_label: str = "",
    record_organization_id: UUID | None = None,
    subject: models.Model | None = None,
    outcome: str = AuditEvent.Outcome.OK,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `record` fills record_type/record_id/record_label when given."""
    fields: dict[str, Any] = actor.audit_fields() if actor is not None else {}
    if record is not None:
        record_type = record_type or record._meta.label_lower
        record_id = record_id or str(getattr(record, "public_id", record.pk))
        record_label = record_label or str(record)[:200]
    subject_type = subject_id = ""
    if subject is not None:
        subject_type = subject._meta.label_lower
        subject_id = str(getattr(subject, "public_id", subject.pk))
    return AuditEvent.objects.create(
        action=action,
        outcome=outcome,
        record_type=record_type,
        record_id=record_id,
        record_label=record_label[:200],
        record_organization_id=record_organization_id,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail or {},
        **fields,
    )
