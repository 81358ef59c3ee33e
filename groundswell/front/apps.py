from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontConfig(AppConfig):
    """Pages that gather several domains: the home page and the organizer start page."""

    name = "groundswell.front"
    label = "front"

    def ready(self) -> None:
        from groundswell.core import navigation

        navigation.register(
            navigation.Link("manage", _("Manage"), "front_manage:index", 80, audience="signed_in")
        )
