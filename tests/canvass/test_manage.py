"""The organizer's canvass pages: the flow from a new canvass to codes, the map, the
dashboard, walk sheets keyed back in, and who may see them."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.test import Client
from pypdf import PdfReader

from groundswell.canvass import actions
from groundswell.canvass.models import Canvass, Canvasser, Door, Visit
from groundswell.organizations.models import Membership
from tests.canvass.conftest import grid_entries
from tests.conftest import login


def url(canvass: Canvass, tail: str = "") -> str:
    return f"/manage/{canvass.organization.slug}/canvass/{canvass.slug}/{tail}"


def test_an_organizer_cuts_turfs_gives_a_code_and_revokes_it(
    client: Client, organizer: Any, canvass: Canvass
) -> None:
    actions.add_doors(canvass, grid_entries(60))
    login(client, organizer)
    response = client.post(url(canvass, "cut/"), {"turfs": "4"})
    assert response.status_code == 302
    page = client.get(url(canvass))
    assert page.status_code == 200
    assert b'class="chart turf-map"' in page.content
    turf = canvass.turfs.first()
    assert turf is not None
    given = client.post(url(canvass, "codes/"), {"name": "Alice", "turf": turf.pk})
    assert given.status_code == 200
    code = given.context["new_code"]["code"]
    assert f"#code={code}" in given.context["new_code"]["link"]
    assert client.get("/canvass/api/turf", HTTP_X_CANVASS_CODE=code).status_code == 200
    alice = Canvasser.objects.get(name="Alice")
    assert client.post(url(canvass, f"codes/{alice.pk}/revoke/")).status_code == 302
    assert client.get("/canvass/api/turf", HTTP_X_CANVASS_CODE=code).status_code == 403
    # Cutting again is allowed once no code holds a turf; the visits stay.
    assert client.post(url(canvass, "cut/"), {"turfs": "2"}).status_code == 302


def test_a_walk_sheet_lists_the_doors_with_codes_that_key_back_in(
    client: Client, organizer: Any, canvass: Canvass, membership: Membership
) -> None:
    actions.add_doors(canvass, grid_entries(20))
    actions.cut_turfs(membership, canvass, 2)
    login(client, organizer)
    pdf = client.get(url(canvass, "turfs/1/walk-sheet.pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    door = Door.objects.filter(turf__number=1).order_by("walk_order").first()
    assert door is not None and door.code in text
    form = {"door_code": door.code.lower(), "result": "not_home", "client_id": str(uuid.uuid4())}
    assert client.post(url(canvass, "key-in/"), form).status_code == 302
    assert client.post(url(canvass, "key-in/"), form).status_code == 302  # twice: one visit
    assert Visit.objects.filter(door=door, source=Visit.Source.PAPER).count() == 1
    bad = client.post(
        url(canvass, "key-in/"), {**form, "door_code": "ZZZZZ", "client_id": str(uuid.uuid4())}
    )
    assert bad.status_code == 400
    assert Visit.objects.count() == 1


def test_the_dashboard_and_a_captains_precinct(
    client: Client, organizer: Any, canvass: Canvass, membership: Membership
) -> None:
    actions.add_doors(canvass, grid_entries(20))
    actions.cut_turfs(membership, canvass, 2)
    door = Door.objects.filter(precinct__isnull=False).first()
    assert door is not None
    actions.key_in(
        membership, canvass, door_code=door.code, result="contacted", client_id=uuid.uuid4()
    )
    login(client, organizer)
    board = client.get(url(canvass, "dashboard/"))
    assert board.status_code == 200
    assert board.context["figures"].contacted == 1
    assert b"<svg" in board.content
    _captain, code = actions.issue_code(
        membership, canvass, name="Cap", precinct_id=door.precinct_id
    )
    client.logout()
    page = client.post("/canvass/captain/", {"code": code})
    assert page.status_code == 200
    assert page.context["completion"].total.contacted == 1
    assert client.post("/canvass/captain/", {"code": "nope"}).status_code == 403


def test_another_organizations_organizer_gets_nothing(
    client: Client, ocad_organizer: Any, canvass: Canvass
) -> None:
    login(client, ocad_organizer)
    assert client.get(url(canvass)).status_code == 403
    assert client.get(f"/manage/ocad/canvass/{canvass.slug}/").status_code == 404


def test_the_phone_page_its_worker_and_manifest(client: Client) -> None:
    page = client.get("/canvass/")
    assert page.status_code == 200 and b'rel="manifest"' in page.content
    worker = client.get("/canvass/sw.js")
    assert worker["Content-Type"].startswith("text/javascript")
    assert client.get("/canvass/manifest.webmanifest").json()["scope"] == "/canvass/"


def test_a_walk_sheets_survey_answers_are_keyed_in_by_the_phones_rule(
    client: Client, organizer: Any, canvass: Canvass, membership: Membership
) -> None:
    actions.add_doors(canvass, grid_entries(10))
    door = Door.objects.first()
    assert door is not None
    scale, single, multiple, text = canvass.questions.all()
    login(client, organizer)
    page = client.get(url(canvass))
    assert f'name="answer_{single.pk}"' in page.content.decode()
    form = {
        "door_code": door.code,
        "result": "contacted",
        "client_id": str(uuid.uuid4()),
        f"answer_{scale.pk}": "4",
        f"answer_{single.pk}": "Yes",
        f"answer_{multiple.pk}": ["Jobs", "Safety"],
        f"answer_{text.pk}": "Fix the streetlights",
    }
    assert client.post(url(canvass, "key-in/"), form).status_code == 302
    visit = Visit.objects.get(source=Visit.Source.PAPER)
    # Typed as a phone sends them.
    assert visit.answers == {
        str(scale.pk): 4,
        str(single.pk): "Yes",
        str(multiple.pk): ["Jobs", "Safety"],
        str(text.pk): "Fix the streetlights",
    }
    for bad in ({f"answer_{single.pk}": "Maybe"}, {f"answer_{scale.pk}": "7"}):
        refused = client.post(
            url(canvass, "key-in/"), {**form, **bad, "client_id": str(uuid.uuid4())}
        )
        assert refused.status_code == 400
        assert "does not fit its question" in refused.content.decode()
    assert Visit.objects.count() == 1
