"""The numbers on a petition's integrity page, and what in them looks unusual.

Every figure is one aggregate query (GROUP BY) over the signatures of one petition in a
time range, which the (petition, created_at) index serves: the page costs the same
whether the petition has a thousand signatures or a million, and grows only with the
signatures of the last day.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import StrIndex, Substr, TruncHour
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from groundswell.petitions import charts, integrity
from groundswell.petitions.integrity import Suspect
from groundswell.petitions.models import COUNTED, SUSPECT, Petition, Signature

HOURS = 48  # the chart of signatures per hour
TOP = 10  # rows in each "top" table
RECENT_SUSPECTS = 25
# An IP or email domain is unusual with more than SHARE of a window's signatures, and
# at least MIN_SIGNATURES of them (a handful of signers sharing an office is normal).
SHARE = 0.05
MIN_SIGNATURES = 20
# An hour is unusual with more than SURGE times the median hour of the chart.
SURGE = 5
# Large mail providers always hold a big share of signers; their share says nothing.
COMMON_DOMAINS = frozenset(
    {
        "gmail.com",
        "yahoo.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "comcast.net",
        "sbcglobal.net",
        "att.net",
        "protonmail.com",
        "proton.me",
    }
)

# Still suspect: kept out of the counts until an organizer clears it (as .suspect()).
INVALIDATED = Q(invalidation__isnull=False)

REASONS = {
    Suspect.RATE_BURST: gettext_lazy("Over the short-burst limit for one IP on this petition"),
    Suspect.RATE_SUSTAINED: gettext_lazy("Over the hourly limit for one IP on this petition"),
    Suspect.RATE_GLOBAL: gettext_lazy("Over the limit for one IP across all petitions"),
    Suspect.HONEYPOT: gettext_lazy("Filled in a field that only bots see"),
    Suspect.TOO_FAST: gettext_lazy("Sent the form faster than a person can fill it in"),
    Suspect.NO_FORM_TOKEN: gettext_lazy("Sent the form without loading the petition page"),
    Suspect.FORM_TOKEN_REUSED: gettext_lazy("Sent the form again and again from one page"),
    Suspect.CHALLENGE: gettext_lazy("Did not solve the browser puzzle"),
}


def reason_label(reason: str) -> str:
    return str(REASONS.get(reason, reason))


def mask_email(email: str) -> str:
    """First letter, ***, and the domain: enough to spot a pattern, not to contact anyone."""
    local, at, domain = email.rpartition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def _signatures(petition: Petition) -> QuerySet[Signature]:
    return Signature.objects.filter(petition=petition)


def _domain() -> Substr:
    """The part of the normalized email after the @, computed by the database."""
    return Substr("email_normalized", StrIndex("email_normalized", Value("@")) + 1)


# --- Top IPs, domains and sources in a window ----------------------------------------------


@dataclass(frozen=True)
class Row:
    key: str  # the IP, domain or source ("" for none)
    total: int
    suspect: int
    invalidated: int
    share: float  # of the window's signatures, 0..1
    flagged: bool = False
    disposable: bool = False

    @property
    def percent(self) -> str:
        """The share as a whole percentage; "<1" rather than a misleading 0."""
        if 0 < self.share < 0.01:
            return "<1"
        return str(round(self.share * 100))


@dataclass(frozen=True)
class Window:
    slug: str  # "hour" or "day", for ids in the page
    title: str
    since: datetime.datetime
    total: int
    ips: list[Row]
    domains: list[Row]
    sources: list[Row]

    @property
    def flagged(self) -> int:
        return sum(1 for row in (*self.ips, *self.domains) if row.flagged)


def _top(
    signatures: QuerySet[Signature], key: str, total: int, *, flag: bool, **expressions: object
) -> list[Row]:
    rows = (
        signatures.annotate(**expressions)
        .values(key)
        .annotate(
            n=Count("id"),
            suspect=Count("id", filter=SUSPECT),
            invalidated=Count("id", filter=INVALIDATED),
        )
        .order_by("-n", key)[:TOP]
    )
    result = []
    for row in rows:
        value = str(row[key] or "")
        share = row["n"] / total if total else 0.0
        disposable = key == "domain" and integrity.domain_matches(
            value, integrity.disposable_domains()
        )
        big = share > SHARE and row["n"] >= MIN_SIGNATURES and bool(value)
        if key == "domain" and value in COMMON_DOMAINS:
            big = False
        result.append(
            Row(
                key=value,
                total=row["n"],
                suspect=row["suspect"],
                invalidated=row["invalidated"],
                share=share,
                flagged=flag and (big or disposable),
                disposable=disposable,
            )
        )
    return result


def window(
    petition: Petition, slug: str, title: str, since: datetime.datetime, total: int | None = None
) -> Window:
    """Top IPs, email domains and sources of the petition's signatures since `since`
    (of which there are `total`, counted here if not given)."""
    signatures = _signatures(petition).filter(created_at__gte=since)
    if total is None:
        total = signatures.count()
    return Window(
        slug=slug,
        title=title,
        since=since,
        total=total,
        ips=_top(signatures, "ip_address", total, flag=True),
        domains=_top(signatures, "domain", total, flag=True, domain=_domain()),
        sources=_top(signatures, "source", total, flag=False),
    )


def windows(petition: Petition, now: datetime.datetime) -> list[Window]:
    """The last hour and the last 24 hours, both totals counted in one pass."""
    hour, day = now - datetime.timedelta(hours=1), now - datetime.timedelta(days=1)
    totals = (
        _signatures(petition)
        .filter(created_at__gte=day)
        .aggregate(hour=Count("id", filter=Q(created_at__gte=hour)), day=Count("id"))
    )
    return [
        window(petition, "hour", _("Last hour"), hour, totals["hour"]),
        window(petition, "day", _("Last 24 hours"), day, totals["day"]),
    ]


# --- Signatures per hour -------------------------------------------------------------------


@dataclass(frozen=True)
class HourCount:
    start: datetime.datetime  # aware, UTC
    total: int
    counted: int
    flagged: bool = False

    @property
    def excluded(self) -> int:
        """Suspect or invalidated: stored but not in the counts."""
        return self.total - self.counted


def signatures_by_hour(
    petition: Petition, now: datetime.datetime, *, hours: int = HOURS
) -> tuple[list[HourCount], float]:
    """One entry per clock hour for the last `hours` hours (this one last), and the median.

    Hours are cut in UTC, which matches local hours wherever the offset is whole hours
    and never merges the two 1 a.m.s of a daylight-saving change.
    """
    utc = datetime.UTC
    current = now.astimezone(utc).replace(minute=0, second=0, microsecond=0)
    first = current - datetime.timedelta(hours=hours - 1)
    rows = (
        _signatures(petition)
        .filter(created_at__gte=first)
        .annotate(hour=TruncHour("created_at", tzinfo=utc))
        .values("hour")
        .annotate(total=Count("id"), counted=Count("id", filter=COUNTED))
        .order_by()
    )
    found = {row["hour"].astimezone(utc): (row["total"], row["counted"]) for row in rows}
    raw = []
    for offset in range(hours):
        start = first + datetime.timedelta(hours=offset)
        total, counted = found.get(start, (0, 0))
        raw.append((start, total, counted))
    median = statistics.median(total for _start, total, _counted in raw) if raw else 0
    series = [
        HourCount(
            start=start,
            total=total,
            counted=counted,
            flagged=total >= MIN_SIGNATURES and total > SURGE * median,
        )
        for start, total, counted in raw
    ]
    return series, float(median)


def _hour_label(start: datetime.datetime) -> str:
    # The site's time format ("6 p.m." in English), as every other page writes times.
    local = timezone.localtime(start)
    return f"{formats.date_format(local, 'M j')}, {formats.time_format(local, 'TIME_FORMAT')}"


EXCLUDED_FILL = "#8c8c8c"  # fallback for .bar-excluded in site.css


def _rect(css: str, x: float, y: float, width: float, height: float) -> SafeString:
    fill = EXCLUDED_FILL if css == "bar-excluded" else charts.VERIFIED_FILL
    return format_html(
        '<rect class="{css}" fill="{fill}" x="{x}" y="{y}" width="{w}" height="{h}"/>',
        css=css, fill=fill, x=charts._f(x), y=charts._f(y), w=charts._f(width),
        h=charts._f(height),
    )  # fmt: skip


def hourly_chart(series: list[HourCount], *, chart_id: str = "chart-hourly") -> SafeString:
    """Stacked bars per hour, counted under not counted; unusual hours marked with "!"."""
    width, height = 360, 200
    left, right, top, bottom = 34, 6, 24, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = charts.nice_ceiling(max((h.total for h in series), default=0))
    slot = plot_w / (len(series) or 1)
    bar_w = max(slot * 0.72, 1.0)
    base = top + plot_h

    shapes = []
    x = float(left)
    for css, text in (("bar", _("Counted")), ("bar-excluded", _("Suspect or invalidated"))):
        shapes += [_rect(css, x, 6, 10, 10), charts._text(x + 14, 15, text)]
        x += 14 + 5.5 * len(text) + 12
    for fraction in (0, 0.5, 1):
        value = peak * fraction
        if value != int(value):
            continue
        y = base - fraction * plot_h
        shapes.append(charts._line(left, y, width - right, y, weight=1 if fraction == 0 else 0.3))
        shapes.append(charts._text(left - 4, y + 3, charts._number(int(value)), anchor="end"))
    for index, hour in enumerate(series):
        x = left + index * slot + (slot - bar_w) / 2
        counted_h = hour.counted / peak * plot_h
        excluded_h = hour.excluded / peak * plot_h
        label = _("%(hour)s: %(counted)s counted, %(excluded)s suspect or invalidated") % {
            "hour": _hour_label(hour.start),
            "counted": charts._number(hour.counted),
            "excluded": charts._number(hour.excluded),
        }
        if hour.flagged:
            label = _("%(label)s (unusual)") % {"label": label}
        bars = [
            _rect("bar", x, base - counted_h, bar_w, counted_h),
            _rect("bar-excluded", x, base - counted_h - excluded_h, bar_w, excluded_h),
        ]
        if hour.flagged:
            bars.append(
                charts._text(x + bar_w / 2, base - counted_h - excluded_h - 2, "!", "middle")
            )
        shapes.append(charts._group(label, bars))
        if (len(series) - 1 - index) % 12 == 0:  # every 12 hours, the current one shown
            text = formats.time_format(timezone.localtime(hour.start), "TIME_FORMAT")
            anchor = "end" if index == len(series) - 1 else "middle"
            shapes.append(
                charts._text(
                    x + bar_w / 2 if anchor == "middle" else x + bar_w, height - 8, text, anchor
                )
            )

    title = ngettext(
        "Signatures per hour, last %(hours)s hour",
        "Signatures per hour, last %(hours)s hours",
        len(series),
    ) % {"hours": len(series)}
    flagged = sum(1 for h in series if h.flagged)
    summary = ngettext(
        "%(title)s: %(counted)s counted, %(excluded)s suspect or invalidated; "
        "%(flagged)s unusual hour.",
        "%(title)s: %(counted)s counted, %(excluded)s suspect or invalidated; "
        "%(flagged)s unusual hours.",
        flagged,
    ) % {
        "title": title,
        "counted": charts._number(sum(h.counted for h in series)),
        "excluded": charts._number(sum(h.excluded for h in series)),
        "flagged": charts._number(flagged),
    }
    return charts._svg(chart_id, width, height, title, summary, shapes)


# --- Suspect signatures --------------------------------------------------------------------


@dataclass(frozen=True)
class ReasonCount:
    reason: str
    total: int

    @property
    def label(self) -> str:
        return reason_label(self.reason)


@dataclass(frozen=True)
class SuspectRow:
    pk: int
    email: str  # masked
    ip_address: str
    reason: str
    created_at: datetime.datetime


def suspects_by_reason(petition: Petition) -> list[ReasonCount]:
    rows = (
        _signatures(petition)
        .filter(SUSPECT)
        .values("suspect_reason")
        .annotate(n=Count("id"))
        .order_by("-n", "suspect_reason")
    )
    return [ReasonCount(reason=row["suspect_reason"], total=row["n"]) for row in rows]


def recent_suspects(petition: Petition, *, limit: int = RECENT_SUSPECTS) -> list[SuspectRow]:
    rows = (
        _signatures(petition)
        .filter(SUSPECT)
        .order_by("-created_at", "-pk")
        .values_list("pk", "email", "ip_address", "suspect_reason", "created_at")[:limit]
    )
    return [
        SuspectRow(
            pk=pk, email=mask_email(email), ip_address=ip or "", reason=reason, created_at=at
        )
        for pk, email, ip, reason, at in rows
    ]


def suspect_ips(petition: Petition, *, limit: int = TOP) -> list[tuple[str, int]]:
    """The IPs with the most suspect signatures: the usual thing to clear at once."""
    rows = (
        _signatures(petition)
        .filter(SUSPECT, ip_address__isnull=False)
        .values("ip_address")
        .annotate(n=Count("id"))
        .order_by("-n", "ip_address")[:limit]
    )
    return [(str(row["ip_address"]), row["n"]) for row in rows]
