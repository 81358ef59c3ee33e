"""Signing integrity: who may sign, who is suspect, which signatures a rule matches.

Screening runs on the hot path, so each check is cheap: access rules are cached per
process for RULES_TTL seconds, the disposable-domain list is a set in memory, and the
bot traps and rate limits (core.screening, like every public form) cost one Redis round
trip (or, without Redis, one transaction of upserts of counters that every app server
shares: core.ratelimit).
"""

from __future__ import annotations

import datetime
import ipaddress
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from groundswell.core import screening
from groundswell.core.http import client_ip
from groundswell.petitions.models import AccessRule, Invalidation, Petition, PetitionRef, Signature

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

RULES_TTL = 30.0

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class Suspect:
    """Why a signature is kept out of the counts until an organizer clears it."""

    RATE_BURST = "rate:burst"
    RATE_SUSTAINED = "rate:sustained"
    RATE_GLOBAL = "rate:global"
    HONEYPOT = "bot:honeypot"
    TOO_FAST = "bot:too-fast"
    NO_FORM_TOKEN = "bot:no-form-token"  # noqa: S105
    FORM_TOKEN_REUSED = "bot:form-token-reused"  # noqa: S105
    CHALLENGE = "bot:challenge"


# The sign form's policy: a signature a trap or limit catches is kept as suspect (out
# of the counts, no email, for organizers to review), so a person caught by mistake has
# still signed and a bot learns nothing from the page; past the hard cap, nothing more
# is stored at all.
SIGN_SCREEN = screening.Screen(
    name="Signature",
    salt="groundswell.petitions.form",
    honeypot=screening.suspect(Suspect.HONEYPOT),
    puzzle=screening.suspect(Suspect.CHALLENGE),
    no_token=screening.suspect(Suspect.NO_FORM_TOKEN),
    too_fast=screening.suspect(Suspect.TOO_FAST),
    token_spent=screening.suspect(Suspect.FORM_TOKEN_REUSED),
    limits=(
        screening.Limit("sign_burst", screening.suspect(Suspect.RATE_BURST), scoped=True),
        screening.Limit("sign_sustained", screening.suspect(Suspect.RATE_SUSTAINED), scoped=True),
        screening.Limit("sign_global", screening.suspect(Suspect.RATE_GLOBAL)),
    ),
    cap=screening.Limit(
        "sign_hard",
        screening.refuse(429, _("Your signature was not saved.")),
        scoped=True,
    ),
)


# --- Access rules and disposable domains ---------------------------------------------------


