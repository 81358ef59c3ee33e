"""After signing, before confirming: what the thank-you pages offer next (an event, a
volunteer form) through campaigns.next_steps, the same for every signer; petitions
imports neither events nor volunteers to offer them."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.campaigns import next_steps as registry
from groundswell.petitions.models import Petition
from groundswell.volunteers.models import VolunteerForm
from tests.events.conftest import make_event, soon

pytestmark = pytest.mark.django_db

PETITIONS = Path(__file__).resolve().parents[2] / "groundswell" / "petitions"


def test_the_thank_you_page_offers_the_organizations_event_and_volunteering(
    client: Client, petition: Petition, other_org: Any
) -> None:
    make_event(other_org, title="Someone else's picnic", starts=soon(days=1))
    make_event(petition.owner, title="Rally at City Hall", starts=soon(days=2))
    html = client.get(reverse("petitions:thanks", args=[petition.slug])).content.decode()
    assert "Rally at City Hall" in html
    assert "Come in person: meet the people behind it." in html
    assert "Someone else&#x27;s picnic" not in html
    assert "In your ward." not in html
    assert f'href="/volunteer/{petition.owner.slug}/"' in html
    assert "Volunteer with Action Now" in html


def test_a_closed_volunteer_form_is_not_offered(client: Client, petition: Petition) -> None:
    VolunteerForm.objects.create(organization=petition.owner, is_open=False)
    html = client.get(reverse("petitions:thanks", args=[petition.slug])).content.decode()
    assert "Volunteer with" not in html


def test_the_embeds_thank_you_page_offers_them_in_a_new_tab_and_no_other_petitions(
    client: Client, petition: Petition, draft_petition: Any
) -> None:
    make_event(petition.owner, title="Rally at City Hall")
    response = client.get(reverse("petitions:embed_thanks", args=[petition.slug]) + "?lang=es")
    html = response.content.decode()
    assert response.headers["Content-Language"] == "es"
    assert "Rally at City Hall" in html
    assert html.count('target="_blank" rel="noopener"') >= 3  # event, volunteering, petition
    assert "Súmese al voluntariado de Action Now" in html
    assert 'class="card petition-card"' not in html


def test_a_failing_provider_leaves_its_step_out_not_the_page(
    client: Client, petition: Petition, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken:
        name = "broken"
        order = 0

        def step(self, occasion: registry.Occasion) -> registry.Step | None:
            raise RuntimeError("down")

    monkeypatch.setitem(registry._providers, "broken", Broken())
    response = client.get(reverse("petitions:thanks", args=[petition.slug]))
    assert response.status_code == 200
    assert "Volunteer with Action Now" in response.content.decode()


def test_petitions_imports_neither_events_nor_volunteers() -> None:
    """They answer through campaigns.next_steps, so petitions stays on their floor."""
    found = []
    for path in PETITIONS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                if name.startswith(("groundswell.events", "groundswell.volunteers")):
                    found.append(f"{path.relative_to(PETITIONS)}: {name}")
    assert found == []
