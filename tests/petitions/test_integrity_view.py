"""A petition's integrity page: /manage/<org>/petitions/<slug>/integrity/, and clearing
suspect signatures from it (.../integrity/clear/)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.petitions import actions, integrity_report
from groundswell.petitions.integrity import Suspect
from groundswell.petitions.models import Petition, PetitionCount, Signature, SignatureState
from tests.conftest import login

pytestmark = pytest.mark.django_db

_serial = itertools.count()


def integrity_url(petition: Petition, org: str = "action-now") -> str:
    return reverse("petitions_manage:integrity", args=[org, petition.slug])


def clear_url(petition: Petition, org: str = "action-now") -> str:
    return reverse("petitions_manage:clear_suspects", args=[org, petition.slug])


def add(
    petition: Petition,
    n: int,
    *,
    ip: str | None = "198.51.100.1",
    domain: str = "example.org",
    minutes_ago: float = 5,
    suspect: str = "",
    source: str = "",
) -> list[Signature]:
    """n verified signatures made `minutes_ago`, in one INSERT, as a bulk load does."""
    created = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    signatures = []
    for _ in range(n):
        email = f"signer{next(_serial)}@{domain}"
        signatures.append(
            Signature(
                petition=petition,
                first_name="Ana",
                last_name="Reyes",
                email=email,
                email_normalized=email,
                zip_code="60608",
                state=SignatureState.VERIFIED,
                ip_address=ip,
                suspect_reason=suspect,
                source=source,
                created_at=created,
            )
        )
    return Signature.objects.bulk_create(signatures)


def page(client: Client, petition: Petition) -> str:
    response = client.get(integrity_url(petition))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading_id: str) -> str:
    """The page's section with this heading, up to the next section."""
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def shown(petition: Petition) -> int:
    return PetitionCount.objects.get(petition=petition).total


# --- Who may see it -----------------------------------------------------------------------


def test_organizers_of_the_owner_organization_see_the_page_never_cached(
    client: Client, organizer: User, petition: Petition
) -> None:
    response = login(client, organizer).get(integrity_url(petition))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "<h1>Integrity</h1>" in response.content.decode()


def test_a_co_sponsor_organizer_gets_403_because_the_page_shows_ip_addresses(
    client: Client, ocad_organizer: User, petition: Petition
) -> None:
    login(client, ocad_organizer)

    assert client.get(integrity_url(petition, "ocad")).status_code == 403
    assert client.get(integrity_url(petition)).status_code == 403


def test_an_organizer_of_another_organization_gets_403(
    client: Client, outsider: User, petition: Petition
) -> None:
    login(client, outsider)

    assert client.get(integrity_url(petition)).status_code == 403
    assert client.get(integrity_url(petition, "elsewhere")).status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_log_in(
    client: Client, petition: Petition
) -> None:
    response = client.get(integrity_url(petition))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_dashboard_links_to_it_for_the_owner_only(
    client: Client, organizer: User, ocad_organizer: User, petition: Petition
) -> None:
    dashboard = "petitions_manage:dashboard"
    html = login(client, organizer).get(reverse(dashboard, args=["action-now", petition.slug]))
    assert integrity_url(petition) in html.content.decode()

    html = login(client, ocad_organizer).get(reverse(dashboard, args=["ocad", petition.slug]))
    assert "/integrity/" not in html.content.decode()


# --- What it shows ------------------------------------------------------------------------


