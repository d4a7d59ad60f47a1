from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "rosc.meetings"
    label = "meetings"
    verbose_name = "Support-group meetings (Meeting Guide)"
