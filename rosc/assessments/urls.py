from django.urls import path

from rosc.assessments import views

app_name = "assessments"

urlpatterns = [
    path(
        "participants/<uuid:participant_id>/check-ins/",
        views.checkin_history_view,
        name="history",
    ),
    path(
        "participants/<uuid:participant_id>/check-ins/new/",
        views.checkin_new_view,
        name="new",
    ),
    path(
        "participants/<uuid:participant_id>/check-ins/<uuid:assessment_id>/",
        views.checkin_detail_view,
        name="detail",
    ),
    path("orgs/<uuid:org_id>/instruments/", views.instrument_list_view, name="instruments"),
    path("orgs/<uuid:org_id>/instruments/new/", views.instrument_new_view, name="instrument_new"),
    path("orgs/<uuid:org_id>/check-in-settings/", views.checkin_settings_view, name="settings"),
]
