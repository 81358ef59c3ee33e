from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "groundswell.petitions"
    label = "petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from django.conf import settings

        from groundswell.campaigns import registry as campaign_registry
        from groundswell.core import clock, health
        from groundswell.people import registry
        from groundswell.petitions import (
            anonymize,
            campaign_section,
            counts,
            emails,
            organization_section,
            records,
        )

        registry.register(records.SignatureRecords())
        organization_section.register()
        campaign_registry.register(campaign_section.PetitionSection())

        emails.register()
        health.register_backlog("confirmations", emails.oldest_due_confirmation)
        clock.register("petitions.fold_counts", lambda: settings.COUNT_INTERVAL, counts.fold)
        clock.register("petitions.recount", lambda: settings.RECOUNT_INTERVAL, counts.recount_all)
        clock.register("petitions.anonymize", lambda: 24 * 3600.0, anonymize.anonymize_closed)

        from django.db.models.signals import post_delete

        from groundswell.petitions.actions.delivery import packet_deleted
        from groundswell.petitions.models import DeliveryPacket

        # A packet deleted with its target or petition takes its files with it.
        post_delete.connect(packet_deleted, sender=DeliveryPacket, dispatch_uid="packet_files")

        from groundswell.petitions import wards

        # Signatures located by the worker, and signers per ward on whip boards.
        wards.register()
