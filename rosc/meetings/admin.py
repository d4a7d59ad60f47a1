from django.contrib import admin
from django.http import HttpRequest

from rosc.meetings.models import Meeting, MeetingFeed


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time", "time_zone", "attendance", "active", "feed"]
    list_filter = ["active", "attendance", "feed"]
    search_fields = ["name", "slug", "location", "group", "city"]
    raw_id_fields = ["organization", "feed"]

    # Meetings are written by rosc.meetings.services (feeds, the import command), which keep the
    # derived filter columns true; the admin only shows them.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(MeetingFeed)
class MeetingFeedAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "refresh_hours", "active", "last_run_at", "last_ok"]
    readonly_fields = ["last_run_at", "last_ok", "last_report"]
