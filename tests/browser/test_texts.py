"""Texts in chromium on a 360-px phone, in English and Spanish: an organizer writes a
text to a tag, sees its parts as they type and the exact recipient count on the
preview, sends it, and sees it sent (the local Twilio-shaped server received it).

Expected words come from the translation catalog (gettext in the test)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from groundswell.accounts.models import User
from groundswell.core import worker
from groundswell.people.models import Tag
from groundswell.texts.models import Blast, BlastState
from tests.browser.conftest import assert_accessible, assert_fits, new_page
from tests.conftest import PASSWORD
from tests.texts.conftest import FakeTwilio, members, twilio  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def words(locale: str) -> dict[str, str]:
    with translation.override(locale[:2]):
        return {
            "save": gettext("Save and preview"),
            "send": gettext("Send now"),
            "sent": str(BlastState.SENT.label),
            "plain": gettext("Parts so far: {n} (plain text, 160 characters each)."),
            "unicode": gettext("Parts so far: {n} (accents or emoji: 70 characters each)."),
        }


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_an_organizer_texts_a_tag_from_a_phone(
    browser: Any,
    site: Any,
    organizer: User,
    members: Tag,  # noqa: F811
    twilio: FakeTwilio,  # noqa: F811
    locale: str,
) -> None:
    text = words(locale)
    phone = new_page(browser, locale=locale, width=360)
    phone.goto(f"{site.url}/accounts/login/")
    phone.fill("#id_username", organizer.email)
    phone.fill("#id_password", PASSWORD)
    phone.locator("main button[type=submit]").click()
    phone.wait_for_url("**/manage/**")

    phone.goto(f"{site.url}/manage/action-now/texts/new/")
    assert phone.locator("html").get_attribute("lang") == locale[:2]
    phone.fill("#id_body", "Rally Saturday 10am, Daley Plaza. ¡Vamos!")
    counter = phone.locator("[data-segments-out]")
    assert counter.inner_text() == text["plain"].replace("{n}", "1")
    phone.fill("#id_body", "Únete: " + "x" * 70)  # an Ú: 70 per part, now two parts
    assert counter.inner_text() == text["unicode"].replace("{n}", "2")
    phone.fill("#id_body", "Rally Saturday 10am, Daley Plaza. ¡Vamos!")
    phone.get_by_label("members").check()
    assert_accessible(phone)
    assert_fits(phone)
    phone.get_by_role("button", name=text["save"]).click()

    phone.locator("[data-recipient-count]").wait_for()
    assert "2" in phone.locator("[data-recipient-count]").inner_text()
    assert "1" in phone.locator("[data-segment-count]").inner_text()
    assert_accessible(phone)
    assert_fits(phone)
    phone.get_by_role("button", name=text["send"]).click()
    phone.locator("[data-text-progress]").wait_for()

    worker.drain()
    phone.reload()
    assert phone.locator("[data-text-state]").inner_text() == text["sent"]
    assert phone.locator("[data-figure=sent]").inner_text() == "2"
    assert_accessible(phone)
    assert_fits(phone)
    assert sorted(twilio.numbers()) == ["+13125550101", "+13125550102"]
    assert Blast.objects.get().state == BlastState.SENT
    phone.context.close()
