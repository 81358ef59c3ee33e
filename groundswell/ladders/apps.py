from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaddersConfig(AppConfig):
    name = "groundswell.ladders"
    label = "ladders"
    verbose_name = _("Automatic follow-ups")

    def ready(self) -> None:
        from groundswell.core import clock
        from groundswell.ladders import emails, running, triggers
        from groundswell.ladders.records import LadderRecords
        from groundswell.organizations import sections
        from groundswell.people import registry

        registry.register(LadderRecords())
        emails.register()
        triggers.connect()
        clock.register("ladders.advance", lambda: 5.0, running.advance_due)
        sections.register_link(
            sections.NavLink("ladders", _("Follow-ups"), "ladders_manage:list", 37)
        )
