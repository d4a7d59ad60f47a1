from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "rosc.demo"
    label = "demo"
    verbose_name = "Synthetic demo network"
