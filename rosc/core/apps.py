from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rosc.core"
    label = "core"
    verbose_name = "Core"
