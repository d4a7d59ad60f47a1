from django.urls import path

from rosc.directory import curation_views, views

app_name = "directory"

urlpatterns = [
    path("find/", views.find_view, name="find"),
    path(
        "find/organizations/<uuid:organization_id>/", views.organization_view, name="organization"
    ),
    path("find/services/<uuid:service_id>/", views.service_view, name="service"),
    # Staff: keeping listings true (steward everywhere, organization admin their own).
    path("directory/manage/", curation_views.manage_view, name="manage"),
    path("directory/manage/duplicates/", curation_views.duplicates_view, name="duplicates"),
    path("directory/manage/uploads/", curation_views.import_new_view, name="import_new"),
    path(
        "directory/manage/uploads/<uuid:import_id>/",
        curation_views.import_detail_view,
        name="import_detail",
    ),
    path("directory/manage/<uuid:org_id>/", curation_views.listing_edit_view, name="listing_edit"),
    path(
        "directory/manage/<uuid:org_id>/verified/",
        curation_views.listing_verify_view,
        name="listing_verify",
    ),
    path("directory/manage/<uuid:org_id>/merge/", curation_views.merge_view, name="merge"),
    path(
        "directory/manage/<uuid:org_id>/services/new/",
        curation_views.service_new_view,
        name="service_new",
    ),
    path(
        "directory/manage/<uuid:org_id>/services/<uuid:service_id>/",
        curation_views.service_edit_view,
        name="service_edit",
    ),
    path(
        "directory/manage/<uuid:org_id>/locations/new/",
        curation_views.location_new_view,
        name="location_new",
    ),
    path(
        "directory/manage/<uuid:org_id>/locations/<uuid:location_id>/",
        curation_views.location_edit_view,
        name="location_edit",
    ),
]
