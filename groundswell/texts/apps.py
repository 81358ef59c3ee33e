from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TextsConfig(AppConfig):
    name = "groundswell.texts"
    label = "texts"
    verbose_name = _("Text messages")
