from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "rosc.referrals"
    label = "referrals"
    verbose_name = "Referrals between organizations"
