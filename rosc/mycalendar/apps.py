from django.apps import AppConfig


class MyCalendarConfig(AppConfig):
    name = "rosc.mycalendar"
    label = "mycalendar"
    verbose_name = "My calendar (a person's own feed)"
