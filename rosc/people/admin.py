from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from rosc.people.models import Participant


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    """Read-only: participants are enrolled and changed through rosc.people.services (audited).

    Names are not listed: the admin site is for operators, not for reading people's records.
    """

    list_display = ("public_id", "organization", "enrolled_on")
    list_filter = ("organization",)
    fields = ("public_id", "organization", "enrolled_on", "enrolled_by")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
