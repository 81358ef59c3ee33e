"""Organizer routes, mounted under /manage/<org>/."""

from django.urls import URLPattern

app_name = "events_manage"
urlpatterns: list[URLPattern] = []
