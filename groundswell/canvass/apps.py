from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CanvassConfig(AppConfig):
    name = "groundswell.canvass"
    label = "canvass"
    verbose_name = _("Canvassing")

    def ready(self) -> None:
        from groundswell.canvass import addresslist
        from groundswell.canvass.records import CanvassRecords
        from groundswell.core import clock
        from groundswell.organizations import sections
        from groundswell.people import registry

        registry.register(CanvassRecords())
        sections.register_link(
            sections.NavLink("canvass", _("Canvassing"), "canvass_manage:list", 55)
        )
        # An address list whose worker stopped half-way is located again.
        clock.register("canvass.resume_address_lists", lambda: 600.0, addresslist.resume_stalled)
