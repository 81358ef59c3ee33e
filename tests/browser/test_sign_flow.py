"""A supporter signs on a phone, confirms by email, and the count moves."""

from __future__ import annotations

import re
from typing import Any

import pytest

from groundswell.core import worker
from groundswell.petitions import counts
from groundswell.petitions.models import Petition, Signature, SignatureState
from tests.browser.conftest import assert_accessible, assert_fits, new_page
from tests.petitions.test_counts import add_signatures
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"https?://\S+/petitions/verify/\S+/")


@pytest.mark.parametrize(
    ("locale", "texts"),
    [
        (
            "en-US",
            {
                "sign": "Sign",
                "progress": "1,000 have signed. Let’s get to 2,500!",
                "check": "Check your email",
                "confirmed": "Your signature is confirmed",
                "milestone": "1,000 signatures reached",
                "subject": "Confirm your signature",
            },
        ),
        (
            "es-US",
            {
                "sign": "Firmar",
                "progress": "1.000 han firmado. ¡Lleguemos a 2.500!",
                "check": "Revise su correo",
                "confirmed": "Su firma está confirmada",
                "milestone": "1.000 firmas alcanzadas",
                "subject": "Confirme su firma",
            },
        ),
    ],
)
def test_a_phone_signer_confirms_and_the_count_moves(
    browser: Any,
    site: Any,
    mailbox: Mailbox,
    petition: Petition,
    locale: str,
    texts: dict[str, str],
) -> None:
    add_signatures(petition, 999, verified=True)
    counts.recount(petition)
    page = new_page(browser, locale=locale, width=360)
    page.goto(f"{site.url}/petitions/{petition.slug}/?source=sms")
    assert_fits(page)
    assert_accessible(page)
    page.get_by_label(re.compile("^(First name|Nombre)$")).fill("Ana")
    page.get_by_label(re.compile("^(Last name|Apellido)$")).fill("Reyes")
    page.get_by_label(re.compile("^(Email|Correo electrónico)$")).fill("ana@example.org")
    page.get_by_label(re.compile("^(ZIP code|Código postal)$")).fill("60608")
    page.get_by_label(re.compile("Action Now")).check()
    page.get_by_role("button", name=texts["sign"], exact=True).click()
    page.get_by_role("heading", name=texts["check"]).wait_for()
    assert_accessible(page)

    worker.drain()
    [message] = mailbox.wait_for(1)
    assert texts["subject"] in str(message["Subject"])
    link = LINK.search(Mailbox.text(message))
    assert link, Mailbox.text(message)
    page.goto(link.group(0))
    page.get_by_role("heading", name=texts["confirmed"]).wait_for()
    assert_accessible(page)

    signature = Signature.objects.get(email="ana@example.org")
    assert signature.state == SignatureState.VERIFIED
    assert signature.source == "sms"
    worker.drain()
    page.goto(f"{site.url}/petitions/{petition.slug}/")
    assert texts["progress"] in page.content()
    assert page.locator("progress").get_attribute("value") == "1000"
    assert texts["milestone"] in page.content()
    notices = mailbox.to("staff@actionnow.example")
    assert len(notices) == 1 and "1,000" in str(notices[0]["Subject"])
    page.context.close()


def test_bad_input_is_explained_next_to_the_field(
    browser: Any, site: Any, petition: Petition
) -> None:
    page = new_page(browser, width=360)
    page.goto(f"{site.url}/petitions/{petition.slug}/")
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Email").fill("not an email")
    page.get_by_label("ZIP code").fill("123")
    page.get_by_role("button", name="Sign", exact=True).click()
    page.get_by_text("Enter a valid email address.").wait_for()
    assert page.get_by_text("Enter a 5-digit ZIP code, like 60608.").is_visible()
    assert page.get_by_label("First name").input_value() == "Ana"
    assert_accessible(page)
    assert_fits(page)
    assert Signature.objects.count() == 0
    page.context.close()


def test_public_pages_are_accessible_on_a_phone(phone: Any, site: Any, petition: Petition) -> None:
    add_signatures(petition, 30, verified=True)
    counts.recount(petition)
    for path in [
        "/",
        "/petitions/",
        f"/petitions/{petition.slug}/",
        f"/petitions/{petition.slug}/thanks?r=resent",
    ]:
        phone.goto(f"{site.url}{path}")
        assert_accessible(phone)
        assert_fits(phone)