def test_it_shows_top_ips_domains_and_sources_for_the_last_hour_and_day(
    client: Client, organizer: User, petition: Petition
) -> None:
    add(petition, 3, ip="203.0.113.7", domain="uic.edu", source="facebook")
    add(petition, 1, ip="203.0.113.8", suspect=Suspect.TOO_FAST)
    add(petition, 2, ip="198.51.100.9", minutes_ago=180)  # in the day, not the hour

    html = page(login(client, organizer), petition)

    hour = section(html, "window-hour-heading")
    day = section(html, "window-day-heading")
    assert "<code>203.0.113.7</code>" in hour
    assert "198.51.100.9" not in hour
    assert "<code>198.51.100.9</code>" in day
    assert "<code>uic.edu</code>" in hour
    assert "Facebook" in hour  # the source by its name, not its code
    assert "direct" in hour
    stats = html.split('class="stats"', 1)[1].split("</ul>", 1)[0]
    assert "<strong>4</strong> signatures in the last hour" in stats
    assert "<strong>6</strong> signatures in the last 24 hours" in stats
    assert "<strong>1</strong> suspect, not counted" in stats


def test_the_top_ip_table_counts_share_suspect_and_invalidated(
    petition: Petition, organizer: User
) -> None:
    add(petition, 6, ip="203.0.113.7")
    add(petition, 2, ip="203.0.113.7", suspect=Suspect.RATE_BURST)
    add(petition, 2, ip="198.51.100.1")
    actions.invalidate(petition, kind="ip", value="198.51.100.1", reason="x", by=organizer)

    window = integrity_report.window(
        petition, "hour", "Last hour", timezone.now() - datetime.timedelta(hours=1)
    )

    assert window.total == 10
    first, second = window.ips
    assert (first.key, first.total, first.suspect, first.invalidated) == ("203.0.113.7", 8, 2, 0)
    assert (first.share, first.percent) == (0.8, "80")
    assert (second.key, second.total, second.invalidated) == ("198.51.100.1", 2, 2)


def test_an_ip_with_a_large_share_and_at_least_20_signatures_is_marked_unusual(
    petition: Petition,
) -> None:
    add(petition, 20, ip="203.0.113.7")
    add(petition, 19, ip="203.0.113.8")
    add(petition, 400, ip=None)

    window = integrity_report.window(
        petition, "hour", "Last hour", timezone.now() - datetime.timedelta(hours=1)
    )

    flags = {row.key: row.flagged for row in window.ips}
    assert flags == {"": False, "203.0.113.7": False, "203.0.113.8": False}  # 20/439 < 5%
    add(petition, 10, ip="203.0.113.7")
    window = integrity_report.window(
        petition, "hour", "Last hour", timezone.now() - datetime.timedelta(hours=1)
    )
    flags = {row.key: row.flagged for row in window.ips}
    assert flags["203.0.113.7"] is True  # 30/449 > 5%, and 30 ≥ 20
    assert flags["203.0.113.8"] is False  # 19 < 20
    assert flags[""] is False  # no IP recorded: nothing to act on


def test_a_large_webmail_provider_is_not_unusual_but_a_disposable_domain_is(
    client: Client, organizer: User, petition: Petition
) -> None:
    add(petition, 60, domain="gmail.com")
    add(petition, 30, domain="riseup.net")
    add(petition, 1, domain="mailinator.com")

    html = page(login(client, organizer), petition)

    hour = section(html, "window-hour-heading")
    domains = hour.split("Top email domains", 1)[1].split("Top sources", 1)[0]
    rows = {
        row.split("<code>")[1].split("</code>")[0]: row
        for row in domains.split("<tr")
        if "<code>" in row
    }
    assert set(rows) == {"gmail.com", "riseup.net", "mailinator.com"}
    assert "unusual" not in rows["gmail.com"]
    assert "unusual" in rows["riseup.net"]
    assert "disposable" in rows["mailinator.com"]
    assert 'class="unusual"' in hour
    assert "What counts as unusual" in html


