"""A volunteer sign-up reaches the pipeline, in English and Spanish: a supporter fills in
the form on a phone and confirms by email; an organizer finds them in the pipeline on a
phone and moves them to "contacted"."""

from __future__ import annotations

import re
from typing import Any

import pytest

from groundswell.core import worker
from groundswell.organizations.models import Organization, Role
from groundswell.volunteers import actions
from groundswell.volunteers.models import PipelineChange, Stage, Volunteer
from tests.browser.conftest import assert_accessible, assert_fits, new_page
from tests.conftest import PASSWORD, make_organizer
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"https?://\S+/volunteer/confirm/\S+/")

TEXTS = {
    "en-US": {"lang": "en", "check": "Check your email", "login": "Log in"},
    "es-US": {"lang": "es", "check": "Revise su correo", "login": "Iniciar sesión"},
}


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_a_volunteer_sign_up_reaches_the_pipeline(
    browser: Any, site: Any, mailbox: Mailbox, locale: str
) -> None:
    texts = TEXTS[locale]
    alliance = Organization.objects.create(
        name="Chicago Alliance Against Racist and Political Repression",
        slug="chicago-alliance",
        email="info@chicago-alliance.example",
    )
    make_organizer("frank@chicago-alliance.example", alliance, Role.OWNER)
    rallies = actions.add_interest(alliance, "Rallies and demonstrations", "Manifestaciones")
    actions.add_interest(alliance, "Speaking at union halls", "Hablar en locales sindicales")

    # From the organization's page, a supporter follows "Volunteer here »" on a phone.
    phone = new_page(browser, locale=locale, width=360)
    phone.goto(f"{site.url}/orgs/chicago-alliance/")
    phone.click("a[href='/volunteer/chicago-alliance/']")
    phone.wait_for_url(re.compile("/volunteer/chicago-alliance/$"))
    assert phone.locator("html").get_attribute("lang") == texts["lang"]
    if texts["lang"] == "es":
        assert "Manifestaciones" in phone.content()
    assert_accessible(phone)
    assert_fits(phone)
    phone.fill("#id_first_name", "Marisol")
    phone.fill("#id_last_name", "Vega")
    phone.fill("#id_ward", "25")
    phone.check(f"input[name=interests][value='{rallies.pk}']")
    phone.check("input[name=languages][value=es]")
    phone.check("input[name=availability][value=weekends]")
    phone.fill("#id_email", "marisol@example.org")
    phone.fill("#id_phone", "312-555-0188")
    phone.check("input[name=reach_by][value=text]")
    phone.check("#id_consent")
    phone.click("main form button[type=submit]")
    phone.get_by_role("heading", name=texts["check"]).wait_for()
    assert_accessible(phone)
    assert not Volunteer.objects.exists()  # not before the address is confirmed

    worker.drain()
    [message] = mailbox.wait_for(1)
    link = LINK.search(Mailbox.text(message))
    assert link is not None
    phone.goto(link.group(0))
    assert_accessible(phone)
    phone.click("form[action*='/volunteer/confirm/'] button[type=submit]")
    phone.wait_for_selector(".notice-ok")
    volunteer = Volunteer.objects.get()
    assert volunteer.stage == Stage.NEW and volunteer.reach_by == "text"
    phone.context.close()

    # An organizer finds them in the pipeline, on a phone, and records the call.
    organizer = new_page(browser, locale=locale, width=360)
    organizer.goto(f"{site.url}/accounts/login/")
    organizer.fill("#id_username", "frank@chicago-alliance.example")
    organizer.fill("#id_password", PASSWORD)
    organizer.get_by_role("button", name=texts["login"]).click()
    organizer.wait_for_url(re.compile("/manage/"))
    organizer.goto(f"{site.url}/manage/chicago-alliance/volunteers/")
    assert_accessible(organizer)
    assert_fits(organizer)
    organizer.click("a:has-text('Marisol Vega')")
    organizer.wait_for_url(re.compile(f"/volunteers/{volunteer.pk}/$"))
    assert "(312) 555-0188" in organizer.content()
    assert_accessible(organizer)
    assert_fits(organizer)
    organizer.select_option("#id_stage-stage", "contacted")
    organizer.fill("#id_stage-note", "Texted about Saturday's rally")
    organizer.click(f"form[action$='/volunteers/{volunteer.pk}/stage/'] button[type=submit]")
    organizer.wait_for_selector(".message-success")
    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.CONTACTED
    assert volunteer.changes.filter(kind=PipelineChange.Kind.STAGE).get().note.startswith("Texted")
    assert "Texted about Saturday" in organizer.content()
    organizer.context.close()
