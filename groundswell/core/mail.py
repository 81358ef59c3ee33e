"""Compose and send Groundswell's emails: text and HTML parts, in the reader's language,
with RFC 8058 one-click unsubscribe headers when the message is a mailing."""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django_tasks.base import Task

logger = logging.getLogger(__name__)

# After a failed send, try again after these many seconds: about 11 hours in all.
RETRY_DELAYS = (60, 300, 1800, 3600, 3 * 3600, 6 * 3600)


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


def send_messages(messages: Iterable[EmailMultiAlternatives]) -> int:
    """Send over one SMTP connection; returns how many were sent."""
    messages = list(messages)
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def deliver(
    messages: Iterable[EmailMultiAlternatives],
    *,
    task: Task[Any, Any],
    args: tuple[Any, ...],
    attempt: int,
) -> bool:
    """Send; if the mail server fails, queue `task(*args, attempt=attempt + 1)` again
    after a growing delay. Returns whether the messages went out.

    Every email task sends through here, so a mail server that is down for hours
    delays email but loses none of it.
    """
    try:
        send_messages(messages)
        return True
    except (smtplib.SMTPException, OSError) as exc:
        if attempt >= len(RETRY_DELAYS):
            logger.error(
                "Giving up on %s%r after %d attempts: %s", task.name, args, attempt + 1, exc
            )
            return False
        delay = datetime.timedelta(seconds=RETRY_DELAYS[attempt])
        task.using(run_after=timezone.now() + delay).enqueue(*args, attempt=attempt + 1)
        logger.warning("Sending %s%r failed (%s); trying again in %s", task.name, args, exc, delay)
        return False
