"""/petitions/<slug>/embed/: the sign form in a frame on an organization's own website.

It needs and sets no cookie; only the owner's listed websites may frame it; signing in it
follows the petition page's rules exactly (Origin check, form token, screening)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.core.middleware import CONTENT_SECURITY_POLICY
from groundswell.organizations.models import Organization
from groundswell.petitions import actions
from groundswell.petitions.integrity import Suspect
from groundswell.petitions.models import Petition, Signature, SignatureState
from tests.conftest import SIGNER, co_sponsor, form_token, login, make_organizer

pytestmark = pytest.mark.django_db

OWN_SITE = "https://www.actionnow.example"
OUR_ORIGIN = "http://testserver"  # the test client's host: the frame's own origin


def embed_url(petition: Petition, query: str = "") -> str:
    return reverse("petitions:embed", args=[petition.slug]) + query


def sign_in_embed(
    client: Client, petition: Petition, *, origin: str = OUR_ORIGIN, query: str = "", **data: Any
) -> Any:
    fields = {**SIGNER, "form_token": form_token(), "source": "embed", **data}
    url = reverse("petitions:embed_sign", args=[petition.slug]) + query
    return client.post(url, fields, headers={"origin": origin})


def frame_ancestors(response: Any) -> str:
    policy = response["Content-Security-Policy"]
    [directive] = [d.strip() for d in policy.split(";") if "frame-ancestors" in d]
    return directive


def allow(organization: Organization, origins: str) -> None:
    organization.embed_origins = origins
    organization.save(update_fields=["embed_origins"])


# --- Headers ---------------------------------------------------------------------------------


def test_nobody_else_may_frame_it_until_the_owner_lists_a_website(
    client: Client, petition: Petition
) -> None:
    response = client.get(embed_url(petition))
    assert response.status_code == 200
    assert frame_ancestors(response) == "frame-ancestors 'self'"
    assert "X-Frame-Options" not in response


def test_the_owner_organizations_websites_may_frame_it_and_no_sponsors(
    client: Client, petition: Petition, action_now: Organization, ocad: Organization
) -> None:
    allow(action_now, f"{OWN_SITE}\nhttp://localhost:8123")
    allow(ocad, "https://ocad.example")
    response = client.get(embed_url(petition))
    assert frame_ancestors(response) == (f"frame-ancestors 'self' {OWN_SITE} http://localhost:8123")
    # Apart from frame-ancestors, the embed's policy is every other page's.
    assert response["Content-Security-Policy"].replace(
        f"'self' {OWN_SITE} http://localhost:8123", "'none'"
    ) == (CONTENT_SECURITY_POLICY)


def test_every_embed_response_is_frameable_by_the_same_websites(
    client: Client, petition: Petition, action_now: Organization
) -> None:
    allow(action_now, OWN_SITE)
    responses = [
        client.get(embed_url(petition)),
        sign_in_embed(client, petition),
        client.get(reverse("petitions:embed_thanks", args=[petition.slug])),
        sign_in_embed(client, petition, email="not an email"),
        sign_in_embed(client, petition, origin="https://evil.example"),
    ]
    for response in responses:
        assert frame_ancestors(response) == f"frame-ancestors 'self' {OWN_SITE}", response
        assert "X-Frame-Options" not in response, response


def test_every_other_page_still_refuses_to_be_framed(
    client: Client, petition: Petition, action_now: Organization
) -> None:
    allow(action_now, OWN_SITE)
    for url in [
        reverse("petitions:detail", args=[petition.slug]),
        reverse("petitions:thanks", args=[petition.slug]),
        reverse("petitions:list"),
        "/",
    ]:
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
    signed = client.post(
        reverse("petitions:sign", args=[petition.slug]),
        {**SIGNER, "form_token": form_token()},
    )
    assert signed["X-Frame-Options"] == "DENY"


def test_a_cached_embed_keeps_its_frame_ancestors(
    client: Client, petition: Petition, action_now: Organization, settings: Any
) -> None:
    settings.PAGE_CACHE_SECONDS = 60
    allow(action_now, OWN_SITE)
    first = client.get(embed_url(petition))
    again = Client().get(embed_url(petition))
    assert again.content == first.content
    assert frame_ancestors(again) == f"frame-ancestors 'self' {OWN_SITE}"
    assert "X-Frame-Options" not in again


# --- The page ---------------------------------------------------------------------------------


def test_it_shows_the_title_count_and_a_form_posting_to_the_embed(
    client: Client, petition: Petition
) -> None:
    html = client.get(embed_url(petition)).content.decode()
    assert petition.title in html
    assert "0 have signed" in html
    assert f'action="/petitions/{petition.slug}/embed/sign"' in html
    assert 'name="form_token"' in html
    assert 'name="source" value="embed"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "site-header" not in html and "site-footer" not in html
    assert 'target="_blank"' in html  # links leave the frame: our other pages refuse frames


def test_it_loads_nothing_from_another_origin(client: Client, petition: Petition) -> None:
    html = client.get(embed_url(petition)).content.decode()
    for attribute in ("src=", "href="):
        for value in html.split(attribute)[1:]:
            url = value[1:].split('"')[0]
            assert url.startswith("/"), f"{attribute}{url} is not our own"


def test_the_embed_sets_no_cookie_at_all(client: Client, petition: Petition) -> None:
    response = client.get(embed_url(petition))
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_lang_chooses_the_language_and_carries_into_the_form(
    client: Client, petition: Petition
) -> None:
    response = client.get(embed_url(petition, "?lang=es"), headers={"accept-language": "en"})
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert response["Content-Language"] == "es"
    assert "Firme esta petición" in html
    assert petition.title_es in html
    assert f'action="/petitions/{petition.slug}/embed/sign?lang=es"' in html


def test_without_lang_the_browser_language_decides_and_odd_values_are_ignored(
    client: Client, petition: Petition
) -> None:
    spanish = client.get(embed_url(petition), headers={"accept-language": "es"})
    assert '<html lang="es">' in spanish.content.decode()
    odd = client.get(embed_url(petition, "?lang=xx"), headers={"accept-language": "en"})
    assert '<html lang="en">' in odd.content.decode()


def test_a_draft_has_no_embed(client: Client, draft_petition: Petition) -> None:
    assert client.get(embed_url(draft_petition)).status_code == 404


def test_a_closed_petition_shows_its_count_and_no_form(client: Client, petition: Petition) -> None:
    actions.close(petition)
    html = client.get(embed_url(petition)).content.decode()
    assert "Signing is closed" in html
    assert "<form" not in html


# --- Signing in the frame -----------------------------------------------------------------------


def test_signing_in_the_embed_needs_no_cookie_and_shows_the_check_your_email_page(
    petition: Petition,
) -> None:
    client = Client()  # no cookie, as in a browser that blocks third-party cookies
    page = client.get(embed_url(petition))
    assert not client.cookies
    response = sign_in_embed(client, petition)
    assert response.status_code == 303
    assert response["Location"] == f"/petitions/{petition.slug}/embed/thanks"
    assert not response.cookies
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Check your email" in thanks.content.decode()
    assert f'href="/petitions/{petition.slug}/" target="_blank"' in thanks.content.decode()
    assert not thanks.cookies and not client.cookies
    signature = Signature.objects.get(petition=petition)
    assert signature.state == SignatureState.PENDING
    assert signature.source == "embed"
    assert signature.suspect_reason == ""
    assert page.status_code == 200


def test_a_post_from_another_website_is_refused_with_a_clear_page(
    client: Client, petition: Petition
) -> None:
    response = sign_in_embed(client, petition, origin="https://evil.example")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your signature was not recorded" in html
    assert "This form was sent from another website." in html
    assert Signature.objects.count() == 0


def test_the_host_websites_origin_is_refused_too(
    client: Client, petition: Petition, action_now: Organization
) -> None:
    """Listing a website lets it frame the form, never post it: inside the frame the
    browser sends our own origin, so a POST naming the host's comes from its page."""
    allow(action_now, OWN_SITE)
    assert sign_in_embed(client, petition, origin=OWN_SITE).status_code == 403
    assert Signature.objects.count() == 0


