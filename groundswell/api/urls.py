"""Mounted at /api/v2/: the OSDI API (see docs/api.md)."""

from django.urls import URLPattern

app_name = "api"
urlpatterns: list[URLPattern] = []
