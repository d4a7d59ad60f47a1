from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from rosc.consent.models import Consent, Disclosure, OrganizationConsentSettings


@admin.register(OrganizationConsentSettings)
class OrganizationConsentSettingsAdmin(admin.ModelAdmin):
    list_display = ("organization", "is_part2_program", "updated_at")
    list_filter = ("is_part2_program",)
    search_fields = ("organization__name",)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Consents and disclosures change only through rosc.consent.services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "disclosing_organization", "purpose", "signed_at", "revoked_at")
    list_filter = ("purpose", "is_part2_source")


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "from_organization", "to_organization", "purpose", "at")
    list_filter = ("purpose", "is_part2_source")
