"""A test urlconf mounting the public HSDS API where the project mounts it: /api/hsds/."""

from django.urls import path

from rosc.directory.api_hsds import api

urlpatterns = [path("api/hsds/", api.urls)]
