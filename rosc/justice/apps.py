from django.apps import AppConfig


class JusticeConfig(AppConfig):
    name = "rosc.justice"
    label = "justice"
    verbose_name = "Reentry and diversion with the legal system"
