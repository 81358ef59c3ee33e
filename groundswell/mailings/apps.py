from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    name = "groundswell.mailings"
    label = "mailings"
    verbose_name = _("Mailings and follow-ups")
