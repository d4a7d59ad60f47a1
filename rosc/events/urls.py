from django.urls import path

from rosc.events import views

app_name = "events"

urlpatterns = [
    # Public: no sign-in.
    path("events/", views.event_list, name="list"),
    path("events/calendar.ics", views.calendar_feed, name="calendar"),
    path("events/<slug:event_slug>/", views.event_detail, name="detail"),
    path("events/<slug:event_slug>/event.ics", views.event_ics, name="event_ics"),
    path(
        "events/<slug:event_slug>/registration/<str:token>/",
        views.registration_view,
        name="registration",
    ),
    # Host staff of the organization named by the URL.
    path("orgs/<uuid:org_id>/events/", views.manage, name="manage"),
    path("orgs/<uuid:org_id>/events/new/", views.event_new, name="new"),
    path(
        "orgs/<uuid:org_id>/events/<uuid:community_event_id>/",
        views.event_registrations,
        name="registrations",
    ),
    path(
        "orgs/<uuid:org_id>/events/<uuid:community_event_id>/edit/",
        views.event_edit,
        name="edit",
    ),
    path(
        "orgs/<uuid:org_id>/events/<uuid:community_event_id>/check-in/",
        views.check_in,
        name="check_in",
    ),
]
