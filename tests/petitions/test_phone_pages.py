"""The petition page for a reader on a phone who came from a shared link: the form
before the long texts, consent without a wall, sharing that spreads (issue 15)."""

from __future__ import annotations

import io
from typing import Any
from xml.etree import ElementTree

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from groundswell.petitions import actions, counts, share_image
from groundswell.petitions.models import Petition, Signature
from tests.conftest import co_sponsor, form_token
from tests.petitions.test_counts import add_signatures
from tests.petitions.test_sign import sign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_form_comes_right_after_whom_it_asks_the_title_and_the_count(
    client: Client, petition: Petition
) -> None:
    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert "To:\n    Rahm Emanuel, Mayor, City of Chicago" in html
    head = html.index("<h1>")
    assert head < html.index('id="progress-label"') < html.index('id="sign"')
    assert html.index('id="sign"') < html.index("What we are asking")
    # The sticky link back to the form, for a reader further down.
    assert 'href="#sign"' in html


def test_co_sponsors_are_grouped_under_one_control_all_unticked(
    client: Client, petition: Petition, other_org: Any
) -> None:
    co_sponsor(petition, other_org)
    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    owner_box = html.index(f'name="consent_{petition.owner_id}"')
    group = html.index('<details class="cosponsors">')
    assert owner_box < group
    assert "Also let these 2 co-sponsors email me" in html
    assert "data-select-all" in html
    consents = html[html.index('class="consents"') : html.index("You can unsubscribe at any time")]
    assert " checked" not in consents


def test_signing_records_exactly_the_ticked_organizations(
    client: Client, petition: Petition, ocad: Any, other_org: Any
) -> None:
    co_sponsor(petition, other_org)
    response = sign(client, petition, **{f"consent_{other_org.pk}": "on"})
    assert response.status_code == 303
    assert Signature.objects.get().consents == [other_org.pk]