def test_screening_applies_unchanged(client: Client, petition: Petition, settings: Any) -> None:
    settings.SIGN_MIN_FILL_SECONDS = 3
    sign_in_embed(client, petition, form_token="forged")
    sign_in_embed(client, petition, email="ben@example.org", form_token=form_token(age=0))
    sign_in_embed(client, petition, email="cat@example.org", website="http://spam.example")
    reasons = dict(Signature.objects.values_list("email", "suspect_reason"))
    assert reasons == {
        "ana.reyes@example.org": Suspect.NO_FORM_TOKEN,
        "ben@example.org": Suspect.TOO_FAST,
        "cat@example.org": Suspect.HONEYPOT,
    }


def test_a_disposable_address_is_refused_inside_the_frame(
    client: Client, petition: Petition
) -> None:
    response = sign_in_embed(client, petition, email="someone@mailinator.com")
    assert response.status_code == 403
    html = response.content.decode()
    assert "disposable" in html
    assert 'action="/petitions/defend-chicago/embed/sign"' in html
    assert Signature.objects.count() == 0


def test_bad_input_is_explained_inside_the_frame(client: Client, petition: Petition) -> None:
    response = sign_in_embed(client, petition, email="not an email", query="?lang=es")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert 'action="/petitions/defend-chicago/embed/sign?lang=es"' in html
    assert "site-header" not in html
    assert Signature.objects.count() == 0


