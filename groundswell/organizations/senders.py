"""Who an organization's emails come from: one rule for every email sent on its behalf.

Supporters should see the organization they signed with, not the platform: the From
name is "Organization via Groundswell" unless the organization chose its own, and
replies go to the organization's Reply-To where it set one. The From *address* is the
platform's own unless the organization's address is on a domain the operator lists in
MAIL_SENDER_DOMAINS (the domains whose SPF, DKIM and DMARC the operator set up to
allow this server to send for): mail from any other domain would fail DMARC at the
recipient and land in spam, or let one organization send as another.

The domain is checked when the address is saved and again when each message is built,
so an operator removing a domain takes effect at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import formataddr, parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from groundswell.organizations.sender_domains import domain_allowed

if TYPE_CHECKING:
    from groundswell.organizations.models import Organization


@dataclass(frozen=True)
class Sender:
    from_email: str
    reply_to: str | None

    def headers(self) -> dict[str, str | None]:
        """As `core.mail.build_message`'s keyword arguments."""
        return {"from_email": self.from_email, "reply_to": self.reply_to}


def display_name(organization: Organization) -> str:
    chosen = " ".join(organization.sender_name.split())
    if chosen:
        return chosen
    # Translators: the From name of an organization's emails, e.g. "Action Now via Groundswell".
    return _("%(organization)s via %(site)s") % {
        "organization": organization.name,
        "site": settings.SITE_NAME,
    }


def platform_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL


def sender(organization: Organization | None, language: str | None = None) -> Sender:
    """The From header and Reply-To of an email sent for `organization` (None: the site),
    its name in the reader's `language` ("Action Now vía Groundswell")."""
    if language:
        with translation.override(language):
            return sender(organization)
    if organization is None:
        return Sender(from_email=settings.DEFAULT_FROM_EMAIL, reply_to=None)
    address = organization.sender_address.strip()
    if not address or not domain_allowed(address):
        address = platform_address()
    name = display_name(organization)
    try:
        from_email = str(Address(display_name=name, addr_spec=address))
    except (ValueError, IndexError):  # an address the headerregistry cannot split
        from_email = formataddr((name, address))
    return Sender(from_email=from_email, reply_to=organization.reply_to.strip() or None)
