"""Public routes of this app."""

from django.urls import URLPattern

app_name = "volunteers"
urlpatterns: list[URLPattern] = []
