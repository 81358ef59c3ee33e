from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "groundswell.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.conf import settings

        from groundswell.accounts import emails, sessions, throttle  # noqa: F401 (receivers, emails)
        from groundswell.core import clock

        clock.register(
            "accounts.prune_login_attempts",
            lambda: float(settings.LOGIN_FAILURE_WINDOW),
            throttle.prune,
        )
