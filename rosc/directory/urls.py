from django.urls import path

from rosc.directory import views

app_name = "directory"

urlpatterns = [
    path("find/", views.find_view, name="find"),
    path(
        "find/organizations/<uuid:organization_id>/", views.organization_view, name="organization"
    ),
    path("find/services/<uuid:service_id>/", views.service_view, name="service"),
]