def test_it_draws_signatures_per_hour_and_marks_an_unusual_hour(
    client: Client, organizer: User, petition: Petition
) -> None:
    for hours_ago in range(2, 48):
        add(petition, 2, minutes_ago=hours_ago * 60)
    add(petition, 30, minutes_ago=1, suspect=Suspect.RATE_SUSTAINED)

    html = page(login(client, organizer), petition)

    hourly = section(html, "hourly-heading")
    assert 'role="img"' in hourly
    assert "<title>Signatures per hour, last 48 hours</title>" in hourly
    assert 'class="bar-excluded"' in hourly
    assert hourly.count('class="unusual"') == 1
    assert "(unusual)" in hourly  # in the bar's own tooltip, not just its colour


def test_hours_are_counted_into_a_series_of_48_with_the_median(petition: Petition) -> None:
    now = timezone.now()
    add(petition, 3, minutes_ago=0)
    add(petition, 1, minutes_ago=60 * 47 + 1)  # the first hour of the chart, or the one before
    add(petition, 5, minutes_ago=60 * 49)  # before the chart

    series, median = integrity_report.signatures_by_hour(petition, now)

    assert len(series) == 48
    assert series[-1].total == 3
    assert sum(h.total for h in series) in (3, 4)
    assert median == 0
    assert series[-1].flagged is False  # 3 < 20


def test_suspect_signatures_are_listed_by_reason_with_masked_emails(
    client: Client, organizer: User, petition: Petition
) -> None:
    add(petition, 2, ip="203.0.113.7", domain="spam.example", suspect=Suspect.RATE_BURST)
    add(petition, 1, ip="203.0.113.9", suspect=Suspect.HONEYPOT)
    cleared = add(petition, 1, suspect=Suspect.HONEYPOT)
    actions.clear_suspects(petition, Signature.objects.filter(pk=cleared[0].pk))

    html = page(login(client, organizer), petition)

    suspects = section(html, "suspects-heading")
    assert "Over the short-burst limit for one IP on this petition" in suspects
    assert "Filled in a field that only bots see" in suspects
    assert "Let 2 count" in suspects
    assert "Let all 3 suspect signatures count" in suspects
    assert "s***@spam.example" in suspects
    assert "@spam.example" in suspects
    for signature in Signature.objects.filter(petition=petition):
        assert signature.email not in html
    assert "<code>203.0.113.7</code>" in suspects


