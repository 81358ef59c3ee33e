"""Routes for supporter rights: public (/people/...) and organizers' (/manage/<org>/people/...)."""

from django.urls import URLPattern

public_urlpatterns: list[URLPattern] = []
manage_urlpatterns: list[URLPattern] = []
