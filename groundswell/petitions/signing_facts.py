"""What the sign POST needs to know about a petition, kept briefly in each process.

During a surge every signature would otherwise load the petition row (with its long
texts) and its co-sponsors: two queries that return the same answer thousands of times
a second. A change by an organizer (closing, co-sponsors) reaches every app process
within FACTS_TTL seconds; the process that made it forgets at once.
"""

from __future__ import annotations

import datetime
import threading
import time
from dataclasses import dataclass

from groundswell.organizations.models import Organization
from groundswell.petitions.models import Petition, is_signable

FACTS_TTL = 5.0


@dataclass(frozen=True)
class SigningFacts:
    pk: int
    slug: str
    owner_id: int
    status: str
    deadline: datetime.date | None
    requires_challenge: bool
    organizations: tuple[Organization, ...]

    @property
    def is_signable(self) -> bool:
        return is_signable(self.status, self.deadline)


_cache: dict[str, tuple[float, SigningFacts]] = {}
_lock = threading.Lock()


def get(slug: str) -> SigningFacts | None:
    """The published petition's signing facts, or None if there is no such petition."""
    now = time.monotonic()
    with _lock:
        cached = _cache.get(slug)
    if cached and cached[0] > now:
        return cached[1]
    petition = (
        Petition.objects.published()
        .select_related("owner")
        .only("pk", "slug", "owner", "status", "deadline", "requires_challenge")
        .filter(slug=slug)
        .first()
    )
    if petition is None:
        return None
    found = SigningFacts(
        pk=petition.pk,
        slug=petition.slug,
        owner_id=petition.owner_id,
        status=petition.status,
        deadline=petition.deadline,
        requires_challenge=petition.requires_challenge,
        organizations=tuple(petition.organizations),
    )
    with _lock:
        _cache[slug] = (now + FACTS_TTL, found)
    return found


def forget(slug: str | None = None) -> None:
    """Drop cached facts (one petition's, or all) in this process."""
    with _lock:
        if slug is None:
            _cache.clear()
        else:
            _cache.pop(slug, None)
