from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "rosc.fhir"
    label = "fhir"
    verbose_name = "FHIR R4 exchange"
