from django.contrib import admin

from rosc.assessments.models import Instrument, OrganizationAssessmentSettings
from rosc.core.admin import ReadOnlyAdmin


@admin.register(OrganizationAssessmentSettings)
class OrganizationAssessmentSettingsAdmin(admin.ModelAdmin):
    list_display = ("organization", "checkin_interval_days", "checkin_instrument", "updated_at")
    search_fields = ("organization__name",)


@admin.register(Instrument)
class InstrumentAdmin(ReadOnlyAdmin):
    """Instruments change only through the services (their data is validated there)."""

    list_display = ("code", "name", "owner", "is_active", "version")
    list_filter = ("is_active",)
    search_fields = ("code", "name")


# Assessments are not in django-admin: every read of a person's answers goes through the
# audited selectors.
