"""GET /districts/locate.json: the public lookup of a point's ward."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from groundswell.districts import actions
from groundswell.districts.models import DistrictSet
from tests.districts.conftest import WARD, grid

pytestmark = pytest.mark.django_db
URL = "/districts/locate.json"


def test_a_point_in_a_ward(client: Client, wards: DistrictSet) -> None:
    response = client.get(URL, {"lat": "41.88357", "lon": "-87.63205"})
    assert response.status_code == 200
    assert response.json() == {
        "division_id": WARD.format(42),
        "name": "Ward 42",
        "set": "chicago-wards-2023",
    }
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
    assert not response.cookies


def test_a_point_outside_every_ward(client: Client, wards: DistrictSet) -> None:
    response = client.get(URL, {"lat": "42.0451", "lon": "-87.6877"})  # Evanston
    assert response.status_code == 200
    assert response.json() == {"division_id": None}


def test_another_map_by_its_slug(client: Client, wards: DistrictSet, write: Any) -> None:
    actions.import_districts(write(grid()), "grid")
    response = client.get(URL, {"lat": "41.805", "lon": "-87.695", "set": "grid"})
    assert response.json() == {"division_id": WARD.format(3), "name": "Ward 3", "set": "grid"}
    response = client.get(URL, {"lat": "41.805", "lon": "-87.695", "set": "nowhere"})
    assert response.status_code == 404
    assert response.json() == {"error": "There is no district map nowhere."}


def test_no_ward_map_loaded(client: Client) -> None:
    response = client.get(URL, {"lat": "41.88", "lon": "-87.63"})
    assert response.status_code == 404
    assert response.json() == {"error": "No ward map has been loaded yet."}


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({}, "Give the point as lat and lon in decimal degrees, e.g. ?lat=41.88&lon=-87.63."),
        (
            {"lat": "41.88"},
            "Give the point as lat and lon in decimal degrees, e.g. ?lat=41.88&lon=-87.63.",
        ),
        ({"lat": "north", "lon": "-87.63"}, "lat must be a number in decimal degrees."),
        ({"lat": "41.88", "lon": "-87,63"}, "lon must be a number in decimal degrees."),
        ({"lat": "NaN", "lon": "-87.63"}, "lat must be between -90 and 90."),
        ({"lat": "41.88", "lon": "inf"}, "lon must be between -180 and 180."),
        ({"lat": "91", "lon": "-87.63"}, "lat must be between -90 and 90."),
        ({"lat": "41.88", "lon": "-180.5"}, "lon must be between -180 and 180."),
        ({"lat": "1e999", "lon": "0"}, "lat must be between -90 and 90."),
    ],
)
def test_bad_coordinates_get_400(
    client: Client, wards: DistrictSet, query: dict[str, str], error: str
) -> None:
    response = client.get(URL, query)
    assert response.status_code == 400
    assert response.json() == {"error": error}
    assert "max-age" not in response.get("Cache-Control", "")


def test_only_get_and_head(client: Client, wards: DistrictSet) -> None:
    assert client.post(URL, {"lat": "41.88", "lon": "-87.63"}).status_code == 405
    assert client.head(URL, {"lat": "41.88", "lon": "-87.63"}).status_code == 200
