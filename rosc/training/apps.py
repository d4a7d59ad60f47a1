from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "rosc.training"
    label = "training"
    verbose_name = "Joint training programs"
