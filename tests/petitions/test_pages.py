"""Public petition pages: /petitions/, /petitions/<slug>/, thanks, home."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.petitions import actions, counts
from groundswell.petitions.models import Petition, Signature, SignatureState
from tests.petitions.test_counts import add_signatures

pytestmark = pytest.mark.django_db


def test_the_page_shows_targets_texts_sponsors_and_progress(
    client: Client, petition: Petition
) -> None:
    add_signatures(petition, 1200, verified=True)
    counts.recount(petition)
    response = client.get(f"/petitions/{petition.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "To:" in html and "Mayor Rahm Emanuel" in html
    assert "Defy Trump, Defend Chicago" in html
    assert "<ol>" in html and "Welcoming City Ordinance" in html
    assert "Why is this important?" in html
    assert "Organized Communities Against Deportations" in html
    assert "1,200 have signed. Let’s get to 2,500!" in html
    assert '<progress max="2500" value="1200"' in html
    assert "1,000 signatures reached" in html
    assert "Action Now may email me about this and other campaigns" in html
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=10"


def test_the_page_speaks_spanish_with_the_spanish_texts(client: Client, petition: Petition) -> None:
    client.cookies["gs_language"] = "es"
    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert "Dígale al alcalde" in html
    assert '<html lang="es">' in html
    # No Spanish ask was written: the English one shows rather than nothing.
    assert "Welcoming City Ordinance" in html


def test_only_verified_signers_who_chose_it_are_listed(client: Client, petition: Petition) -> None:
    for email, public, verify in [
        ("shown@example.org", True, True),
        ("private@example.org", False, True),
        ("pending@example.org", True, False),
    ]:
        result = actions.record_signature(
            petition,
            first_name=email.split("@")[0].title(),
            last_name="Lopez",
            email=email,
            email_normalized=email,
            zip_code="60608",
            public=public,
        )
        if verify:
            actions.verify_signature(actions.verification_token(result.signature))
    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert "Shown L., 60608" in html
    assert "Private L." not in html
    assert "Pending L." not in html
    assert "shown@example.org" not in html


def test_share_links_carry_a_source_code(client: Client, petition: Petition) -> None:
    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert "source%3Dfacebook" in html
    assert "source%3Dwhatsapp" in html


def test_a_source_in_the_link_reaches_the_form(client: Client, petition: Petition) -> None:
    html = client.get(f"/petitions/{petition.slug}/?source=OCAD-Newsletter").content.decode()
    assert 'value="ocad-newsletter"' in html


def test_a_draft_is_not_public(client: Client, draft_petition: Petition) -> None:
    assert client.get(f"/petitions/{draft_petition.slug}/").status_code == 404
    assert client.get(f"/petitions/{draft_petition.slug}.json").status_code == 404
    assert client.get(f"/petitions/{draft_petition.slug}/count.json").status_code == 404


def test_a_victory_shows_its_banner_and_no_form(client: Client, petition: Petition) -> None:
    actions.declare_victory(petition, note="The ordinance passed **41 to 8**.")
    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert "Victory!" in html
    assert "<strong>41 to 8</strong>" in html
    assert 'action="/petitions/defend-chicago/sign"' not in html


def test_updates_and_responses_show_in_order(client: Client, petition: Petition) -> None:
    import datetime

    actions.post_update(
        petition,
        author=None,
        title="Introduced to City Council",
        body="Both resolutions were introduced.",
        email_signers=False,
    )
    actions.record_response(
        petition,
        recorded_by=None,
        responder="Mayor's office",
        body="We are reviewing it.",
        responded_on=datetime.date(2019, 1, 1),
    )
    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert html.index("Response from Mayor&#x27;s office") < html.index("Introduced to City")


def test_scripts_in_petition_texts_never_reach_the_page(client: Client, petition: Petition) -> None:
    petition.ask = 'Hi <script>alert("x")</script> [link](javascript:alert(1))'
    petition.save()
    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert "<script>alert" not in html
    assert "javascript:" not in html


def test_the_list_orders_by_top_signed_and_shows_victories(
    client: Client, petition: Petition, action_now: object
) -> None:
    other = actions.create_petition(
        owner=action_now,
        created_by=None,
        targets=[{"name": "Mayor"}],
        slug="second",
        title="A second petition",
        ask="Ask",
    )
    actions.publish(other)
    add_signatures(other, 5, verified=True)
    counts.recount(other)
    won = actions.create_petition(
        owner=action_now,
        created_by=None,
        targets=[{"name": "Mayor"}],
        slug="won",
        title="A won petition",
        ask="Ask",
    )
    actions.publish(won)
    actions.declare_victory(won)
    html = client.get("/petitions/").content.decode()
    assert html.index("A second petition") < html.index("Defy Trump")
    assert "Victories" in html and "A won petition" in html


def test_the_thanks_page_offers_sharing_and_a_next_action(
    client: Client, petition: Petition
) -> None:
    html = client.get(f"/petitions/{petition.slug}/thanks?r=signed").content.decode()
    assert "Check your email" in html
    assert "source%3Dfacebook" in html
    assert "Get involved with Action Now" in html


def test_the_home_page_lists_open_petitions(client: Client, petition: Petition) -> None:
    html = client.get("/").content.decode()
    assert "Defy Trump" in html


def test_signatures_are_not_leaked_in_the_page(client: Client, petition: Petition) -> None:
    actions.record_signature(
        petition,
        first_name="Secret",
        last_name="Person",
        email="secret@example.org",
        email_normalized="secret@example.org",
        zip_code="60608",
        address="123 Hidden St",
    )
    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert "secret@example.org" not in html and "Hidden St" not in html
    assert Signature.objects.filter(state=SignatureState.PENDING).count() == 1
