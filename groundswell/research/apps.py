from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    name = "groundswell.research"
    label = "research"
    verbose_name = _("Research desk")

    def ready(self) -> None:
        from groundswell.campaigns import registry
        from groundswell.legislation import registry as boards
        from groundswell.organizations import sections
        from groundswell.research.board_section import BoardMoney
        from groundswell.research.campaign_section import ResearchSection

        registry.register(ResearchSection())
        boards.register_section(BoardMoney())
        sections.register_link(
            sections.NavLink("research", _("Research desk"), "research_manage:index", 55)
        )
