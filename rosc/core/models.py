"""Shared model base and the append-only audit trail. No domain models live here."""

import uuid
from typing import Any, ClassVar

from django.db import models
from django.utils import timezone


class BaseModel(models.Model):
    """Every domain record: a public UUID for URLs, and when it was made and last changed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Refuses bulk change and removal."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are append-only")


class AppendOnlyModel(models.Model):
    """A record that is written once and never changed or removed (audit events, disclosures).

    Pair it with `rosc.core.append_only.append_only_triggers(table)` in a migration so the
    database refuses UPDATE (SQLite, PostgreSQL) and DELETE (PostgreSQL) too.
    """

    objects: ClassVar[AppendOnlyQuerySet] = AppendOnlyQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name_plural} are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self._meta.verbose_name_plural} are append-only")


class AuditEvent(AppendOnlyModel):
    """One read or write of a protected record (or an attempt at one). Never changed, never removed.

    The database refuses UPDATE (both engines) and DELETE (PostgreSQL) on this table by trigger;
    the model refuses both too. Names are copied in, so the event stays readable after a user or
    organization is renamed.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        LIST = "list", "Listed"
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DEACTIVATE = "deactivate", "Deactivated"
        EXPORT = "export", "Exported"
        LOGIN = "login", "Signed in"
        LOGOUT = "logout", "Signed out"
        SWITCH = "switch", "Switched organization"
        ENROL_2FA = "enrol_2fa", "Set up second factor"

    class Outcome(models.TextChoices):
        OK = "ok", "Allowed"
        DENIED = "denied", "Denied"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user_id = models.BigIntegerField(null=True, blank=True)
    username = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=40, blank=True)
    organization_id = models.UUIDField(null=True, blank=True)
    organization_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OK)
    record_type = models.CharField(max_length=60, blank=True)
    record_id = models.CharField(max_length=64, blank=True)
    record_label = models.CharField(max_length=200, blank=True)
    # The organization that owns the record, when it differs from the actor's (or is known).
    record_organization_id = models.UUIDField(null=True, blank=True)
    # Whose record it is: the person the record is about (a staff member, later a participant).
    subject_type = models.CharField(max_length=60, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["organization_id", "-at"], name="audit_org_at"),
            models.Index(fields=["record_organization_id", "-at"], name="audit_record_org_at"),
            models.Index(fields=["subject_type", "subject_id"], name="audit_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.record_type}"
