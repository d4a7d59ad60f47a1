from django.contrib import admin

from rosc.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
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

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
