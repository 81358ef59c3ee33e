"""A supporter erases themselves from the emailed link, on a phone, in English and in
Spanish (the link opens the data pages at addresses holding no token); the organizers'
rights pages work on a phone too, and erase the supporter from their organization only."""

from __future__ import annotations

import re
from typing import Any

import pytest

from groundswell.accounts.models import User
from groundswell.core import worker
from groundswell.people import audit
from groundswell.people.models import AuditEvent, Erasure, Person, Supporter
from groundswell.people.rights import actions as rights
from groundswell.petitions import actions, counts
from groundswell.petitions.models import Petition, PetitionCount, Signature
from tests.browser.conftest import assert_accessible, assert_fits, new_page
from tests.conftest import PASSWORD, SIGNER
from tests.petitions.test_counts import add_signatures
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"https?://\S+/people/my-data/\S+/")


def signed_and_confirmed(petition: Petition, language: str) -> Person:
    owner, ocad = petition.owner, petition.sponsors.get()
    signature = actions.record_signature(
        petition,
        **SIGNER,
        email_normalized=SIGNER["email"],
        consents=[owner.pk, ocad.pk],
        language=language,
    ).signature
    actions.verify_signature(actions.verification_token(signature))
    return Person.objects.get(email_normalized=SIGNER["email"])


def shown(petition: Petition) -> int:
    counts.fold()
    return PetitionCount.objects.get(petition=petition).shown


def check(page: Any) -> None:
    assert_accessible(page)
    assert_fits(page)


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_supporter_erasure_from_the_emailed_link(
    browser: Any, site: Any, mailbox: Mailbox, petition: Petition, locale: str
) -> None:
    language = locale[:2]
    add_signatures(petition, 9, verified=True)
    counts.recount(petition)
    person = signed_and_confirmed(petition, language)
    before = shown(petition)
    assert before == 10

    phone = new_page(browser, locale=locale, width=360)
    phone.goto(f"{site.url}/people/my-data/")
    assert phone.locator("html").get_attribute("lang") == language
    check(phone)
    phone.fill("#id_email", "ana.reyes@example.org")
    phone.click("#request-link")
    phone.wait_for_url("**/people/my-data/sent/")
    check(phone)

    worker.drain()
    [message] = mailbox.wait_for(1)
    assert message["To"] == "ana.reyes@example.org"
    html = message.get_body(preferencelist=("html",))
    assert html is not None and f'lang="{language}"' in html.get_content()
    link = LINK.search(Mailbox.text(message))
    assert link is not None, Mailbox.text(message)

    phone.goto(link.group(0))
    phone.wait_for_url("**/people/my-data/view/")  # the token left the address bar
    assert phone.locator("html").get_attribute("lang") == language
    assert "Organized Communities Against Deportations" in phone.content()
    assert "Reyes" in phone.content()
    check(phone)
    with phone.expect_download() as download:
        phone.click("#download-json")
    assert download.value.suggested_filename == "my-data.json"

    phone.click("#erase-start")
    phone.wait_for_url("**/people/my-data/view/erase/")
    check(phone)
    assert Person.objects.filter(pk=person.pk).exists()  # asking is not erasing
    phone.click("#erase-confirm")
    phone.wait_for_url("**/people/my-data/erased/")
    assert phone.locator("h1").count() == 1
    check(phone)

    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Supporter.objects.exists()
    assert Erasure.objects.get().via == Erasure.Via.SUPPORTER
    assert not Signature.objects.filter(email="ana.reyes@example.org").exists()
    assert shown(petition) == before
    counts.recount(petition)
    assert shown(petition) == before

    response = phone.goto(link.group(0))  # the link died with the data
    assert response is not None and response.status == 400
    check(phone)
    response = phone.goto(f"{site.url}/people/my-data/view/")  # and so did the grant
    assert response is not None and response.status == 400
    check(phone)
    phone.context.close()


def test_the_emailed_link_opens_in_a_fresh_browser_and_closes(
    browser: Any, site: Any, petition: Petition
) -> None:
    person = signed_and_confirmed(petition, "en")
    token = rights.data_link_token(person, person.email)
    phone = new_page(browser, locale="en-US", width=360)
    phone.goto(f"{site.url}/people/my-data/{token}/")
    phone.wait_for_url("**/people/my-data/view/")
    assert "Reyes" in phone.content()
    phone.click("#close-data")
    phone.wait_for_url("**/people/my-data/")
    check(phone)
    response = phone.goto(f"{site.url}/people/my-data/view/")
    assert response is not None and response.status == 400
    assert "Reyes" not in phone.content()
    check(phone)
    phone.context.close()


