from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from rosc.accounts.models import Membership, Organization, User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("organization", "role", "title", "is_active")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_demo")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
