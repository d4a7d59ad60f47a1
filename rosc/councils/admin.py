from django.contrib import admin

from rosc.councils.models import (
    ActionItem,
    Council,
    CouncilMember,
    County,
    MeetingSeries,
    Occurrence,
)


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ("name", "host", "time_zone")
    filter_horizontal = ("counties",)


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("name", "state", "fips", "latitude", "longitude")
    search_fields = ("name", "fips")


@admin.register(CouncilMember)
class CouncilMemberAdmin(admin.ModelAdmin):
    list_display = ("name", "council", "sector", "council_role", "active_from", "active_to")
    list_filter = ("sector", "council_role")
    exclude = ("feed_token_hash",)


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ("title", "council", "rrule", "first_date", "start_time", "sequence")


@admin.register(Occurrence)
class OccurrenceAdmin(admin.ModelAdmin):
    list_display = ("series", "recurrence_date", "starts_at", "cancelled", "minutes_status")


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ("text", "occurrence", "owner", "due_on", "done_on")
