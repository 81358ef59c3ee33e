"""Requests per token per window (settings.API_RATE, e.g. (600, 60)).

With REDIS_URL the count is an atomic INCR shared by every app server; without it, one
conditional UPDATE of the token's row, so processes and servers sharing the database
still share the count (a per-process memory cache would multiply the limit).
"""

from __future__ import annotations

import datetime
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from groundswell.api.models import ApiToken


def rate() -> tuple[int, int]:
    limit, seconds = settings.API_RATE
    return int(limit), int(seconds)


def retry_after(token: ApiToken) -> int | None:
    """Count this request; None if allowed, else the seconds to wait before the next."""
    limit, seconds = rate()
    if getattr(settings, "REDIS_URL", ""):
        now = time.time()
        window = int(now // seconds)
        key = f"api-rate:{token.pk}:{window}"
        cache.add(key, 0, timeout=seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=seconds + 1)
            count = 1
        stale = timezone.now() - datetime.timedelta(minutes=1)
        if token.last_used_at is None or token.last_used_at < stale:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        if count <= limit:
            return None
        return max(1, math.ceil((window + 1) * seconds - now))
    now_dt = timezone.now()
    window_start = now_dt - datetime.timedelta(seconds=seconds)
    fresh = Q(window_started_at__isnull=True) | Q(window_started_at__lte=window_start)
    ApiToken.objects.filter(pk=token.pk).update(
        window_count=Case(When(fresh, then=Value(1)), default=F("window_count") + 1),
        window_started_at=Case(When(fresh, then=Value(now_dt)), default=F("window_started_at")),
        last_used_at=now_dt,
    )
    started, count = ApiToken.objects.filter(pk=token.pk).values_list(
        "window_started_at", "window_count"
    )[0]
    if count <= limit or started is None:
        return None
    ends = started + datetime.timedelta(seconds=seconds)
    return max(1, math.ceil((ends - now_dt).total_seconds()))
