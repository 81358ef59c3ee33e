"""/orgs/: the directory of organizations."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from groundswell.organizations import views
from groundswell.organizations.models import Organization


def test_it_lists_organizations_by_name(
    client: Client, action_now: Organization, ocad: Organization
) -> None:
    page = client.get(reverse("organizations:list")).content.decode()
    assert page.index("Action Now") < page.index("Organized Communities Against Deportations")
    assert action_now.get_absolute_url() in page


def test_it_pages_a_long_directory(client: Client, db: None) -> None:
    Organization.objects.bulk_create(
        Organization(name=f"Block club {n:03}", slug=f"block-{n:03}")
        for n in range(views.PAGE_SIZE + 1)
    )
    first = client.get(reverse("organizations:list")).content.decode()
    assert "Block club 000" in first and "Block club 050" not in first
    assert "Page 1 of 2" in first
    second = client.get(reverse("organizations:list") + "?page=2").content.decode()
    assert "Block club 050" in second
