from django.urls import path

from rosc.followups import views

app_name = "followups"

urlpatterns = [
    path(
        "participants/<uuid:participant_id>/follow-ups/",
        views.followup_list_view,
        name="list",
    ),
    path(
        "participants/<uuid:participant_id>/follow-ups/attempt/",
        views.followup_attempt_view,
        name="attempt",
    ),
    path(
        "participants/<uuid:participant_id>/follow-ups/complete/",
        views.followup_complete_view,
        name="complete",
    ),
    path(
        "participants/<uuid:participant_id>/discharge/",
        views.participant_discharge_view,
        name="discharge",
    ),
    path(
        "participants/<uuid:participant_id>/re-enrol/",
        views.participant_reenrol_view,
        name="reenrol",
    ),
]
