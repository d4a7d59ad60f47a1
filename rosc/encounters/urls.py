from django.urls import URLPattern

app_name = "encounters"

urlpatterns: list[URLPattern] = []
