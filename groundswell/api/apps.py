from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "groundswell.api"
    label = "api"
    verbose_name = _("OSDI API")

    def ready(self) -> None:
        from groundswell.organizations import sections
        from groundswell.organizations.models import Role

        sections.register_link(
            sections.NavLink("api", _("API"), "api_manage:tokens", 90, Role.ADMIN)
        )
