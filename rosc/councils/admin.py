from django.contrib import admin

from rosc.councils.models import Council, County


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ("name", "host", "time_zone")
    filter_horizontal = ("counties",)


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("name", "state", "fips")
    search_fields = ("name", "fips")
