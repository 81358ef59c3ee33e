"""CSV import in a real browser: a file with a bad row, fixed from the errors CSV and
imported again; and every import page on a 360-px phone."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from groundswell.accounts.models import User
from groundswell.core import worker
from groundswell.organizations.models import Organization
from groundswell.people.models import ImportJob, Supporter
from tests.browser.conftest import assert_accessible, assert_fits
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

FILE = (
    "First name,Last name,Email,Phone,ZIP\n"
    "Ana,Reyes,ana@example.org,(312) 555-0101,60608\n"
    "Bo,=Diaz,bo@nowhere,,60609\n"
)


def log_in(page: Any, site: Any, user: User) -> None:
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/manage/")


def upload(page: Any, site: Any, organization: Organization, name: str, content: str) -> None:
    page.goto(f"{site.url}/manage/{organization.slug}/people/imports/new/")
    page.set_input_files(
        "#id_file", files=[{"name": name, "mimeType": "text/csv", "buffer": content.encode()}]
    )
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("heading", name="Match the columns").wait_for()


def run_queued_work(page: Any) -> None:
    worker.drain(periodic=False)
    page.reload()
    page.get_by_text("Done", exact=True).wait_for()


def test_import_with_a_bad_row_fix_and_import_again(
    page: Any, site: Any, organizer: User, action_now: Organization
) -> None:
    log_in(page, site, organizer)
    upload(page, site, action_now, "march.csv", FILE)
    assert (
        page.get_by_label("Email", exact=True).input_value() == "email"
    )  # guessed from the header
    page.get_by_label("They agreed to receive our emails").check()
    page.get_by_label("How and when did they agree?").fill("Sign-up sheet, May 1 march")
    page.get_by_label("Tags to add to everyone in this file").fill("May Day")
    page.get_by_role("button", name="Preview the import").click()

    page.get_by_role("heading", name="Check before importing").wait_for()
    assert "Email: not a valid email address." in page.locator("main").inner_text()
    page.get_by_role("button", name="Import 1 row").click()
    page.get_by_role("heading", name="Import of march.csv").wait_for()
    run_queued_work(page)
    stats = page.locator(".stats").inner_text()
    assert "1\nnew" in stats and "1\nfailed" in stats

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the rows that failed (CSV)").click()
    errors = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(errors)))
    assert rows[0][-1] == "error"
    assert rows[1][:3] == ["Bo", "'=Diaz", "bo@nowhere"]
    rows[1][2] = "bo@example.org"
    fixed = io.StringIO()
    csv.writer(fixed).writerows(rows)

    upload(page, site, action_now, "march-fixed.csv", fixed.getvalue())
    assert page.get_by_label("error", exact=True).input_value() == "skip"
    page.get_by_label("They agreed to receive our emails").check()
    page.get_by_label("How and when did they agree?").fill("Sign-up sheet, May 1 march")
    page.get_by_role("button", name="Preview the import").click()
    page.get_by_role("button", name="Import 1 row").click()
    run_queued_work(page)
    assert "1\nnew" in page.locator(".stats").inner_text()

    bo = Supporter.objects.get(organization=action_now, email="bo@example.org")
    assert bo.last_name == "=Diaz"
    assert Supporter.objects.visible_to(action_now).filter(contactable=True).count() == 2


def test_import_pages_work_on_a_phone(
    phone: Any, site: Any, organizer: User, action_now: Organization
) -> None:
    log_in(phone, site, organizer)
    org = action_now.slug
    phone.goto(f"{site.url}/manage/{org}/people/imports/")
    assert_accessible(phone)
    assert_fits(phone)
    upload(phone, site, action_now, "a-rather-long-file-name-from-the-march.csv", FILE)
    job = ImportJob.objects.get()
    pages = ["new/", f"{job.pk}/map/"]
    for path in pages:
        response = phone.goto(f"{site.url}/manage/{org}/people/imports/{path}")
        assert response.status == 200, path
        assert_accessible(phone)
        assert_fits(phone)
    phone.get_by_role("button", name="Preview the import").click()
    phone.get_by_role("heading", name="Check before importing").wait_for()
    assert_accessible(phone)
    assert_fits(phone)
    phone.get_by_role("button", name="Import 1 row").click()
    phone.get_by_role(
        "heading", name="Import of a-rather-long-file-name-from-the-march.csv"
    ).wait_for()
    assert_accessible(phone)
    assert_fits(phone)
    run_queued_work(phone)
    assert_accessible(phone)
    assert_fits(phone)
    for path in ["", f"{job.pk}/"]:
        phone.goto(f"{site.url}/manage/{org}/people/imports/{path}")
        assert_accessible(phone)
        assert_fits(phone)
