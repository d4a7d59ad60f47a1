from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "rosc.assessments"
    label = "assessments"
    verbose_name = "Recovery capital check-ins"
