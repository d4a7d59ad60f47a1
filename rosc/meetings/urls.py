from django.urls import path

from rosc.meetings import views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.find_view, name="find"),
    path("meetings.json", views.feed_view, name="feed"),
    path("meetings/<slug:meeting_slug>/", views.meeting_view, name="meeting"),
    # The staff of the organization named by the URL: the meetings it hosts and enters itself.
    path("orgs/<uuid:org_id>/meetings/", views.manage_view, name="manage"),
    path("orgs/<uuid:org_id>/meetings/new/", views.meeting_new_view, name="new"),
    path(
        "orgs/<uuid:org_id>/meetings/<uuid:support_meeting_id>/edit/",
        views.meeting_edit_view,
        name="edit",
    ),
    path(
        "orgs/<uuid:org_id>/meetings/<uuid:support_meeting_id>/active/",
        views.meeting_active_view,
        name="active",
    ),
]
