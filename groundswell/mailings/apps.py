from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    name = "groundswell.mailings"
    label = "mailings"
    verbose_name = _("Mailings and follow-ups")

    def ready(self) -> None:
        from groundswell.core import clock, outbox
        from groundswell.mailings import bounces, emails, sending
        from groundswell.mailings.records import MailingRecords
        from groundswell.organizations import sections
        from groundswell.people import registry

        registry.register(MailingRecords())
        emails.register()
        outbox.register_feeder("mailings", sending.feed)
        clock.register("mailings.start_due", lambda: 2.0, sending.start_due)
        clock.register("mailings.record_sent", lambda: 1.0, sending.record_all)
        clock.register("mailings.settle", lambda: 5.0, sending.settle_all)
        clock.register("mailings.read_bounces", lambda: 60.0, bounces.read_configured)
        sections.register_link(
            sections.NavLink("mailings", _("Mailings"), "mailings_manage:list", 35)
        )
