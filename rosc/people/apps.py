from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "rosc.people"
    label = "people"
    verbose_name = "People supported"
