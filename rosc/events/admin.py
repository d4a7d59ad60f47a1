from django.contrib import admin

from rosc.events.models import Event, Registration


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    list_display = ("title", "kind", "starts_at", "status", "published")
    list_filter = ("kind", "status", "published")
    search_fields = ("title", "slug")
    readonly_fields = ("public_id", "sequence")


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin[Registration]):
    list_display = ("public_id", "event", "status", "queued_at", "checked_in_at")
    list_filter = ("status",)
    readonly_fields = ("public_id",)
