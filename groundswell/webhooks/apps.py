from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "groundswell.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from groundswell.core import clock
        from groundswell.webhooks import actions, sending, triggers

        triggers.connect()
        # A delivery whose task was lost (a worker killed mid-send) is queued again.
        clock.register("webhooks.send_overdue", lambda: 60.0, sending.queue_overdue)
        clock.register("webhooks.prune", lambda: 24 * 3600.0, actions.prune)

        from groundswell.organizations import sections
        from groundswell.organizations.models import Role

        sections.register_link(
            sections.NavLink("webhooks", _("Webhooks"), "webhooks_manage:endpoints", 95, Role.ADMIN)
        )