def test_the_page_costs_the_same_number_of_queries_however_many_signatures(
    client: Client, organizer: User, petition: Petition
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page(client, petition)
        return len(captured.captured_queries)

    login(client, organizer)
    add(petition, 3, ip="203.0.113.7", suspect=Suspect.TOO_FAST)
    few = queries()
    for minutes in (1, 30, 90, 600, 1400):
        add(petition, 40, ip=f"203.0.113.{minutes % 250}", minutes_ago=minutes)
        add(petition, 5, suspect=Suspect.RATE_BURST, domain=f"d{minutes}.example")
    actions.invalidate(petition, kind="ip", value="203.0.113.1", reason="x", by=organizer)

    assert queries() == few


def test_invalidations_are_listed_with_who_when_why_and_a_reverse_button(
    client: Client, organizer: User, owner: User, petition: Petition
) -> None:
    add(petition, 2, ip="203.0.113.7")
    kept = actions.invalidate(
        petition, kind="ip", value="203.0.113.7", reason="Same phone, 40 names", by=organizer
    )
    undone = actions.invalidate(
        petition, kind="domain", value="spam.example", reason="Throwaway domain", by=organizer
    )
    actions.reverse_invalidation(undone, by=owner)

    html = page(login(client, organizer), petition)

    listed = section(html, "invalidations-heading")
    assert "Same phone, 40 names" in listed
    assert "Throwaway domain" in listed
    assert str(organizer) in listed
    assert str(owner) in listed
    reverse_kept = reverse(
        "petitions_manage:reverse_invalidation", args=["action-now", petition.slug, kept.pk]
    )
    reverse_undone = reverse(
        "petitions_manage:reverse_invalidation", args=["action-now", petition.slug, undone.pk]
    )
    assert reverse_kept in listed
    assert reverse_undone not in listed
    stats = html.split('class="stats"', 1)[1].split("</ul>", 1)[0]
    assert "<strong>2</strong> invalidated" in stats


# --- Clearing suspects --------------------------------------------------------------------


@pytest.fixture
def suspects(petition: Petition, drain: Any) -> Petition:
    add(petition, 3, ip="203.0.113.7", suspect=Suspect.RATE_BURST)
    add(petition, 2, ip="203.0.113.8", suspect=Suspect.RATE_BURST)
    add(petition, 4, ip="203.0.113.8", suspect=Suspect.TOO_FAST)
    add(petition, 1, ip="198.51.100.1")
    drain()
    assert shown(petition) == 1
    return petition


@pytest.mark.parametrize(
    ("data", "cleared"),
    [
        ({"scope": "all"}, 9),
        ({"scope": "reason", "value": Suspect.RATE_BURST}, 5),
        ({"scope": "ip", "value": "203.0.113.8"}, 6),
    ],
)
def test_clearing_suspects_makes_them_count(
    client: Client,
    organizer: User,
    suspects: Petition,
    drain: Any,
    data: dict[str, str],
    cleared: int,
) -> None:
    response = login(client, organizer).post(clear_url(suspects), data, follow=True)

    assert response.redirect_chain == [(integrity_url(suspects), 303)]
    now_count = "suspect signatures now count" if cleared > 1 else "suspect signature now counts"
    assert f"{cleared} {now_count}" in response.content.decode()
    assert Signature.objects.filter(petition=suspects).suspect().count() == 9 - cleared
    drain()
    assert shown(suspects) == 1 + cleared


def test_clearing_when_nothing_matches_says_so(
    client: Client, organizer: User, suspects: Petition
) -> None:
    response = login(client, organizer).post(
        clear_url(suspects), {"scope": "ip", "value": "192.0.2.1"}, follow=True
    )

    assert "No suspect signature matched: nothing changed." in response.content.decode()
    assert Signature.objects.filter(petition=suspects).suspect().count() == 9


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scope": "ip", "value": "203.0.113.300"}, "is not an IP address"),
        ({"scope": "reason", "value": ""}, "Choose a reason"),
        ({"scope": "everything"}, "Select a valid choice"),
    ],
)
def test_a_bad_clear_request_says_why_and_clears_nothing(
    client: Client, organizer: User, suspects: Petition, data: dict[str, str], message: str
) -> None:
    response = login(client, organizer).post(clear_url(suspects), data, follow=True)

    html = response.content.decode()
    assert "Nothing was cleared" in html
    assert message in html
    assert Signature.objects.filter(petition=suspects).suspect().count() == 9


def test_a_co_sponsor_or_another_organization_cannot_clear_suspects(
    client: Client, ocad_organizer: User, outsider: User, suspects: Petition
) -> None:
    login(client, ocad_organizer)
    assert client.post(clear_url(suspects, "ocad"), {"scope": "all"}).status_code == 403
    login(client, outsider)
    assert client.post(clear_url(suspects), {"scope": "all"}).status_code == 403

    assert Signature.objects.filter(petition=suspects).suspect().count() == 9


def test_clearing_takes_only_a_post(client: Client, organizer: User, suspects: Petition) -> None:
    assert login(client, organizer).get(clear_url(suspects)).status_code == 405


def test_clearing_a_suspect_signature_of_another_petition_is_impossible(
    client: Client, organizer: User, suspects: Petition, action_now: Any, owner: User
) -> None:
    other = actions.create_petition(
        owner=action_now,
        created_by=owner,
        targets=[{"name": "Alderman"}],
        slug="other",
        title="T",
        ask="Ask",
    )
    actions.publish(other)
    add(other, 2, ip="203.0.113.7", suspect=Suspect.RATE_BURST)

    login(client, organizer).post(clear_url(suspects), {"scope": "all"})

    assert Signature.objects.filter(petition=other).suspect().count() == 2
