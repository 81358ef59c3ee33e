"""The domains an organization may send from (MAIL_SENDER_DOMAINS), checked when its
From address is saved (a model validator) and when each email is built (senders)."""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def allowed_domains() -> set[str]:
    return {d.strip().lower().rstrip(".") for d in settings.MAIL_SENDER_DOMAINS if d.strip()}


def domain_allowed(address: str) -> bool:
    _name, addr = parseaddr(address)
    domain = addr.rpartition("@")[2].lower().rstrip(".")
    return bool(domain) and domain in allowed_domains()


def validate_sender_address(address: str) -> None:
    """Refuse a From address the operator has not allowed (empty is the platform's)."""
    if address and not domain_allowed(address):
        domains = sorted(allowed_domains())
        if domains:
            message = _(
                "This server may only send from addresses at %(domains)s. Leave the field "
                "empty to send from the platform's address with your organization's name."
            ) % {"domains": ", ".join(domains)}
        else:
            message = _(
                "This server sends only from its own address (its operator has allowed no "
                "other domain). Leave the field empty; set a Reply-To for answers."
            )
        raise ValidationError(message, code="sender_domain")
