"""The demo's made-up signers: a pool of Chicago names and addresses, and when each
petition's signers signed, from where, and to whom they gave consent — the same on
every run (seeded), so `load_demo` can be run again without adding anyone."""

from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from groundswell.front import demo
from groundswell.organizations.models import Organization
from groundswell.petitions.models import Petition


@dataclass(frozen=True)
class Signer:
    first_name: str
    last_name: str
    email: str
    zip_code: str
    language: str


@dataclass(frozen=True)
class Planned:
    signer: Signer
    created_at: datetime
    verified_at: datetime | None
    source: str
    public: bool
    consents: tuple[Organization, ...]


def signer_pool(size: int) -> list[Signer]:
    """The same `size` people on every run; petitions draw overlapping slices of them."""
    rng = random.Random(demo.SIGNER_SEED)
    groups = [
        (first.split(", "), last.split(", "), spanish, weight)
        for first, last, spanish, weight in demo.NAME_GROUPS
    ]
    group_weights = [group[3] for group in groups]
    zip_codes = [
        (code, weight)
        for weight, codes in demo.ZIP_CODES_BY_WEIGHT.items()
        for code in codes.split()
    ]
    taken: set[str] = set()
    pool: list[Signer] = []
    while len(pool) < size:
        group = rng.choices(groups, weights=group_weights)[0]
        family = group if rng.random() < 0.8 else rng.choices(groups, weights=group_weights)[0]
        first, last = rng.choice(group[0]), rng.choice(family[1])
        pool.append(
            Signer(
                first_name=first,
                last_name=last,
                email=unique_email(rng, first, last, taken),
                zip_code=rng.choices([c for c, _ in zip_codes], [w for _, w in zip_codes])[0],
                language="es" if rng.random() < group[2] else "en",
            )
        )
    return pool


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


def unique_email(rng: random.Random, first: str, last: str, taken: set[str]) -> str:
    f, l = _ascii(first), _ascii(last)  # noqa: E741
    local = rng.choice(
        (
            f"{f}.{l}",
            f"{f}{l}",
            f"{f[0]}{l}",
            f"{f}_{l}",
            f"{f}.{l}{rng.randint(1, 99)}",
            f"{f}{l[0]}{rng.randint(60, 99)}",
        )
    )
    domain = rng.choice(demo.EMAIL_DOMAINS)
    email, n = f"{local}@{domain}", 2
    while email in taken:
        email, n = f"{local}{n}@{domain}", n + 1
    taken.add(email)
    return email


def plan_signatures(
    petition: Petition, spec: demo.DemoPetition, pool: list[Signer]
) -> list[Planned]:
    """Who signed when, from where, and to whom they gave consent: the same on every run."""
    rng = random.Random(f"{demo.SIGNER_SEED}:{spec.slug}")
    now = timezone.now()
    start = petition.published_at or now - timedelta(days=spec.days_open)
    days = max(1, math.ceil((now - start) / timedelta(days=1)))
    baseline = [(0.7 + 0.8 * math.exp(-day / 15)) * rng.uniform(0.75, 1.25) for day in range(days)]
    surge = [
        sum(s.height * math.exp(-(((day + 0.5 - s.day) / s.width) ** 2)) for s in spec.surges)
        for day in range(days)
    ]
    weights = [b + s for b, s in zip(baseline, surge, strict=True)]
    sources = [source for source, _ in spec.sources]
    source_weights = [weight for _, weight in spec.sources]
    owner, sponsors = petition.owner, list(petition.sponsors.order_by("slug"))
    signers = pool[spec.signers_from : spec.signers_from + spec.verified + spec.pending]
    pending = set(rng.sample(range(len(signers)), spec.pending))
    planned = []
    for index, signer in enumerate(signers):
        day = rng.choices(range(days), weights=weights)[0]
        created_at = start + timedelta(days=day, seconds=rng.uniform(0, 86_400))
        if created_at > now:
            created_at = max(start, now - timedelta(seconds=rng.uniform(60, 6 * 3600)))
        verified_at = None
        if index not in pending:
            delay = timedelta(minutes=rng.lognormvariate(1.5, 1.3))
            verified_at = min(now, created_at + delay)
        if surge[day] > baseline[day] and rng.random() < 0.45:
            source = rng.choice(("facebook", "twitter"))  # a surge travels on social media
        else:
            source = rng.choices(sources, weights=source_weights)[0]
        consents: list[Organization] = [owner] if rng.random() < 0.5 else []
        if sponsors and rng.random() < 0.22:
            consents += rng.sample(sponsors, k=min(len(sponsors), rng.choice((1, 1, 2))))
        planned.append(
            Planned(
                signer=signer,
                created_at=created_at,
                verified_at=verified_at,
                source=source,
                public=rng.random() < 0.4,
                consents=tuple(consents),
            )
        )
    return planned
