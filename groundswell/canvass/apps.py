from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CanvassConfig(AppConfig):
    name = "groundswell.canvass"
    label = "canvass"
    verbose_name = _("Canvassing")

    def ready(self) -> None:
        from groundswell.canvass.records import CanvassRecords
        from groundswell.organizations import sections
        from groundswell.people import registry

        registry.register(CanvassRecords())
        sections.register_link(
            sections.NavLink("canvass", _("Canvassing"), "canvass_manage:list", 55)
        )
