"""Sharing a petition: plain share links (no third-party script), each carrying its
`?source=` so the dashboard's sources chart tells them apart, and the names those source
codes show under."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from groundswell.petitions.models import Petition

# Source codes of the share links and of the flyer's QR code, and the names the
# dashboard shows for them (and for codes earlier share links used).
SOURCE_NAMES: dict[str, Promise] = {
    "copy": _("Copied link"),
    "whatsapp": _("WhatsApp"),
    "sms": _("Text message"),
    "email": _("Email"),
    "facebook": _("Facebook"),
    "x": _("X"),
    "twitter": _("Twitter"),  # links shared before X: told apart from "x"
    "bluesky": _("Bluesky"),
    "qr": _("QR code (flyer)"),
    "thanks": _("Thank-you page"),
}


def source_label(code: str) -> str:
    """How a source code reads on the organizers' pages: a known channel by its name,
    any other code (an organization's own, e.g. "newsletter") as it was typed."""
    name = SOURCE_NAMES.get(code)
    return str(name) if name is not None else code


@dataclass(frozen=True)
class ShareLink:
    code: str  # the ?source= it carries
    name: str
    href: str
    url: str  # the petition's address with its source, as shared
    copy: bool = False  # "copy link": the page copies `url` instead of following it


def petition_url(petition: Petition, source: str) -> str:
    return f"{settings.BASE_URL}{petition.get_absolute_url()}?{urlencode({'source': source})}"


def share_links(petition: Petition, text: str) -> list[ShareLink]:
    """The share links, in the order a phone user most often needs them."""

    def url(code: str) -> str:
        return petition_url(petition, code)

    message = f"{text} {{}}"
    return [
        ShareLink("copy", str(_("Copy link")), url("copy"), url("copy"), copy=True),
        ShareLink(
            "whatsapp",
            "WhatsApp",
            "https://wa.me/?" + urlencode({"text": message.format(url("whatsapp"))}),
            url("whatsapp"),
        ),
        ShareLink(
            "sms",
            str(_("Text message")),
            # "sms:?&body=" is the form both Android and iOS read.
            "sms:?&body=" + quote(message.format(url("sms"))),
            url("sms"),
        ),
        ShareLink(
            "email",
            str(_("Email")),
            "mailto:?"
            + urlencode({"subject": text, "body": f"{text}\n\n{url('email')}"}, quote_via=quote),
            url("email"),
        ),
        ShareLink(
            "facebook",
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url("facebook")}),
            url("facebook"),
        ),
        ShareLink(
            "x",
            "X",
            "https://x.com/intent/post?" + urlencode({"text": text, "url": url("x")}),
            url("x"),
        ),
        ShareLink(
            "bluesky",
            "Bluesky",
            "https://bsky.app/intent/compose?"
            + urlencode({"text": message.format(url("bluesky"))}),
            url("bluesky"),
        ),
    ]