@dataclass(frozen=True)
class Rules:
    allow_networks: tuple[IPNetwork, ...]
    block_networks: tuple[IPNetwork, ...]
    allow_domains: frozenset[str]
    block_domains: frozenset[str]

    def ip_allowed(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
        return ip is not None and any(ip in net for net in self.allow_networks)

    def ip_blocked(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
        return ip is not None and any(ip in net for net in self.block_networks)


_rules_cache: dict[int | None, tuple[float, Rules]] = {}
_rules_lock = threading.Lock()


def parse_network(value: str) -> IPNetwork:
    """An IP address or CIDR range; raises ValueError on anything else."""
    return ipaddress.ip_network(value.strip(), strict=False)


def rules_for(organization_id: int | None) -> Rules:
    """Operator-wide rules plus the organization's own, cached for RULES_TTL seconds."""
    now = time.monotonic()
    with _rules_lock:
        cached = _rules_cache.get(organization_id)
        if cached and cached[0] > now:
            return cached[1]
    allow_nets: list[IPNetwork] = []
    block_nets: list[IPNetwork] = []
    allow_domains: set[str] = set()
    block_domains: set[str] = set()
    rows = AccessRule.objects.filter(
        Q(organization__isnull=True) | Q(organization_id=organization_id)
    ).values_list("kind", "value", "action")
    for kind, value, action in rows:
        allow = action == AccessRule.Action.ALLOW
        if kind == AccessRule.Kind.IP:
            try:
                (allow_nets if allow else block_nets).append(parse_network(value))
            except ValueError:
                continue  # validated on entry; an old bad row must not break signing
        else:
            (allow_domains if allow else block_domains).add(value.strip().lower())
    rules = Rules(
        tuple(allow_nets), tuple(block_nets), frozenset(allow_domains), frozenset(block_domains)
    )
    with _rules_lock:
        _rules_cache[organization_id] = (now + RULES_TTL, rules)
    return rules


def forget_rules() -> None:
    """Drop cached rules in this process (after an edit, and in tests)."""
    with _rules_lock:
        _rules_cache.clear()


@cache
def disposable_domains() -> frozenset[str]:
    from disposable_email_domains import blocklist

    domains = set(blocklist)
    files = [Path(__file__).parent / "data" / "disposable_domains_extra.txt"]
    if settings.DISPOSABLE_DOMAINS_FILE:
        files.append(Path(settings.DISPOSABLE_DOMAINS_FILE))
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip().lower()
            if line and not line.startswith("#"):
                domains.add(line)
    return frozenset(domains)


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def domain_matches(domain: str, domains: frozenset[str]) -> bool:
    """The domain or any parent domain is listed (mail.example.org matches example.org)."""
    parts = domain.split(".")
    return any(".".join(parts[i:]) in domains for i in range(len(parts) - 1))


# --- Screening -----------------------------------------------------------------------------


def screen(
    petition: PetitionRef, request: HttpRequest, *, email: str, puzzle_solved: bool = True
) -> screening.Verdict:
    """Decide what happens to a valid signature before it is stored.

    Block rules and disposable addresses are refused with a message (403); the rest is
    SIGN_SCREEN's. An allow rule skips the form token and the limits, and one for the
    signer's network the hard cap too (a table collecting signatures on one connection).
    """
    rules = rules_for(petition.owner_id)
    ip = client_ip(request)
    address = ipaddress.ip_address(ip) if ip else None
    domain = domain_of(email)
    if rules.ip_blocked(address) and not rules.ip_allowed(address):
        return _refused(
            _(
                "Signatures from your network are not accepted here. "
                "If this is a mistake, contact the organization."
            )
        )
    if domain_matches(domain, rules.block_domains) and domain not in rules.allow_domains:
        return _refused(
            _(
                "Signatures from this email domain are not accepted here. "
                "Please use another address."
            )
        )
    if domain not in rules.allow_domains and domain_matches(domain, disposable_domains()):
        return _refused(
            _("Please use a permanent email address: we cannot accept disposable addresses.")
        )
    return SIGN_SCREEN.check(
        request,
        scope=petition.pk,
        exempt=rules.ip_allowed(address) or domain in rules.allow_domains,
        cap_exempt=rules.ip_allowed(address),
        puzzle_solved=puzzle_solved,
    )


def _refused(message: _StrPromise) -> screening.Verdict:
    return screening.Verdict(screening.refuse(403, message), "access-rule")


# --- Matching signatures for bulk invalidation ---------------------------------------------


def matching(
    petition: Petition,
    *,
    kind: str,
    value: str = "",
    starts_at: datetime.datetime | None = None,
    ends_at: datetime.datetime | None = None,
) -> QuerySet[Signature]:
    """The petition's signatures an invalidation of this kind would take out."""
    signatures = Signature.objects.filter(petition=petition)
    if kind == Invalidation.Kind.IP:
        return signatures.filter(ip_address=str(ipaddress.ip_address(value.strip())))
    if kind == Invalidation.Kind.CIDR:
        network = parse_network(value)
        if network.num_addresses == 1:
            return signatures.filter(ip_address=str(network.network_address))
        if connection.vendor == "postgresql":  # ip_address is an inet column there
            return signatures.extra(where=["ip_address <<= %s::inet"], params=[str(network)])
        # SQLite stores addresses as text: test membership here.
        candidates = signatures.exclude(ip_address__isnull=True).values_list("pk", "ip_address")
        ids = [
            pk
            for pk, ip in candidates.iterator(chunk_size=5000)
            if ip and ipaddress.ip_address(ip) in network
        ]
        return signatures.filter(pk__in=ids)
    if kind == Invalidation.Kind.DOMAIN:
        domain = value.strip().lower().lstrip("@")
        return signatures.filter(
            Q(email_normalized__endswith=f"@{domain}") | Q(email_normalized__endswith=f".{domain}")
        )
    if kind == Invalidation.Kind.WINDOW:
        if starts_at is None or ends_at is None:
            raise ValueError("a time window needs a start and an end")
        return signatures.filter(created_at__gte=starts_at, created_at__lt=ends_at)
    raise ValueError(f"unknown invalidation kind {kind!r}")
