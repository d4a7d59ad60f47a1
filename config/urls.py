from django.contrib import admin
from django.urls import include, path

from config.api import api
from rosc.directory.api_hsds import api as hsds_api

urlpatterns = [
    path("", include("rosc.core.urls")),
    path("", include("rosc.accounts.urls")),
    path("", include("rosc.directory.urls")),
    path("", include("rosc.people.urls")),
    path("", include("rosc.consent.urls")),
    path("", include("rosc.assessments.urls")),
    path("", include("rosc.plans.urls")),
    path("", include("rosc.encounters.urls")),
    path("", include("rosc.followups.urls")),
    path("", include("rosc.care.urls")),
    path("", include("rosc.referrals.urls")),
    path("", include("rosc.justice.urls")),
    path("", include("rosc.councils.urls")),
    path("", include("rosc.meetings.urls")),
    path("", include("rosc.fidelity.urls")),
    path("", include("rosc.training.urls")),
    path("", include("rosc.events.urls")),
    path("", include("rosc.mycalendar.urls")),
    path("fhir/", include("rosc.fhir.urls")),
    path("api/v1/", api.urls),
    path("api/hsds/", hsds_api.urls),
    path("django-admin/", admin.site.urls),
]

handler404 = "rosc.core.views.not_found"
handler500 = "rosc.core.views.server_error"
