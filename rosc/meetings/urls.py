from django.urls import path

from rosc.meetings import views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.find_view, name="find"),
    path("meetings.json", views.feed_view, name="feed"),
    path("meetings/<slug:meeting_slug>/", views.meeting_view, name="meeting"),
]
