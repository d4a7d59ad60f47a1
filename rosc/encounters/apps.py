from django.apps import AppConfig


class EncountersConfig(AppConfig):
    name = "rosc.encounters"
    label = "encounters"
    verbose_name = "Encounters"
