from django.urls import path

from rosc.plans import views

app_name = "plans"

urlpatterns = [
    path("participants/<uuid:participant_id>/plan/", views.plan_view, name="plan"),
    path("participants/<uuid:participant_id>/plan/edit/", views.plan_edit_view, name="edit"),
    path("participants/<uuid:participant_id>/plan/print/", views.plan_print_view, name="print"),
    path(
        "participants/<uuid:participant_id>/plan/versions/",
        views.plan_versions_view,
        name="versions",
    ),
    path(
        "participants/<uuid:participant_id>/plan/versions/<uuid:plan_version_id>/",
        views.plan_version_view,
        name="version",
    ),
    path(
        "participants/<uuid:participant_id>/plan/versions/<uuid:plan_version_id>/review/",
        views.plan_review_view,
        name="review",
    ),
]
