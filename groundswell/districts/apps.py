from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ASSIGN_INTERVAL = 2.0  # seconds between the worker's rounds of locating new records


class DistrictsConfig(AppConfig):
    name = "groundswell.districts"
    label = "districts"
    verbose_name = _("Districts")

    def ready(self) -> None:
        from groundswell.core import clock
        from groundswell.districts import actions, assignment

        # Geocoded addresses are kept only until they expire (they are personal data).
        clock.register("districts.prune_geocodes", lambda: 24 * 3600.0, actions.prune_geocodes)
        # Records stored without their district (signatures, people) get it here, after
        # the INSERT, never in the request (see groundswell.districts.assignment).
        clock.register("districts.assign", lambda: ASSIGN_INTERVAL, assignment.assign_all)
