from django.urls import path

from rosc.mycalendar import views

app_name = "mycalendar"

urlpatterns = [
    # Public at a secret address; an unknown or turned-off token answers 404.
    path("calendar/me/<str:token>.ics", views.calendar, name="calendar"),
    path("account/calendar-feed/", views.feed_manage, name="feed_manage"),
]
