"""`manage.py check --deploy` warns while cases are protected by SECRET_KEY alone."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def keys_of_their_own(**kwargs: Any) -> list[checks.CheckMessage]:
    """Without CASES_KEYS, each case's data key is wrapped by a key derived from
    SECRET_KEY (fine for the demo): rotating SECRET_KEY then makes every case
    unreadable, and a leaked SECRET_KEY opens them all."""
    if settings.CASES_KEYS:
        return []
    return [
        checks.Warning(
            "CASES_KEYS is not set: advocacy cases are encrypted under a key derived from "
            "SECRET_KEY, so changing SECRET_KEY makes every case unreadable and a leaked "
            "SECRET_KEY opens them.",
            hint="Set CASES_KEYS (docs/cases.md), then run manage.py rewrap_case_keys.",
            id="cases.W001",
        )
    ]
