from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "rosc.councils"
    label = "councils"
    verbose_name = "ROSC councils"