def test_organizer_rights_pages_work_on_a_phone(
    phone: Any, site: Any, owner: User, petition: Petition, mailbox: Mailbox
) -> None:
    person = signed_and_confirmed(petition, "en")
    audit.record(petition.owner, AuditEvent.Action.VIEWED, user=owner, person=person)
    phone.goto(f"{site.url}/accounts/login/")
    phone.fill("#id_username", owner.email)
    phone.fill("#id_password", PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    phone.wait_for_url("**/manage/")
    org = petition.owner.slug
    supporter = Supporter.objects.get(organization=petition.owner, person=person).pk
    for path in [
        f"/manage/{org}/people/{supporter}/rights/",
        f"/manage/{org}/people/{supporter}/erase/",
        f"/manage/{org}/people/audit/",
    ]:
        response = phone.goto(f"{site.url}{path}")
        assert response.status == 200, path
        check(phone)
    phone.goto(f"{site.url}/manage/{org}/people/{supporter}/erase/")
    assert phone.locator("#id_send_link").is_checked()
    phone.click("#erase-confirm")
    phone.wait_for_url(f"**/manage/{org}/people/erased/")
    check(phone)
    phone.goto(f"{site.url}/manage/{org}/people/audit/")
    assert phone.get_by_role("cell", name="Erased", exact=True).count() == 1  # what
    assert phone.get_by_role("cell", name="erased", exact=True).count() == 2  # whom: gone
    check(phone)
    # Gone from Action Now; OCAD, which co-sponsors the petition, still knows her.
    assert not Supporter.objects.filter(organization=petition.owner, person=person).exists()
    assert Supporter.objects.filter(organization=petition.sponsors.get(), person=person).exists()
    worker.drain()
    [message] = mailbox.wait_for(1)  # the link to erase everything, everywhere
    assert message["To"] == "ana.reyes@example.org"


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_a_staff_member_who_erases_and_the_owners_decision_on_a_phone(
    browser: Any, site: Any, owner: User, organizer: User, petition: Petition, locale: str
) -> None:
    """Dee organizes at Action Now and signed OCAD's list with the same address: the
    erase page says her account stays and who decides; Maria decides on her phone."""
    from groundswell.organizations.models import Membership
    from groundswell.people import actions as people_actions

    dee = people_actions.record_person(email=organizer.email, first_name="Dee")
    people_actions.link(dee, petition.sponsors.get(), source="petition:p", email=organizer.email)
    phone = new_page(browser, locale=locale, width=360)
    phone.goto(f"{site.url}/people/my-data/{rights.data_link_token(dee, dee.email)}/")
    phone.wait_for_url("**/people/my-data/view/")
    assert phone.locator("#staff-accounts-heading").count() == 1
    check(phone)
    phone.click("#erase-start")
    phone.wait_for_url("**/people/my-data/view/erase/")
    assert phone.locator("#staff-accounts-heading").count() == 1
    assert phone.locator("#kept-after-erasure").count() == 1
    check(phone)
    phone.click("#erase-confirm")
    phone.wait_for_url("**/people/my-data/erased/")
    check(phone)
    phone.context.close()

    membership = Membership.objects.get(user=organizer)
    maria = new_page(browser, locale=locale, width=360)
    maria.goto(f"{site.url}/accounts/login/")
    maria.fill("#id_username", owner.email)
    maria.fill("#id_password", PASSWORD)
    maria.press("#id_password", "Enter")
    maria.wait_for_url("**/manage/")
    maria.goto(f"{site.url}/manage/{petition.owner.slug}/people/staff/{membership.pk}/erased/")
    assert maria.locator("html").get_attribute("lang") == locale[:2]
    check(maria)
    maria.check("#decision-remove")
    maria.click("#staff-decide")
    maria.wait_for_url(f"**/manage/{petition.owner.slug}/members/")
    check(maria)
    organizer.refresh_from_db()
    assert not organizer.is_active
    maria.context.close()
