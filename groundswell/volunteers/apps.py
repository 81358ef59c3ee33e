from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "groundswell.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self) -> None:
        from groundswell.campaigns import registry as campaign_registry
        from groundswell.core import clock
        from groundswell.people import registry as people_registry
        from groundswell.volunteers import campaign_section, organization_section, records, tasks

        people_registry.register(records.VolunteerRecords())
        from groundswell.organizations import departures
        from groundswell.volunteers import actions

        # A member who leaves the staff no longer follows up anyone.
        departures.register("volunteers", actions.unassign_member)
        organization_section.register()
        campaign_registry.register(campaign_section.VolunteerSection())

        from groundswell.campaigns import next_steps as campaign_next_steps
        from groundswell.volunteers.next_steps import VolunteerStep

        # What a signer can do next (the petitions' thank-you pages): volunteer.
        campaign_next_steps.register(VolunteerStep())
        clock.register("volunteers.reminders", lambda: 3600.0, tasks.queue_reminders)
        clock.register("volunteers.prune_unconfirmed", lambda: 24 * 3600.0, tasks.prune_unconfirmed)

        from groundswell.volunteers import wards

        # Located by the worker (groundswell.districts.assignment), after they are stored.
        wards.register()
