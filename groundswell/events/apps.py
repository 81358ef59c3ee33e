from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

REMINDER_INTERVAL = 60.0  # seconds between looks for reminders that are due


class EventsConfig(AppConfig):
    name = "groundswell.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from groundswell.campaigns import registry as campaign_registry
        from groundswell.core import clock
        from groundswell.events import campaign_section, emails, records
        from groundswell.people import registry

        registry.register(records.RSVPRecords())
        campaign_registry.register(campaign_section.CampaignEvents())

        from groundswell.campaigns import next_steps as campaign_next_steps
        from groundswell.events.next_steps import EventStep

        # What a signer can do next (the petitions' thank-you pages): come to an event.
        campaign_next_steps.register(EventStep())
        clock.register("events.reminders", lambda: REMINDER_INTERVAL, emails.queue_due_reminders)

        from groundswell.events import wards

        # Located by the worker (groundswell.districts.assignment), after they are stored.
        wards.register()

        from groundswell.core import navigation
        from groundswell.organizations import sections

        navigation.register(navigation.Link("events", _("Events"), "events:list", 30))
        sections.register_link(sections.NavLink("events", _("Events"), "events_manage:list", 30))
