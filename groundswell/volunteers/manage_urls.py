"""Organizer routes, mounted under /manage/<org>/."""

from django.urls import URLPattern

app_name = "volunteers_manage"
urlpatterns: list[URLPattern] = []
