"""Guessing canvasser codes: wrong codes from one network are counted, and past the
limit every code from it is refused with a 429 (the right one too) until the window
ends; right codes do not count, and another network is not affected."""

from __future__ import annotations

from typing import Any

from django.test import Client

from groundswell.canvass import actions
from groundswell.canvass.models import Canvass
from groundswell.organizations.models import Membership
from tests.canvass.conftest import grid_entries


def test_too_many_wrong_codes_from_one_network_get_429(
    client: Client, canvass: Canvass, membership: Membership, settings: Any
) -> None:
    settings.CANVASS_CODE_RATE_IP = (3, 3600)
    actions.add_doors(canvass, grid_entries(10))
    turf = actions.cut_turfs(membership, canvass, 2)[0]
    _canvasser, code = actions.issue_code(membership, canvass, name="Al", turf=turf)
    here = {"REMOTE_ADDR": "198.51.100.7"}
    for _ in range(5):  # right codes never count
        assert client.get("/canvass/api/turf", HTTP_X_CANVASS_CODE=code, **here).status_code == 200
    for guess in ("AAAAA-AAAAA", "CCCCC-CCCCC", "DDDDD-DDDDD"):
        assert client.get("/canvass/api/turf", HTTP_X_CANVASS_CODE=guess, **here).status_code == 403
    blocked = client.get("/canvass/api/turf", HTTP_X_CANVASS_CODE=code, **here)
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) >= 1
    assert client.post("/canvass/captain/", {"code": code}, **here).status_code == 429
    upload = client.post(
        "/canvass/api/visits",
        b'{"visits": []}',
        "application/json",
        HTTP_X_CANVASS_CODE=code,
        **here,
    )
    assert upload.status_code == 429
    elsewhere = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/canvass/api/turf", HTTP_X_CANVASS_CODE=code, **elsewhere).status_code == 200
