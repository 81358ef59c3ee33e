"""Organizer routes, mounted under /manage/<org>/."""

from django.urls import URLPattern

app_name = "campaigns_manage"
urlpatterns: list[URLPattern] = []
