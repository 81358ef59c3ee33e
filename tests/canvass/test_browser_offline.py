"""The canvassing page in chromium on a 360-px phone, English and Spanish: the turf is
downloaded once, 20 doors are recorded with no connection, a reload with no connection
loses none of them, and back online all 20 arrive exactly once; sending the same
visits again adds nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from groundswell.canvass import actions
from groundswell.canvass.actions import DoorEntry
from groundswell.canvass.models import Canvass, Turf, Visit
from groundswell.organizations.models import Membership
from tests.browser.conftest import (  # noqa: F401
    assert_accessible,
    assert_fits,
    browser,
    new_page,
    site,
)
from tests.canvass.conftest import SOUTH, WEST, grid_entries
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOORS = 20
READ_UNSENT = """() => new Promise((resolve) => {
  const open = indexedDB.open('groundswell-canvass');
  open.onsuccess = () => {
    const request = open.result.transaction('visits').objectStore('visits').getAll();
    request.onsuccess = () => resolve(request.result);
  };
})"""


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_twenty_doors_offline_arrive_once(
    browser: Any,  # noqa: F811
    site: Any,  # noqa: F811
    canvass: Canvass,
    membership: Membership,
    locale: str,
) -> None:
    actions.add_doors(canvass, grid_entries(60))
    turf = actions.cut_turfs(membership, canvass, 2)[0]
    assert turf.doors.count() >= DOORS
    _alice, code = actions.issue_code(membership, canvass, name="Alice", turf=turf)

    page = new_page(browser, locale=locale, width=360)
    context = page.context
    try:
        page.goto(f"{site.url}/canvass/#code={code}")
        assert page.locator("html").get_attribute("lang") == locale[:2]
        page.locator("#doors li").nth(DOORS - 1).wait_for()
        # The page and its files are kept for a reload with no signal.
        page.wait_for_function(
            "() => caches.open('canvass-shell-v1').then(c => c.keys()).then(k => k.length >= 3)"
        )
        page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)")
        assert_fits(page)
        assert_accessible(page)

        context.set_offline(True)
        doors = page.locator("#doors li")
        for i in range(DOORS):
            door = doors.nth(i)
            door.locator("button.record").click()
            results = door.locator("fieldset").first.locator("input[type=radio]")
            results.nth(0 if i % 2 else 1).check()
            door.locator("button[type=submit]").click()
            door.locator(".door-done").wait_for()
        page.wait_for_function(
            "() => document.getElementById('pending').textContent.includes('20')"
        )
        kept = page.evaluate(READ_UNSENT)
        assert len(kept) == DOORS
        assert not Visit.objects.exists()

        page.reload()  # no signal: the service worker serves the page
        page.locator("#doors li").nth(DOORS - 1).wait_for()
        page.wait_for_function(
            "() => document.getElementById('pending').textContent.includes('20')"
        )
        assert page.locator(".door-done").count() == DOORS
        assert page.evaluate("() => navigator.serviceWorker.controller !== null")
        assert (
            page.evaluate("() => fetch('/canvass/api/turf').then(() => 'online', () => 'offline')")
            == "offline"
        )
        assert not Visit.objects.exists()

        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_function(
            "() => document.querySelector('.pending-box').classList.contains('clear')"
        )
        assert Visit.objects.filter(canvass=canvass).count() == DOORS
        assert {str(v) for v in Visit.objects.values_list("client_id", flat=True)} == {
            v["id"] for v in kept
        }
        assert page.evaluate(READ_UNSENT) == []

        # The same visits again, as a phone replaying them would: nothing new.
        replay = [{k: v for k, v in visit.items() if k != "code"} for visit in kept]
        answer = page.evaluate(
            """([body, code]) => fetch('/canvass/api/visits', {method: 'POST',
                 headers: {'Content-Type': 'application/json', 'X-Canvass-Code': code},
                 body: body}).then(r => r.json())""",
            [json.dumps({"visits": replay}), code],
        )
        assert answer["new"] == 0 and len(answer["acknowledged"]) == DOORS
        assert Visit.objects.filter(canvass=canvass).count() == DOORS

        # The organizer's pages at 360 px: the canvass with its map, and the dashboard.
        # New doors in ward 1's west part are on no turf: the organizer draws one around them.
        actions.add_doors(
            canvass,
            [
                DoorEntry(f"{700 + 2 * i} S New St", SOUTH + 0.006 + 0.001 * i, WEST + 0.004)
                for i in range(5)
            ],
        )
        page.goto(f"{site.url}/accounts/login/")
        page.fill("#id_username", membership.user.email)
        page.fill("#id_password", PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url("**/manage/**")
        for tail in ("", "dashboard/"):
            page.goto(
                f"{site.url}/manage/{canvass.organization.slug}/canvass/{canvass.slug}/{tail}"
            )
            assert page.locator("svg.chart").count() >= 1
            assert_fits(page)
            assert_accessible(page)
            if tail == "":
                drawing = page.locator("svg.turf-map")
                drawing.scroll_into_view_if_needed()
                box = drawing.bounding_box()
                assert box is not None
                for fx, fy in ((0.03, 0.1), (0.4, 0.1), (0.4, 0.9), (0.03, 0.9)):
                    spot = {"x": fx * box["width"], "y": fy * box["height"]}
                    drawing.click(position=spot, force=True)
                page.locator("#draw-form button[type=submit]").click()
                page.wait_for_load_state()
                errors = page.locator("#draw-form [role=alert]")
                assert errors.count() == 0, errors.all_inner_texts()
                drawn = Turf.objects.get(canvass=canvass, number=3)
                assert {d.building for d in drawn.doors.all()} >= {"700 S NEW ST", "708 S NEW ST"}
    finally:
        context.close()
