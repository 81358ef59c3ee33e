from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "groundswell.organizations"
    label = "organizations"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        from groundswell.organizations import (
            emails,  # noqa: F401 (its kinds of email)
            sections,
        )
        from groundswell.organizations.models import Role

        # The organizer menu's own links; the apps above add theirs between them.
        for link in (
            sections.NavLink("home", _("Overview"), "organizations_manage:home", 0),
            sections.NavLink("members", _("Staff"), "organizations_manage:members", 60),
            sections.NavLink(
                "coalition",
                lambda organization: (
                    _("Coalition members") if organization.is_coalition else _("Coalitions")
                ),
                "organizations_manage:coalition",
                70,
            ),
            sections.NavLink(
                "settings", _("Settings"), "organizations_manage:settings", 80, Role.ADMIN
            ),
            sections.NavLink("public", _("Public page"), "organizations:detail", 1000),
        ):
            sections.register_link(link)
