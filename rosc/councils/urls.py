from django.urls import path

from rosc.councils import views

app_name = "councils"

urlpatterns = [
    # Public: the network, each council, calendar feeds (no sign-in).
    path("network/", views.network, name="network"),
    path("network/calendar.ics", views.network_calendar, name="network_calendar"),
    path("calendar/<str:token>.ics", views.member_calendar, name="member_calendar"),
    # The coordinator's pages (before "councils/<slug>/", which would take "manage" as a slug).
    path("councils/manage/", views.manage_list, name="manage_list"),
    path("councils/<uuid:council_id>/manage/", views.manage, name="manage"),
    path("councils/<uuid:council_id>/manage/members/new/", views.member_new, name="member_new"),
    path(
        "councils/<uuid:council_id>/manage/members/<uuid:member_id>/",
        views.member_edit,
        name="member_edit",
    ),
    path(
        "councils/<uuid:council_id>/manage/members/<uuid:member_id>/calendar/",
        views.member_feed,
        name="member_feed",
    ),
    path(
        "councils/<uuid:council_id>/manage/schedule/new/", views.schedule_new, name="schedule_new"
    ),
    path(
        "councils/<uuid:council_id>/manage/schedule/<uuid:series_id>/",
        views.schedule_edit,
        name="schedule_edit",
    ),
    path(
        "councils/<uuid:council_id>/manage/schedule/<uuid:series_id>/dates/",
        views.schedule_date,
        name="schedule_date",
    ),
    path(
        "councils/<uuid:council_id>/manage/schedule/<uuid:series_id>/extra/",
        views.schedule_extra,
        name="schedule_extra",
    ),
    path(
        "councils/<uuid:council_id>/manage/meetings/<uuid:meeting_id>/",
        views.meeting,
        name="meeting",
    ),
    path("councils/<slug:slug>/", views.council_page, name="council"),
    path("councils/<slug:slug>/calendar.ics", views.council_calendar, name="council_calendar"),
]
