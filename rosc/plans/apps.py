from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "rosc.plans"
    label = "plans"
    verbose_name = "Recovery plans"
