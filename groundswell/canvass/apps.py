from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CanvassConfig(AppConfig):
    name = "groundswell.canvass"
    label = "canvass"
    verbose_name = _("Canvassing")
