from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from rosc.core.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through their app's services (audited): look, don't touch."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = (
        "at",
        "username",
        "role",
        "organization_name",
        "action",
        "outcome",
        "record_type",
        "record_id",
    )
    list_filter = ("action", "outcome", "role")
    search_fields = ("username", "record_id", "subject_id")
