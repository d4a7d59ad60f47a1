from django.contrib import admin

from rosc.consent.models import Consent, Disclosure, OrganizationConsentSettings
from rosc.core.admin import ReadOnlyAdmin


@admin.register(OrganizationConsentSettings)
class OrganizationConsentSettingsAdmin(admin.ModelAdmin):
    list_display = ("organization", "is_part2_program", "updated_at")
    list_filter = ("is_part2_program",)
    search_fields = ("organization__name",)


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "disclosing_organization", "purpose", "signed_at", "revoked_at")
    list_filter = ("purpose", "is_part2_source")


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "from_organization", "to_organization", "purpose", "at")
    list_filter = ("purpose", "is_part2_source")
