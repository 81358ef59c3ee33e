from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TextsConfig(AppConfig):
    name = "groundswell.texts"
    label = "texts"
    verbose_name = _("Text messages")

    def ready(self) -> None:
        from groundswell.core import clock
        from groundswell.organizations import sections
        from groundswell.people import registry
        from groundswell.texts import sending
        from groundswell.texts.records import TextRecords

        registry.register(TextRecords())
        clock.register("texts.start", lambda: 2.0, sending.start)
        clock.register("texts.send", lambda: 1.0, sending.send_due)
        sections.register_link(sections.NavLink("texts", _("Texts"), "texts_manage:list", 36))
