from django.contrib import admin
from django.http import HttpRequest

from rosc.training.models import Course, CredentialCategory, Enrolment, Session


@admin.register(CredentialCategory)
class CredentialCategoryAdmin(admin.ModelAdmin):
    """A network adds its own credential categories here."""

    list_display = ["name", "slug", "position", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "contact_hours"]
    search_fields = ["title"]
    readonly_fields = ["organization", "created_by"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["course", "starts_at", "status"]
    list_filter = ["status"]
    readonly_fields = ["course", "hosts", "created_by"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["session", "user", "guest_name", "attendance", "verification_code"]
    readonly_fields = [f.name for f in Enrolment._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
