from django.apps import AppConfig


class FrontConfig(AppConfig):
    """Pages that gather several domains: the home page and the organizer start page."""

    name = "groundswell.front"
    label = "front"
