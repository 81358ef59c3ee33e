"""Routes for this part of /manage/<org>/people/ (see manage_urls)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
