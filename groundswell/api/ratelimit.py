"""Requests per token per window (settings.API_RATE, e.g. (600, 60)), counted by
core.ratelimit, so every app process and server shares one count per token."""

from __future__ import annotations

import datetime

from django.utils import timezone

from groundswell.api.models import ApiToken
from groundswell.core import ratelimit


def retry_after(token: ApiToken) -> int | None:
    """Count this request; None if allowed, else the seconds to wait before the next.

    Also notes when the token was last used (at most once a minute, so a busy sync
    does not write the token's row at every request)."""
    hit = ratelimit.hit("api_token", str(token.pk))
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return None if hit.allowed else hit.retry_after
