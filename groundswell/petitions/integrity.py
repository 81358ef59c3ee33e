"""Signing integrity: who may sign, who is suspect, which signatures a rule matches.

Screening runs on the hot path, so each check is cheap: access rules are cached per
process for RULES_TTL seconds, the disposable-domain list is a set in memory, and the
rate limits cost one Redis round trip (or, without Redis, three upserts of counters that
every app server shares: core.ratelimit).
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
from django.utils.translation import gettext_lazy as _

from groundswell.core import formtokens, ratelimit
from groundswell.petitions.models import AccessRule, Invalidation, Petition, PetitionRef, Signature

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

RULES_TTL = 30.0
FORM_TOKEN_SALT = "groundswell.petitions.form"  # noqa: S105 - a signing salt, not a secret
FORM_TOKEN_MAX_AGE = 12 * 3600

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class Suspect:
    """Why a signature is kept out of the counts until an organizer clears it."""

    RATE_BURST = "rate:burst"
    RATE_SUSTAINED = "rate:sustained"
    RATE_GLOBAL = "rate:global"
    HONEYPOT = "bot:honeypot"
    TOO_FAST = "bot:too-fast"
    NO_FORM_TOKEN = "bot:no-form-token"  # noqa: S105
    CHALLENGE = "bot:challenge"


@dataclass(frozen=True)
class Verdict:
    refusal: _StrPromise | str | None = None  # a clear message; nothing is stored
    suspect_reason: str = ""

    @property
    def send_email(self) -> bool:
        """Suspects get no email (clearing them sends it), so a bot cannot use the form
        to mail strangers beyond the rate limits."""
        return not self.suspect_reason


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


# --- Rate limits ---------------------------------------------------------------------------

# The three windows (core.ratelimit domains), in the order a signature is told which it
# went over, and whether each counts one petition's signatures or all of them.
SIGN_LIMITS = (
    ("sign_burst", Suspect.RATE_BURST, True),
    ("sign_sustained", Suspect.RATE_SUSTAINED, True),
    ("sign_global", Suspect.RATE_GLOBAL, False),
)


def over_limit(petition_id: int, ip: str | None) -> str:
    """Count this signature against its client's three limits, all at once (one round
    trip to Redis, or three upserts in the database); the first it goes over, or ""."""
    if not ip:
        return ""
    client = ratelimit.client_key(ip)
    hits = ratelimit.hit_all(
        [
            (domain, f"{petition_id}:{client}" if per_petition else client)
            for domain, _reason, per_petition in SIGN_LIMITS
        ]
    )
    for (_domain, reason, _per_petition), hit in zip(SIGN_LIMITS, hits, strict=True):
        if not hit.allowed:
            return reason
    return ""


# --- Bot traps -----------------------------------------------------------------------------


def form_token() -> str:
    """A signed timestamp for the form, to tell a person from an instant bot."""
    return formtokens.issue(FORM_TOKEN_SALT)


def form_age(token: str) -> float | None:
    """Seconds since the form was served, or None for a missing, forged or old token."""
    return formtokens.age(token, FORM_TOKEN_SALT, FORM_TOKEN_MAX_AGE)


# --- Screening -----------------------------------------------------------------------------


def screen(
    petition: PetitionRef,
    *,
    ip: str | None,
    email: str,
    form_token: str,
    honeypot: str,
    challenge_ok: bool = True,
) -> Verdict:
    """Decide what happens to a valid signature before it is stored.

    Block rules and disposable addresses are refused with a message; bot traps and rate
    limits keep the signature but mark it suspect. An allow rule skips the limits.
    """
    rules = rules_for(petition.owner_id)
    address = ipaddress.ip_address(ip) if ip else None
    domain = domain_of(email)
    if rules.ip_blocked(address) and not rules.ip_allowed(address):
        return Verdict(
            refusal=_(
                "Signatures from your network are not accepted here. "
                "If this is a mistake, contact the organization."
            )
        )
    if domain_matches(domain, rules.block_domains) and domain not in rules.allow_domains:
        return Verdict(
            refusal=_(
                "Signatures from this email domain are not accepted here. "
                "Please use another address."
            )
        )
    if domain not in rules.allow_domains and domain_matches(domain, disposable_domains()):
        return Verdict(
            refusal=_(
                "Please use a permanent email address: we cannot accept disposable addresses."
            )
        )
    if honeypot:
        return Verdict(suspect_reason=Suspect.HONEYPOT)
    if not challenge_ok:
        return Verdict(suspect_reason=Suspect.CHALLENGE)
    if rules.ip_allowed(address) or (domain in rules.allow_domains):
        return Verdict()
    age = form_age(form_token)
    if age is None:
        return Verdict(suspect_reason=Suspect.NO_FORM_TOKEN)
    if age < settings.SIGN_MIN_FILL_SECONDS:
        return Verdict(suspect_reason=Suspect.TOO_FAST)
    if reason := over_limit(petition.pk, ip):
        return Verdict(suspect_reason=reason)
    return Verdict()


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
