"""Organizer pages on a 360-px phone: accessible, nothing scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest

from groundswell.accounts.models import User
from groundswell.petitions import actions, counts
from groundswell.petitions.models import Petition
from tests.browser.conftest import assert_accessible, assert_fits
from tests.conftest import PASSWORD
from tests.petitions.test_counts import add_signatures

pytestmark = pytest.mark.django_db(transaction=True)


def test_organizer_pages_work_on_a_phone(
    phone: Any, site: Any, owner: User, petition: Petition
) -> None:
    add_signatures(petition, 40, verified=True, source="facebook", days_ago=3)
    add_signatures(petition, 12, verified=False, days_ago=1)
    counts.recount(petition)
    actions.post_update(
        petition, author=owner, title="Hearing set", body="On **Monday**.", email_signers=False
    )
    phone.goto(f"{site.url}/accounts/login/")
    assert_accessible(phone)
    phone.fill("#id_username", owner.email)
    phone.fill("#id_password", PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    phone.wait_for_url("**/manage/")
    org, slug = petition.owner.slug, petition.slug
    for path in [
        "/manage/",
        f"/manage/{org}/",
        f"/manage/{org}/members/",
        f"/manage/{org}/settings/",
        f"/manage/{org}/petitions/",
        f"/manage/{org}/petitions/new/",
        f"/manage/{org}/petitions/{slug}/",
        f"/manage/{org}/petitions/{slug}/edit/",
        f"/manage/{org}/petitions/{slug}/preview/",
        f"/manage/{org}/petitions/{slug}/updates/new/",
        f"/manage/{org}/petitions/{slug}/responses/new/",
        f"/manage/{org}/petitions/{slug}/victory/",
        f"/manage/{org}/petitions/{slug}/integrity/",
        f"/manage/{org}/petitions/{slug}/integrity/invalidate/",
        f"/manage/{org}/petitions/rules/",
        f"/orgs/{org}/",
    ]:
        response = phone.goto(f"{site.url}{path}")
        assert response.status == 200, path
        assert_accessible(phone)
        assert_fits(phone)
    phone.goto(f"{site.url}/manage/{org}/petitions/{slug}/")
    assert phone.locator("svg[role=img]").count() >= 2  # signatures per day, sources
