"""Compose Groundswell's emails: text and HTML parts, in the reader's language, with
RFC 8058 one-click unsubscribe headers when the message is a mailing. They are sent
by the outbox (groundswell.core.outbox)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def build_message(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    unsubscribe_url: str | None = None,
    from_email: str | None = None,
    reply_to: str | None = None,
) -> EmailMultiAlternatives:
    """Render `<template>_subject.txt`, `<template>.txt` and `<template>.html`."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            **context,
            "unsubscribe_url": unsubscribe_url,
            "BASE_URL": settings.BASE_URL,
            "SITE_NAME": settings.SITE_NAME,
        }
        subject = " ".join(_render_plain(f"{template}_subject.txt", context).split())
        text = _render_plain(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    headers = {}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def _render_plain(name: str, context: dict[str, Any]) -> str:
    """Render a plain-text template without HTML escaping ("Don't", not "Don&#x27;t")."""
    template = get_template(name).template  # type: ignore[attr-defined]
    return str(template.render(Context(context, autoescape=False)))
