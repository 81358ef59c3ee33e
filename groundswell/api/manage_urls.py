"""Mounted at /manage/<org>/api/: an organization's API tokens (and webhooks)."""

from django.urls import URLPattern

app_name = "api_manage"
urlpatterns: list[URLPattern] = []
