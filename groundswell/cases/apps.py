from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ESCALATION_INTERVAL = 60.0  # seconds between looks for emergencies nobody acted on
RETENTION_INTERVAL = 3600.0  # seconds between looks for closed cases past CASES_RETENTION_DAYS


class CasesConfig(AppConfig):
    name = "groundswell.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from groundswell.cases import actions, checks, emails  # noqa: F401 - registers kinds
        from groundswell.cases.organization_section import CasesSection
        from groundswell.core import clock
        from groundswell.organizations import sections

        clock.register("cases.escalate", lambda: ESCALATION_INTERVAL, actions.escalate_overdue)
        clock.register("cases.retention", lambda: RETENTION_INTERVAL, actions.delete_expired)
        sections.register_link(sections.NavLink("cases", _("Cases"), "cases_manage:index", 55))
        sections.register(CasesSection())
        from groundswell.campaigns import registry as campaign_registry
        from groundswell.cases.campaign_section import CaseFigures

        # A support campaign's page shows figures of the open cases it supports.
        campaign_registry.register(CaseFigures())
        # Nothing is registered with people.registry: a case never shows on a person's
        # timeline, in a search, an export or their copy of their data (the timeline
        # cannot tell who is asking, so the one safe answer is nothing).
