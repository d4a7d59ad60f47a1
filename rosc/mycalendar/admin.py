from django.contrib import admin
from django.http import HttpRequest

from rosc.mycalendar.models import PersonalFeed


@admin.register(PersonalFeed)
class PersonalFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "updated_at"]
    # The hash is no use to anyone reading the admin; an admin can delete a row to turn it off.
    exclude = ["token_hash"]
    readonly_fields = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
