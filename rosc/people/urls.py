from django.urls import path

from rosc.people import views

app_name = "people"

urlpatterns = [
    path("participants/", views.participant_list_view, name="list"),
    path("participants/new/", views.participant_new_view, name="new"),
    path(
        "participants/<uuid:participant_id>/primary-peer/",
        views.primary_peer_view,
        name="primary_peer",
    ),
]
