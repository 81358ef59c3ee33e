from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "groundswell.organizations"
    label = "organizations"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        from groundswell.organizations import emails  # noqa: F401 (its kinds of email)
