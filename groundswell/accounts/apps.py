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

        from groundswell.core import navigation

        for link in (
            navigation.Link(
                "account_security",
                _("Account security"),
                "accounts:two_factor",
                85,
                audience="signed_in",
            ),
            navigation.Link(
                "log_out", _("Log out"), "accounts:logout", 90, audience="signed_in", post=True
            ),
            navigation.Link(
                "log_in", _("Organizer login"), "accounts:login", 90, audience="signed_out"
            ),
        ):
            navigation.register(link)
