from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "groundswell.outreach"
    label = "outreach"
    verbose_name = _("Tell your decision maker")

    def ready(self) -> None:
        from groundswell.campaigns import registry as campaign_registry
        from groundswell.core import clock
        from groundswell.organizations import sections
        from groundswell.outreach import actions, emails  # noqa: F401 (emails: the outbox's kinds)
        from groundswell.outreach.campaign_section import OutreachSection
        from groundswell.outreach.records import OutreachRecords
        from groundswell.people import registry

        registry.register(OutreachRecords())
        campaign_registry.register(OutreachSection())
        clock.register("outreach.settle_sent", lambda: 600.0, actions.settle_sent)
        sections.register_link(
            sections.NavLink("outreach", _("Calls to action"), "outreach_manage:list", 45)
        )
