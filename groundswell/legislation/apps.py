from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegislationConfig(AppConfig):
    name = "groundswell.legislation"
    label = "legislation"
    verbose_name = _("Legislation")

    def ready(self) -> None:
        from groundswell.core import navigation
        from groundswell.organizations import sections

        navigation.register(
            navigation.Link("council", _("City Council"), "legislation:council", 40)
        )
        sections.register_link(
            sections.NavLink("legislation", _("Legislation"), "legislation_manage:index", 50)
        )
