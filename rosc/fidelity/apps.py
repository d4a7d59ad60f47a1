from django.apps import AppConfig


class FidelityConfig(AppConfig):
    name = "rosc.fidelity"
    label = "fidelity"
    verbose_name = "Fidelity and ROSC self-assessments"
