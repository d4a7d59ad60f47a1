from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "rosc.consent"
    label = "consent"
    verbose_name = "Consent and disclosures"
