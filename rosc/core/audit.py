"""Writing the audit trail. Call `audit_record` inside the transaction of the read or write.

A page that reads several records (a person's page: the person, their consents, check-ins and
plan) may wrap its work in `audit_batch()`: the "ok" events of its reads are then written
together, in one INSERT, when the block ends - before anything is shown - instead of one
INSERT each. Writes, and refusals, are recorded at once as always.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol
from uuid import UUID

from django.db import models

from rosc.core.models import AuditEvent

_READS = (AuditEvent.Action.VIEW, AuditEvent.Action.LIST)
_batch: ContextVar[list[AuditEvent] | None] = ContextVar("audit_batch", default=None)


@contextmanager
def audit_batch() -> Iterator[list[AuditEvent]]:
    """Within the block, successful reads' events are kept and written in one INSERT at its end.

    They are written however the block ends (an error after a read does not unmake the read),
    and before the block's result can reach anyone. Use it outside any transaction.atomic()
    block that could roll the events back, around reads only (the page's view, say).
    """
    events: list[AuditEvent] = []
    token = _batch.set(events)
    try:
        yield events
    finally:
        _batch.reset(token)
        if events:
            AuditEvent.objects.bulk_create(events)


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
    """Append one event. `record` fills record_type/record_id/record_label when given.

    Inside `audit_batch()`, a successful read's event is written when the batch ends."""
    fields: dict[str, Any] = actor.audit_fields() if actor is not None else {}
    if record is not None:
        record_type = record_type or record._meta.label_lower
        record_id = record_id or str(getattr(record, "public_id", record.pk))
        record_label = record_label or str(record)[:200]
    subject_type = subject_id = ""
    if subject is not None:
        subject_type = subject._meta.label_lower
        subject_id = str(getattr(subject, "public_id", subject.pk))
    event = AuditEvent(
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
    batch = _batch.get()
    if batch is not None and action in _READS and outcome == AuditEvent.Outcome.OK:
        batch.append(event)
    else:
        event.save(force_insert=True)
    return event
