"""A medical emergency on a phone, in English and Spanish: a family member asks for help
on the public form; the case manager finds it at the top of the triage queue and assigns
an advocate, who adds a note and a document and closes it. 360 px, no serious axe-core finding."""

from __future__ import annotations

from typing import Any

import pytest

from groundswell.accounts.models import User
from groundswell.cases import actions
from groundswell.cases.models import AuditEntry, Case, Urgency
from groundswell.cases.vault import note_texts
from groundswell.organizations.models import Organization, Role
from tests.browser.conftest import assert_accessible, assert_fits, new_page
from tests.conftest import PASSWORD, make_organizer

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_root(settings: Any, tmp_path: Any) -> Any:
    settings.PRIVATE_ROOT = tmp_path
    return tmp_path


def check(page: Any) -> None:
    assert_accessible(page)
    assert_fits(page)


def log_in(page: Any, site: Any, user: User) -> None:
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/manage/**")


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_a_medical_emergency_from_the_public_form_to_closed(
    browser: Any, site: Any, action_now: Organization, owner: User, locale: str
) -> None:
    actions.seed_case_types(action_now)
    cora = make_organizer("cora@actionnow.example", action_now, Role.ORGANIZER)
    actions.add_case_manager(action_now, cora, by=owner)
    ada = make_organizer("ada@actionnow.example", action_now, Role.ORGANIZER)

    family = new_page(browser, locale=locale, width=360)
    family.goto(f"{site.url}/help/{action_now.slug}/")
    assert family.locator("html").get_attribute("lang") == locale[:2]
    check(family)
    family.check("#id_case_type_0")  # the medical emergency, offered first
    family.fill("#id_client_name", "Fictional Brother")
    family.fill("#id_idoc_number", "K55555")
    family.fill("#id_facility", "Menard Correctional Center")
    family.fill("#id_description", "A fever for a week; no doctor has seen him.")
    family.fill("#id_name", "Rosa Martinez")
    family.fill("#id_email", "rosa@example.org")
    family.locator("main form button[type=submit]").click()
    family.wait_for_url(f"**/help/{action_now.slug}/thanks/")
    check(family)
    family.context.close()
    case = Case.objects.get()
    assert case.urgency == Urgency.EMERGENCY and case.acted_at is None

    manager = new_page(browser, locale=locale, width=360)
    log_in(manager, site, cora)
    manager.goto(f"{site.url}/manage/{action_now.slug}/cases/")
    check(manager)
    manager.locator(f"a[href='/manage/{action_now.slug}/cases/{case.pk}/']").click()
    manager.wait_for_url(f"**/cases/{case.pk}/")
    assert "no doctor has seen him" in manager.content()
    check(manager)
    manager.select_option("#id_user", label=ada.email)
    manager.locator("form[action$='/assign/'] button[type=submit]").click()
    # Assigned to Ada, the case is hers: Cora is back at the queue, outside it now.
    manager.wait_for_url(f"**/manage/{action_now.slug}/cases/")
    assert ada.email in manager.content()
    check(manager)
    # A case manager edits the case types: the list and a type's form.
    manager.goto(f"{site.url}/manage/{action_now.slug}/cases/types/")
    check(manager)
    manager.goto(f"{site.url}/manage/{action_now.slug}/cases/types/{case.case_type_id}/")
    check(manager)
    manager.context.close()

    advocate = new_page(browser, locale=locale, width=360)
    log_in(advocate, site, ada)
    advocate.goto(f"{site.url}/manage/{action_now.slug}/cases/{case.pk}/")
    advocate.fill("#id_text", "Called the health care unit; a doctor sees him today.")
    advocate.locator("form[action$='/notes/'] button[type=submit]").click()
    advocate.wait_for_url(f"**/cases/{case.pk}/")
    assert "a doctor sees him today" in advocate.content()
    check(advocate)
    advocate.set_input_files(
        "#id_file",
        files=[{"name": "Hospital record.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    advocate.locator("form[action$='/documents/'] button[type=submit]").click()
    advocate.wait_for_url(f"**/cases/{case.pk}/")
    advocate.get_by_role("link", name="Hospital record.pdf").wait_for()
    check(advocate)
    advocate.locator("form[action$='/close/'] button[type=submit]").click()
    advocate.wait_for_url(f"**/cases/{case.pk}/")
    check(advocate)
    advocate.context.close()

    case.refresh_from_db()
    assert case.closed_at is not None and case.acted_at is not None
    [(_, text)] = note_texts(case, list(case.notes.all()))
    assert text.endswith("a doctor sees him today.")
    assert case.documents.count() == 1
    logged = set(AuditEntry.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert {"create", "read", "assign", "note", "close"} <= logged
