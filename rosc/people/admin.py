from django.contrib import admin

from rosc.core.admin import ReadOnlyAdmin
from rosc.people.models import Participant


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    """Read-only: participants are enrolled and changed through rosc.people.services (audited).

    Names are not listed: the admin site is for operators, not for reading people's records.
    """

    list_display = ("public_id", "organization", "enrolled_on")
    list_filter = ("organization",)
    fields = ("public_id", "organization", "enrolled_on", "enrolled_by")
    readonly_fields = fields
