from django.urls import path

from rosc.care import views

app_name = "care"

urlpatterns = [
    path("caseload/", views.caseload_view, name="caseload"),
    path("caseload/team/", views.team_view, name="team"),
    path("participants/<uuid:participant_id>/", views.participant_view, name="participant"),
]
