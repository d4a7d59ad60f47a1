from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "rosc.events"
    label = "events"
    verbose_name = "Public events and registration"
