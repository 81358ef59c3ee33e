"""A petition embedded on an organization's website: another origin's page carrying the
one-line snippet, in a browser that blocks third-party cookies, signs inside the frame.

`localhost` and `127.0.0.1` are different sites to the browser, so the live server on one
and a plain file server on the other make the organization's website and Groundswell."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from groundswell.organizations.models import Organization
from groundswell.petitions.models import Petition, Signature, SignatureState
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, assert_accessible, assert_fits
from tests.conftest import co_sponsor
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db(transaction=True)

INITIAL_HEIGHT = 640  # what embed.js gives the frame before it reports its own


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def website(site: Any, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The organization's own website: a directory served on the other loopback name."""
    groundswell_host = urlsplit(site.url).hostname
    host = "127.0.0.1" if groundswell_host == "localhost" else "localhost"
    root = tmp_path / "website"
    root.mkdir()
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer((host, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"root": root, "origin": f"http://{host}:{server.server_address[1]}"}
    server.shutdown()
    server.server_close()


@pytest.fixture
def cookieless_page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """A chromium profile set to block third-party cookies, as many readers' are."""
    profile = tmp_path / "profile"
    (profile / "Default").mkdir(parents=True)
    preferences = {"profile": {"block_third_party_cookies": True, "cookie_controls_mode": 1}}
    (profile / "Default" / "Preferences").write_text(json.dumps(preferences))
    context = browser.browser_type.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=CHROMIUM_FLAGS,
        locale="en-US",
        viewport={"width": 1024, "height": 800},
    )
    page = context.pages[0] if context.pages else context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def frame_height(page: Any) -> float:
    return float(
        page.evaluate(
            "document.querySelector('iframe[data-groundswell-frame]')"
            ".getBoundingClientRect().height"
        )
    )


def test_a_reader_signs_in_the_embed_on_the_organizations_website(
    cookieless_page: Any,
    site: Any,
    website: dict[str, Any],
    petition: Petition,
    action_now: Organization,
) -> None:
    page = cookieless_page
    action_now.embed_origins = website["origin"]
    action_now.save(update_fields=["embed_origins"])
    embed_url = f"{site.url}/petitions/{petition.slug}/embed/"
    snippet = (
        f'<script src="{site.url}/static/petitions/embed.js" '
        f'data-petition="{embed_url}" async></script>'
    )
    (website["root"] / "index.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Action Now</title></head><body><main><h1>Action Now</h1>"
        f"<p>Sign our petition:</p>\n{snippet}\n</main></body></html>"
    )

    page.goto(f"{website['origin']}/index.html")
    page.wait_for_function(
        "(initial) => { const f = document.querySelector('iframe[data-groundswell-frame]');"
        " return f && Math.round(f.getBoundingClientRect().height) !== initial; }",
        arg=INITIAL_HEIGHT,
    )
    form_height = frame_height(page)
    frame = page.frame_locator("iframe[data-groundswell-frame]")
    frame.get_by_role("heading", name=petition.title).wait_for()

    # The frame is third-party here, and this browser keeps no cookie for it.
    [embed] = [f for f in page.frames if f.url.startswith(embed_url)]
    assert (
        embed.evaluate("document.cookie = 'probe=1; SameSite=None; Secure'; document.cookie") == ""
    ), "third-party cookies are not blocked: the test proves less than it says"

    frame.get_by_label("First name", exact=True).fill("Ana")
    frame.get_by_label("Last name", exact=True).fill("Reyes")
    frame.get_by_label("Email", exact=True).fill("ana.reyes@example.org")
    frame.get_by_label("ZIP code", exact=True).fill("60608")
    with page.expect_request(lambda r: r.method == "POST" and "/embed/sign" in r.url) as sent:
        frame.get_by_role("button", name="Sign", exact=True).click()
    headers = sent.value.all_headers()
    assert headers.get("origin") == site.url, "inside the frame the form's origin is ours"
    assert "cookie" not in headers

    frame.get_by_role("heading", name="Check your email").wait_for()
    page.wait_for_function(
        "(before) => document.querySelector('iframe[data-groundswell-frame]')"
        ".getBoundingClientRect().height < before",
        arg=form_height,
    )
    link = frame.get_by_role("link", name="See the petition and share it")
    assert link.get_attribute("target") == "_blank"

    signature = Signature.objects.get(petition=petition)
    assert signature.email_normalized == "ana.reyes@example.org"
    assert signature.state == SignatureState.PENDING
    assert signature.source == "embed"
    assert signature.suspect_reason == ""
    assert page.context.cookies() == [], "the embed set a cookie"


def test_a_website_not_listed_gets_no_form(
    cookieless_page: Any, site: Any, website: dict[str, Any], petition: Petition
) -> None:
    """Embedding is opt-in: without the website in the settings the browser refuses."""
    page = cookieless_page
    embed_url = f"{site.url}/petitions/{petition.slug}/embed/"
    (website["root"] / "index.html").write_text(
        f'<!doctype html><div data-groundswell-petition="{embed_url}"></div>'
        f'<script src="{site.url}/static/petitions/embed.js" async></script>'
    )
    with page.expect_response(lambda r: r.url == embed_url) as answered:
        page.goto(f"{website['origin']}/index.html")  # waits for the frame's load too
    assert answered.value.status == 200
    assert "frame-ancestors 'self';" in answered.value.headers["content-security-policy"]
    [embed] = [f for f in page.frames if f is not page.main_frame]
    # Chromium shows its error page in the frame instead of ours.
    assert not embed.url.startswith(site.url), embed.url
    assert embed.locator("form").count() == 0
    assert round(frame_height(page)) == INITIAL_HEIGHT  # nothing reported a height


def test_the_embed_is_accessible_and_fits_a_phone(
    phone: Any, site: Any, petition: Petition, other_org: Organization
) -> None:
    co_sponsor(petition, other_org)
    make_event(petition.owner, title="Rally at City Hall")
    phone.goto(f"{site.url}/petitions/{petition.slug}/embed/")
    assert_accessible(phone)
    assert_fits(phone)
    phone.locator("details.cosponsors summary").click()
    phone.get_by_role("button", name="Select all").click()
    assert phone.locator("details.cosponsors input[type=checkbox]:checked").count() == 2
    phone.get_by_label("First name", exact=True).fill("Ana")
    phone.get_by_label("Email", exact=True).fill("not an email")
    phone.get_by_role("button", name="Sign", exact=True).click()
    phone.get_by_text("Enter a valid email address.").wait_for()
    assert_accessible(phone)
    assert_fits(phone)
    phone.goto(f"{site.url}/petitions/{petition.slug}/embed/thanks?lang=es")
    # What next, the same for every signer: the owner's event and volunteer form.
    assert phone.get_by_role("link", name="Rally at City Hall").get_attribute("target") == "_blank"
    phone.get_by_role("link", name="Súmese al voluntariado de Action Now").wait_for()
    assert_accessible(phone)
    assert_fits(phone)