def test_a_form_sent_back_keeps_the_group_open_when_a_co_sponsor_was_ticked(
    client: Client, petition: Petition, ocad: Any
) -> None:
    response = sign(client, petition, email="not an email", **{f"consent_{ocad.pk}": "on"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<details class="cosponsors" open>' in html
    assert Signature.objects.count() == 0


def test_each_share_link_carries_its_own_source(client: Client, petition: Petition) -> None:
    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    for code in ("copy", "whatsapp", "sms", "email", "facebook", "x", "bluesky"):
        assert f'data-source="{code}"' in html
        assert f"source%3D{code}" in html or f"?source={code}" in html, code
    assert "https://wa.me/?text=" in html
    assert "sms:?&amp;body=" in html
    assert "https://bsky.app/intent/compose?text=" in html


def test_every_public_page_tells_a_link_preview_what_to_show(
    client: Client, petition: Petition, settings: Any
) -> None:
    settings.BASE_URL = "https://groundswell.example"
    html = client.get(f"/petitions/{petition.slug}/?source=whatsapp").content.decode()
    assert f'<meta property="og:title" content="{petition.title}">' in html
    assert 'property="og:description" content="0 people have signed. Chicago has' in html
    url = f"https://groundswell.example/petitions/{petition.slug}/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert f'content="{url}share.png?lang=en"' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    for path in ("/", "/petitions/", "/events/"):
        page = client.get(path).content.decode()
        assert (
            'property="og:image" content="https://groundswell.example/static/core/share.png"'
            in page
        )
        assert page.count('property="og:title"') == 1


def test_the_share_picture_is_a_1200_by_630_png_redrawn_only_at_count_steps(
    client: Client, petition: Petition, settings: Any
) -> None:
    response = client.get(f"/petitions/{petition.slug}/share.png")
    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)
    folder = f"share/{petition.pk}"
    first = default_storage.listdir(folder)[1]
    assert len(first) == 1

    add_signatures(petition, 5, verified=True)
    counts.recount(petition)
    client.get(f"/petitions/{petition.slug}/share.png")
    assert default_storage.listdir(folder)[1] == first  # 5 is below the first step

    add_signatures(petition, 6, verified=True)
    counts.recount(petition)
    client.get(f"/petitions/{petition.slug}/share.png")
    now = default_storage.listdir(folder)[1]
    assert len(now) == 1 and now != first  # 11 passed 10: drawn anew, the old one gone


def test_count_steps() -> None:
    assert [share_image.count_step(n) for n in (0, 9, 10, 999, 1000, 2600)] == [
        0,
        0,
        10,
        500,
        1000,
        2500,
    ]


def test_the_flyer_qr_code_is_an_svg_of_the_petition_link_with_its_source(
    client: Client, petition: Petition
) -> None:
    response = client.get(f"/petitions/{petition.slug}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    svg = ElementTree.fromstring(response.content)  # noqa: S314 (our own output)
    assert svg.tag.endswith("svg")
    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert f'href="/petitions/{petition.slug}/qr.svg"' in html


def test_a_confirmed_signer_is_asked_to_get_three_friends_and_offered_a_next_step(
    client: Client, petition: Petition, ocad: Any, owner: Any
) -> None:
    other = actions.create_petition(
        owner=petition.owner,
        created_by=owner,
        targets=[{"name": "Brandon Johnson", "title": "Mayor"}],
        slug="another",
        title="Another one",
        ask="Sign.",
    )
    actions.publish(other)
    client.post(
        f"/petitions/{petition.slug}/sign",
        {
            "first_name": "Ana",
            "last_name": "Reyes",
            "email": "ana@example.org",
            "zip_code": "60608",
            "form_token": form_token(),
        },
    )
    token = actions.verification_token(Signature.objects.get())
    html = client.post(f"/petitions/verify/{token}/").content.decode()
    assert "Your signature is confirmed" in html
    assert "Now get 3 friends to sign" in html
    assert "source%3Dwhatsapp" in html
    assert "Another one" in html
    assert f"/volunteer/{petition.owner.slug}/" in html


def test_a_confirmed_signer_located_in_a_ward_is_offered_an_event_there_first(
    client: Client, petition: Petition, wards: Any, other_org: Any
) -> None:
    from groundswell.districts.models import District
    from tests.events.conftest import make_event, soon

    make_event(petition.owner, title="Sooner, elsewhere", ward=1, starts=soon(days=1))
    make_event(other_org, title="In ward 25", ward=25, starts=soon(days=5))
    sign(client, petition)
    signature = Signature.objects.get()
    Signature.objects.filter(pk=signature.pk).update(
        district=District.objects.get(set=wards, number=25)
    )
    token = actions.verification_token(signature)
    html = client.post(f"/petitions/verify/{token}/").content.decode()
    assert "In ward 25" in html and "In your ward." in html
    assert "Sooner, elsewhere" not in html


def test_the_share_picture_draws_accented_letters_not_empty_boxes() -> None:
    """ "Dígale al alcalde…": the picture's font has the letters of Spanish titles (a
    missing glyph draws the same box as a character no font has)."""
    font = share_image._font(40)
    missing = bytes(font.getmask("\U000f0000"))
    for letter in "íéáóúñü¿¡":
        assert bytes(font.getmask(letter)) != missing, letter


def test_the_spanish_page_shows_the_spanish_share_picture_kept_apart_from_the_english(
    client: Client, petition: Petition, settings: Any
) -> None:
    settings.BASE_URL = "https://groundswell.example"
    page = f"/petitions/{petition.slug}/"
    image = f"https://groundswell.example{page}share.png"
    assert f'content="{image}?lang=en"' in client.get(page).content.decode()
    spanish = client.get(page, headers={"accept-language": "es"}).content.decode()
    assert f'content="{image}?lang=es"' in spanish

    # The robot that fetches a preview sends no language: the address alone decides.
    english = client.get(f"{page}share.png?lang=en")
    es = client.get(f"{page}share.png?lang=es")
    assert (english["Content-Language"], es["Content-Language"]) == ("en", "es")
    assert english.content != es.content
    assert Image.open(io.BytesIO(es.content)).size == (1200, 630)
    kept = sorted(name[:3] for name in default_storage.listdir(f"share/{petition.pk}")[1])
    assert kept == ["en-", "es-"]
    assert client.get(f"{page}share.png?lang=es").content == es.content  # read, not redrawn
