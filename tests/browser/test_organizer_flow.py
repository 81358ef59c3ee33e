"""The whole path, in a real browser: an operator creates an organization, its
organizer writes and publishes a petition, a supporter signs on a phone and confirms
by email, the count and progress bar move and the owner hears of the milestone."""

from __future__ import annotations

import re
from typing import Any

import pytest

from groundswell.core import worker
from groundswell.organizations.models import Membership, Organization, Role
from groundswell.petitions import counts
from groundswell.petitions.models import Petition, Signature, SignatureState
from tests.browser.conftest import assert_accessible, assert_fits, new_page
from tests.conftest import PASSWORD
from tests.petitions.test_counts import add_signatures
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"https?://\S+/petitions/verify/\S+/")

TEXTS = {
    "en-US": {
        "login": "Log in",
        "save": "Save as a draft",
        "publish": "Publish",
        "sign": "Sign",
        "check": "Check your email",
        "confirmed": "Your signature is confirmed",
        "progress": "1,000 have signed. Let’s get to 2,500!",
        "milestone": "1,000 signatures reached",
        "subject": "Confirm your signature",
    },
    "es-US": {
        "login": "Iniciar sesión",
        "save": "Guardar como borrador",
        "publish": "Publicar",
        "sign": "Firmar",
        "check": "Revise su correo",
        "confirmed": "Su firma está confirmada",
        "progress": "1,000 han firmado. ¡Lleguemos a 2,500!",
        "milestone": "1,000 firmas alcanzadas",
        "subject": "Confirme su firma",
    },
}


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_create_org_petition_publish_sign_verify_milestone(
    browser: Any, site: Any, mailbox: Mailbox, django_user_model: Any, locale: str
) -> None:
    texts = TEXTS[locale]
    django_user_model.objects.create_superuser("operator@example.org", PASSWORD)
    organizer = django_user_model.objects.create_user("dee@actionnow.example", PASSWORD)

    # The operator creates the organization in Django admin.
    admin = new_page(browser)
    admin.goto(f"{site.url}/admin/login/")
    admin.fill("#id_username", "operator@example.org")
    admin.fill("#id_password", PASSWORD)
    admin.click("input[type=submit]")
    admin.goto(f"{site.url}/admin/organizations/organization/add/")
    admin.fill("#id_name", "Action Now")
    admin.fill("#id_email", "staff@actionnow.example")
    assert admin.input_value("#id_slug") == "action-now"  # prepopulated from the name
    admin.click("input[name=_save]")
    admin.get_by_text("was added successfully").wait_for()
    admin.context.close()
    organization = Organization.objects.get(slug="action-now")
    # Django admin's user autocomplete is Django's own widget; the role is given directly.
    Membership.objects.create(user=organizer, organization=organization, role=Role.OWNER)

    # The organizer writes the petition and publishes it.
    page = new_page(browser, locale=locale)
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_username", "dee@actionnow.example")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name=texts["login"]).click()
    page.wait_for_url(re.compile("/manage/"))
    page.goto(f"{site.url}/manage/action-now/petitions/new/")
    assert_accessible(page)
    page.fill("#id_title", "Defend Chicago and Expand Sanctuary")
    page.fill("#id_slug", "defend-chicago")
    page.fill(
        "#id_ask",
        "We ask the City of Chicago to:\n\n1) Pass the amendments.\n2) Pass the resolution.",
    )
    page.fill("#id_why", "Chicago has a history of over-policing.")
    page.fill("#id_targets-0-name", "Rahm Emanuel")
    page.fill("#id_targets-0-title", "Mayor")
    page.fill("#id_targets-0-office", "City of Chicago")
    page.fill("#id_title_es", "Defender Chicago y ampliar el santuario")
    page.get_by_role("button", name=texts["save"]).click()
    page.get_by_role("button", name=texts["publish"], exact=True).click()
    page.wait_for_load_state()
    petition = Petition.objects.get(slug="defend-chicago")
    assert petition.status == "open"
    assert [str(t) for t in petition.targets.all()] == ["Mayor Rahm Emanuel"]
    assert_accessible(page)
    page.context.close()

    # 999 people have signed and confirmed already.
    add_signatures(petition, 999, verified=True)
    counts.recount(petition)

    # A supporter signs on a phone.
    phone = new_page(browser, locale=locale, width=360)
    phone.goto(f"{site.url}/petitions/defend-chicago/")
    assert_fits(phone)
    assert "<ol>" in phone.content()
    phone.fill("#id_first_name", "Ana")
    phone.fill("#id_last_name", "Reyes")
    phone.fill("#id_email", "ana@example.org")
    phone.fill("#id_zip_code", "60608")
    phone.check(f"#id_consent_{organization.pk}")
    phone.get_by_role("button", name=texts["sign"], exact=True).click()
    phone.get_by_role("heading", name=texts["check"]).wait_for()

    worker.drain()
    [message] = mailbox.wait_for(1)
    assert texts["subject"] in str(message["Subject"])
    link = LINK.search(Mailbox.text(message))
    assert link is not None
    phone.goto(link.group(0))
    assert Signature.objects.get(email="ana@example.org").state == SignatureState.PENDING
    assert_accessible(phone)
    phone.click("form[action*='/verify/'] button[type=submit]")
    phone.get_by_role("heading", name=texts["confirmed"]).wait_for()
    assert Signature.objects.get(email="ana@example.org").state == SignatureState.VERIFIED

    worker.drain()
    phone.goto(f"{site.url}/petitions/defend-chicago/")
    assert texts["progress"] in phone.content()
    assert phone.locator("progress").get_attribute("value") == "1000"
    assert texts["milestone"] in phone.content()
    assert_accessible(phone)
    notices = mailbox.to("staff@actionnow.example")
    assert len(notices) == 1 and "1,000" in str(notices[0]["Subject"])
    phone.context.close()
