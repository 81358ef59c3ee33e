from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "groundswell.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from groundswell.campaigns import (  # noqa: F401 (emails)
            emails,
            organization_section,
            records,
        )
        from groundswell.people import registry

        registry.register(records.EndorsementRecords())
        organization_section.register()
