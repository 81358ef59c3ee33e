from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistrictsConfig(AppConfig):
    name = "groundswell.districts"
    label = "districts"
    verbose_name = _("Districts")

    def ready(self) -> None:
        from groundswell.core import clock
        from groundswell.districts import actions

        # Geocoded addresses are kept only until they expire (they are personal data).
        clock.register("districts.prune_geocodes", lambda: 24 * 3600.0, actions.prune_geocodes)
