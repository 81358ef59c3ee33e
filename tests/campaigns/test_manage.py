"""/manage/<org>/campaigns/: the owner's staff write, partners read, others are kept out."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.campaigns import actions
from groundswell.campaigns.models import Campaign, DemandChange, DemandStatus
from groundswell.organizations.models import Organization
from tests.campaigns.conftest import DEMANDS, png
from tests.conftest import login

pytestmark = pytest.mark.django_db

BASE = "/manage/action-now/campaigns/"


def test_organizers_create_a_campaign_with_partners_and_an_image(
    client: Client, organizer: User, ocad: Organization
) -> None:
    response = login(client, organizer).post(
        f"{BASE}new/",
        {
            "title": "Police Contract Accountability",
            "summary": "14 points of tension.",
            "goal": "A contract that bargains for the common good.",
            "status": "active",
            "partners": [ocad.pk],
            "image": png(),
            "image_alt": "Members at City Hall",
        },
    )
    assert response.status_code == 303, response.content.decode()
    campaign = Campaign.objects.get()
    assert campaign.slug == "police-contract-accountability"
    assert campaign.owner.slug == "action-now"
    assert list(campaign.partners.all()) == [], "a partner named is invited, not added"
    assert [i.organization for i in campaign.partner_invitations.pending()] == [ocad]
    assert campaign.image.name.startswith("campaigns/")
    assert response["Location"] == f"{BASE}{campaign.slug}/"


def test_an_image_needs_a_description_and_a_taken_slug_is_refused(
    client: Client, organizer: User, campaign: Campaign
) -> None:
    response = login(client, organizer).post(
        f"{BASE}new/", {"title": "X", "slug": campaign.slug, "status": "draft", "image": png()}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Describe the image." in page
    assert "Another campaign already uses" in page
    assert Campaign.objects.count() == 1


def test_the_owners_staff_edit_it_and_the_published_address_stays(
    client: Client, organizer: User, campaign: Campaign
) -> None:
    response = login(client, organizer).post(
        f"{BASE}{campaign.slug}/edit/",
        {"title": "New title", "slug": "moved", "status": "won", "summary": "", "goal": ""},
    )
    assert response.status_code == 303
    campaign.refresh_from_db()
    assert (campaign.title, campaign.slug, campaign.status) == (
        "New title",
        "police-contract-accountability",
        "won",
    )
    assert list(campaign.partners.all()) == [], "unticked partners are removed"


def test_demands_are_added_edited_and_reordered(
    client: Client, organizer: User, campaign: Campaign
) -> None:
    login(client, organizer)
    response = client.post(f"{BASE}{campaign.slug}/demands/new/", {"title": " Fourth "})
    assert response.status_code == 303
    fourth = campaign.demands.last()
    assert fourth is not None and fourth.title == "Fourth"
    response = client.post(
        f"{BASE}{campaign.slug}/demands/{fourth.pk}/", {"title": "Fourth, edited", "details": "d"}
    )
    assert response.status_code == 303
    response = client.post(f"{BASE}{campaign.slug}/demands/{fourth.pk}/move/", {"direction": "up"})
    assert response.status_code == 303
    assert list(campaign.demands.values_list("title", flat=True)) == [
        DEMANDS[0],
        DEMANDS[1],
        "Fourth, edited",
        DEMANDS[2],
    ]


def test_a_status_change_needs_evidence_and_is_kept_in_the_history(
    client: Client, organizer: User, campaign: Campaign
) -> None:
    demand = campaign.demands.first()
    assert demand is not None
    url = f"{BASE}{campaign.slug}/demands/{demand.pk}/status/"
    login(client, organizer)

    response = client.post(url, {"status": "won", "evidence_date": "2018-06-01"})
    assert response.status_code == 400
    assert "Give the evidence" in response.content.decode()
    response = client.post(url, {"status": "won", "evidence_date": "2999-01-01", "note": "x"})
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    assert not DemandChange.objects.exists()

    response = client.post(
        url,
        {
            "status": "won",
            "evidence_date": "2018-06-01",
            "evidence_url": "https://example.org/council-vote",
            "note": "The City Council voted it down.",
        },
        follow=True,
    )
    assert "Demand 1 is now “Won”." in response.content.decode()
    demand.refresh_from_db()
    assert demand.status == DemandStatus.WON
    change = DemandChange.objects.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("open", "won", organizer)
    history = client.get(url).content.decode()
    assert "Open → Won" in history and "Dee" in history


def test_bad_choices_change_nothing(client: Client, organizer: User, campaign: Campaign) -> None:
    demand = campaign.demands.first()
    assert demand is not None
    login(client, organizer)
    response = client.post(
        f"{BASE}{campaign.slug}/demands/{demand.pk}/status/",
        {"status": "victory", "evidence_date": "2018-06-01", "note": "x"},
    )
    assert response.status_code == 400
    client.post(f"{BASE}{campaign.slug}/demands/{demand.pk}/move/", {"direction": "sideways"})
    assert list(campaign.demands.values_list("title", flat=True)) == DEMANDS
    assert not DemandChange.objects.exists()


# --- Permissions --------------------------------------------------------------------------


def test_a_partner_sees_the_campaign_but_cannot_change_it(
    client: Client, ocad_organizer: User, campaign: Campaign
) -> None:
    login(client, ocad_organizer)
    ocad = "/manage/ocad/campaigns/"
    listing = client.get(ocad).content.decode()
    assert "Police Contract Accountability" in listing and "you are a partner" in listing
    dashboard = client.get(f"{ocad}{campaign.slug}/")
    assert dashboard.status_code == 200
    assert "Add a demand" not in dashboard.content.decode()
    demand = campaign.demands.first()
    assert demand is not None
    for url, data in [
        (f"{ocad}{campaign.slug}/edit/", {"title": "Taken over", "status": "ended"}),
        (f"{ocad}{campaign.slug}/demands/new/", {"title": "Mine"}),
        (f"{ocad}{campaign.slug}/demands/{demand.pk}/move/", {"direction": "down"}),
        (
            f"{ocad}{campaign.slug}/demands/{demand.pk}/status/",
            {"status": "lost", "evidence_date": "2018-01-01", "note": "x"},
        ),
    ]:
        assert client.post(url, data).status_code == 403, url
    campaign.refresh_from_db()
    assert campaign.title == "Police Contract Accountability"
    assert campaign.demands.count() == 3 and not DemandChange.objects.exists()


def test_another_organizations_staff_are_refused(
    client: Client, outsider: User, campaign: Campaign
) -> None:
    login(client, outsider)
    assert client.get(f"{BASE}").status_code == 403
    assert client.get(f"{BASE}{campaign.slug}/").status_code == 403
    assert client.post(f"{BASE}{campaign.slug}/edit/", {"title": "x"}).status_code == 403
    # In their own area the campaign does not exist.
    assert client.get(f"/manage/elsewhere/campaigns/{campaign.slug}/").status_code == 404
    assert (
        client.post(
            f"/manage/elsewhere/campaigns/{campaign.slug}/edit/", {"title": "x"}
        ).status_code
        == 404
    )


def test_a_demand_of_another_campaign_is_not_found(
    client: Client, organizer: User, campaign: Campaign, owner: User
) -> None:
    other = actions.create_campaign(
        owner=campaign.owner, created_by=owner, slug="other", title="Other", demands=["X"]
    )
    foreign = other.demands.get()
    login(client, organizer)
    url = f"{BASE}{campaign.slug}/demands/{foreign.pk}/status/"
    assert client.get(url).status_code == 404


def test_visitors_are_sent_to_log_in(client: Client, campaign: Campaign) -> None:
    response = client.get(f"{BASE}{campaign.slug}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_manage_nav_links_to_campaigns(client: Client, organizer: User) -> None:
    page = login(client, organizer).get("/manage/action-now/").content.decode()
    assert f'href="{BASE}"' in page
