from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "rosc.care"
    label = "care"
    verbose_name = "Caseload"
