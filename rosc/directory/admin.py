from django.contrib import admin

from rosc.directory import models as m


@admin.register(m.Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["name", "description", "public_id"]
    raw_id_fields = ["organization", "program"]


@admin.register(m.Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "location_type", "organization", "latitude", "longitude"]
    search_fields = ["name", "public_id"]
    raw_id_fields = ["organization"]


@admin.register(m.Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "uri"]


@admin.register(m.TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "taxonomy_detail", "parent"]
    list_filter = ["taxonomy_detail"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]


for model in (
    m.Program,
    m.ServiceAtLocation,
    m.Contact,
    m.Phone,
    m.Address,
    m.Schedule,
    m.Funding,
    m.ServiceArea,
    m.RequiredDocument,
    m.Language,
    m.Accessibility,
    m.CostOption,
    m.OrganizationIdentifier,
    m.Attribute,
    m.Metadata,
    m.MetaTableDescription,
):
    admin.site.register(model)
