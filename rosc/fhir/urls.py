"""FHIR R4 endpoints (no trailing slashes, as FHIR clients expect). See docs/architecture.md."""

from django.urls import URLPattern, URLResolver, path

from rosc.fhir import views

app_name = "fhir"

urlpatterns: list[URLPattern | URLResolver] = [
    path("metadata", views.metadata, name="metadata"),
    path("Task", views.task_search, name="task_search"),
    path("Task/<str:referral_id>", views.task_read, name="task"),
    path("ServiceRequest/<str:referral_id>", views.service_request_read, name="service_request"),
    path("Bundle", views.bundle_create, name="bundle_create"),
    path("Bundle/<str:referral_id>", views.bundle_read, name="bundle"),
    path("Patient/<str:patient_id>", views.patient_read, name="patient"),
    path("Consent/<str:consent_id>", views.consent_read, name="consent"),
    path("Organization/<str:organization_id>", views.organization_read, name="organization"),
    path(
        "HealthcareService/<str:service_id>",
        views.healthcare_service_read,
        name="healthcare_service",
    ),
]
