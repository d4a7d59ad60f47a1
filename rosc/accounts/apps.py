from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rosc.accounts"
    label = "accounts"
    verbose_name = "Organizations and people who use ROSC Hub"
