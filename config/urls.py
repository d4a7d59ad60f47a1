from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("", include("rosc.core.urls")),
    path("", include("rosc.accounts.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

handler404 = "rosc.core.views.not_found"
handler500 = "rosc.core.views.server_error"