def test_the_language_chosen_in_the_embed_is_the_signatures(
    client: Client, petition: Petition
) -> None:
    response = sign_in_embed(client, petition, query="?lang=es")
    assert response["Location"] == f"/petitions/{petition.slug}/embed/thanks?lang=es"
    assert Signature.objects.get().language == "es"
    thanks = client.get(response["Location"]).content.decode()
    assert "Revise su correo" in thanks


def test_a_closed_petition_records_nothing_from_the_embed(
    client: Client, petition: Petition
) -> None:
    actions.close(petition)
    response = sign_in_embed(client, petition)
    assert response.status_code == 409
    assert "no longer takes signatures" in response.content.decode()
    assert Signature.objects.count() == 0


# --- The loader and the snippet -----------------------------------------------------------------


def test_the_loader_and_the_frame_script_are_static_files() -> None:
    for name in ("petitions/embed.js", "petitions/embed_frame.js", "petitions/embed.css"):
        assert finders.find(name), name


def test_the_dashboard_shows_the_line_to_copy_and_what_to_set_first(
    client: Client, organizer: User, petition: Petition, action_now: Organization, settings: Any
) -> None:
    dashboard = reverse("petitions_manage:dashboard", args=["action-now", petition.slug])
    html = login(client, organizer).get(dashboard).content.decode()
    site = settings.BASE_URL
    assert (
        f'&lt;script src="{site}/static/petitions/embed.js" '
        f'data-petition="{site}/petitions/defend-chicago/embed/" async&gt;&lt;/script&gt;'
    ) in html
    assert "No website may show the form yet" in html
    allow(action_now, OWN_SITE)
    html = client.get(dashboard).content.decode()
    assert "No website may show the form yet" not in html
    assert OWN_SITE in html


# --- Which websites: Organization.embed_origins ---------------------------------------------


SETTINGS_URL = reverse("organizations_manage:settings", args=["action-now"])


def profile(embed_origins: str) -> dict[str, str]:
    return {
        "name": "Action Now",
        "website": "https://actionnow.example/",
        "email": "staff@actionnow.example",
        "embed_origins": embed_origins,
    }


def test_an_admin_lists_websites_and_they_are_stored_normalized(
    client: Client, action_now: Organization
) -> None:
    admin = make_organizer("ada@actionnow.example", action_now, "admin")
    login(client, admin)
    response = client.post(
        SETTINGS_URL,
        profile(
            "HTTPS://WWW.ActionNow.example/  https://actionnow.example:8443\n\n"
            "http://localhost:8123 https://www.actionnow.example"
        ),
    )
    assert response.status_code == 302
    action_now.refresh_from_db()
    assert action_now.embed_origins == (
        "https://www.actionnow.example\nhttps://actionnow.example:8443\nhttp://localhost:8123"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("https://*.actionnow.example", "wildcards are not allowed"),
        ("*", "wildcards are not allowed"),
        ("www.actionnow.example", "start it with https://"),
        ("'self'", "start it with https://"),
        ("https://actionnow.example/petitions", "without a path"),
        ("https://actionnow.example?x=1", "without a path"),
        ("http://actionnow.example", "plain http is only for localhost"),
        ("ftp://actionnow.example", "must start with https://"),
        ("https://actionnow.example:99999", "impossible port number"),
        ("https://user@actionnow.example", "does not have a valid host name"),
        ("https://actionnow.example;script-src", "does not have a valid host name"),
    ],
)
def test_anything_but_a_plain_origin_is_refused_with_a_reason(
    client: Client, owner: User, action_now: Organization, value: str, message: str
) -> None:
    login(client, owner)
    response = client.post(SETTINGS_URL, profile(f"{OWN_SITE}\n{value}"))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'"), html
    action_now.refresh_from_db()
    assert action_now.embed_origins == ""


def test_an_organizer_cannot_change_the_websites(
    client: Client, organizer: User, action_now: Organization
) -> None:
    login(client, organizer)
    assert client.post(SETTINGS_URL, profile(OWN_SITE)).status_code == 403
    action_now.refresh_from_db()
    assert action_now.embed_origins == ""


def test_a_value_saved_around_the_form_never_reaches_the_header(
    client: Client, petition: Petition, action_now: Organization
) -> None:
    allow(action_now, f"{OWN_SITE} https://x.example;script-src 'unsafe-inline' *")
    assert action_now.embed_origin_list == [OWN_SITE]
    assert frame_ancestors(client.get(embed_url(petition))) == f"frame-ancestors 'self' {OWN_SITE}"


def test_the_embeds_co_sponsor_group_gets_its_select_all_script(
    client: Client, petition: Petition, other_org: Organization
) -> None:
    co_sponsor(petition, other_org)
    html = client.get(embed_url(petition)).content.decode()
    assert "data-select-all" in html
    assert '<script src="/static/petitions/petition_page.js" defer></script>' in html
    assert finders.find("petitions/petition_page.js")
