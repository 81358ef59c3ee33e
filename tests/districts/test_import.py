"""Importing district maps: the shipped wards, the same file again, a new version, and
every kind of bad file refused with a clear message and nothing changed."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import shapely
from django.core.management import call_command
from django.core.management.base import CommandError

from groundswell.districts import actions
from groundswell.districts.geojson import DistrictFileError
from groundswell.districts.models import District, DistrictSet
from tests.districts.conftest import WARD, WARDS_FILE, collection, feature, grid, square

pytestmark = pytest.mark.django_db


def refused(path: Path, **options: Any) -> list[str]:
    """The problems an import of `path` reports; asserts that nothing was written."""
    sets, districts = DistrictSet.objects.count(), District.objects.count()
    with pytest.raises(DistrictFileError) as caught:
        actions.import_districts(path, options.pop("set_slug", "test-wards"), **options)
    assert (DistrictSet.objects.count(), District.objects.count()) == (sets, districts)
    return caught.value.problems


# --- The shipped ward map -------------------------------------------------------------------


def test_the_shipped_ward_map_imports_its_50_wards(wards: DistrictSet) -> None:
    assert (wards.slug, wards.version, wards.kind) == ("chicago-wards-2023", 1, "ward")
    assert wards.valid_from == datetime.date(2023, 5, 15)
    numbers = sorted(n or 0 for n in wards.districts.values_list("number", flat=True))
    assert numbers == list(range(1, 51))
    ward_12 = wards.districts.get(number=12)
    assert ward_12.division_id == WARD.format(12)
    assert ward_12.name == "Ward 12"
    assert ward_12.geometry.is_valid and ward_12.geometry.geom_type == "MultiPolygon"
    assert (ward_12.min_lon, ward_12.min_lat, ward_12.max_lon, ward_12.max_lat) == pytest.approx(
        ward_12.geometry.bounds
    )


def test_importing_the_same_file_again_changes_nothing(wards: DistrictSet) -> None:
    ids = list(District.objects.order_by("pk").values_list("pk", flat=True))
    again = actions.import_districts(WARDS_FILE, "chicago-wards-2023")
    assert (again.created, again.updated) == (False, False)
    assert again.district_set.pk == wards.pk
    assert list(District.objects.order_by("pk").values_list("pk", flat=True)) == ids
    assert DistrictSet.objects.count() == 1


def test_the_same_map_reformatted_is_the_same_map(wards: DistrictSet, write: Any) -> None:
    document = json.loads(WARDS_FILE.read_text())
    document["features"].reverse()
    path = write(json.dumps(document, indent=2))
    assert actions.import_districts(path, "chicago-wards-2023").created is False


def test_new_dates_or_name_for_the_same_districts_update_the_version(wards: DistrictSet) -> None:
    result = actions.import_districts(
        WARDS_FILE, "chicago-wards-2023", name="Wards", valid_to=datetime.date(2027, 5, 17)
    )
    assert (result.created, result.updated) == (False, True)
    wards.refresh_from_db()
    assert (wards.name, wards.valid_to, wards.version) == ("Wards", datetime.date(2027, 5, 17), 1)


def test_a_changed_file_becomes_a_new_version_and_the_old_one_is_kept(
    wards: DistrictSet, write: Any
) -> None:
    document = json.loads(WARDS_FILE.read_text())
    document["features"] = document["features"][:49]  # a ward merged away
    old_ward_50 = wards.districts.get(number=50)
    result = actions.import_districts(write(document), "chicago-wards-2023")
    assert result.created and result.district_set.version == 2
    assert result.district_set.valid_from == wards.valid_from
    assert result.district_set.districts.count() == 49
    wards.refresh_from_db()
    assert wards.superseded_at is not None
    assert District.objects.get(pk=old_ward_50.pk).set == wards  # history intact
    assert list(DistrictSet.objects.latest_versions()) == [result.district_set]


def test_a_new_map_of_the_same_kind_keeps_the_old_map(wards: DistrictSet, write: Any) -> None:
    newer = actions.import_districts(
        write(grid()), "chicago-wards-2033", valid_from=datetime.date(2033, 5, 16)
    ).district_set
    assert set(DistrictSet.objects.latest_versions()) == {wards, newer}
    assert DistrictSet.objects.current(datetime.date(2030, 1, 1))["ward"] == wards
    assert DistrictSet.objects.current(datetime.date(2033, 5, 16))["ward"] == newer


def test_a_name_property_and_a_precinct_map(write: Any) -> None:
    precinct = "ocd-division/country:us/state:il/place:chicago/ward:1/precinct:7"
    path = write(collection(feature(precinct, square(-87.7, 41.8), name="1st Ward, Precinct 7")))
    result = actions.import_districts(path, "chicago-precincts-2023", kind="precinct")
    district = result.district_set.districts.get()
    assert (district.name, district.number, result.district_set.kind) == (
        "1st Ward, Precinct 7",
        7,
        "precinct",
    )


def test_a_polygon_with_a_hole_and_a_third_coordinate(write: Any) -> None:
    shell = [[-87.7, 41.8, 180.0], [-87.6, 41.8, 180.0], [-87.6, 41.9, 180.0], [-87.7, 41.8, 180.0]]
    hole = [[-87.66, 41.81], [-87.62, 41.81], [-87.62, 41.83], [-87.66, 41.81]]
    path = write(collection(feature(WARD.format(1), [shell, hole])))
    district = actions.import_districts(path, "test-wards").district_set.districts.get()
    assert len(district.geometry.interiors) == 1
    assert not shapely.has_z(district.geometry)


# --- The command ---------------------------------------------------------------------------


def test_the_command_imports_then_says_nothing_changed(db: None) -> None:
    out = StringIO()
    call_command(
        "import_districts",
        str(WARDS_FILE),
        "--set",
        "chicago-wards-2023",
        "--valid-from",
        "2023-05-15",
        stdout=out,
    )
    assert (
        "Imported chicago-wards-2023 version 1 (50 wards, in force from 2023-05-15)"
        in out.getvalue()
    )
    out = StringIO()
    call_command("import_districts", str(WARDS_FILE), "--set", "chicago-wards-2023", stdout=out)
    assert "already up to date: nothing changed" in out.getvalue()


def test_the_command_refuses_a_bad_file_with_every_problem(write: Any) -> None:
    path = write(
        collection(feature(None, square(-87.7, 41.8)), feature("ward 2", square(-87.6, 41.8)))
    )
    with pytest.raises(CommandError) as caught:
        call_command("import_districts", str(path), "--set", "test-wards")
    message = str(caught.value)
    assert "was not imported; nothing changed" in message
    assert "Feature 1 has no division_id property" in message
    assert "Feature 2 (ward 2): division_id is not an Open Civic Data division id" in message
    assert not DistrictSet.objects.exists()


def test_the_command_exits_non_zero_on_a_bad_file(write: Any, tmp_path: Path) -> None:
    import subprocess
    import sys

    path = write(b"not json")
    done = subprocess.run(
        [sys.executable, "manage.py", "import_districts", str(path), "--set", "x"],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cmd.sqlite3'}"},
        timeout=120,
    )
    assert done.returncode == 1
    assert "The file is not valid JSON" in done.stderr


# --- Bad files: a clear message each, and nothing written ----------------------------------


def test_not_json(write: Any) -> None:
    assert refused(write(b"ward,shape\n1,POLYGON((...))"))[0].startswith(
        "The file is not valid JSON"
    )


def test_not_utf8(write: Any) -> None:
    assert refused(write(b"\xff\xfe{\x00"))[0] == "The file is not text in UTF-8: is it GeoJSON?"


def test_nan_is_not_json(write: Any) -> None:
    text = json.dumps(grid()).replace("41.8", "NaN", 1)
    assert "not valid JSON" in refused(write(text))[0]


def test_json_that_is_not_a_feature_collection(write: Any) -> None:
    assert "not a GeoJSON FeatureCollection" in refused(write({"type": "Feature"}))[0]
    assert "not a GeoJSON FeatureCollection" in refused(write([1, 2, 3]))[0]
    assert refused(write(collection())) == ["The FeatureCollection has no features."]


def test_fifty_megabytes_of_nonsense_are_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "nonsense.geojson"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    problems = refused(path)
    assert problems == [
        "The file is larger than 25 MB (DISTRICTS_IMPORT_MAX_MB): is it the right file?"
    ]


def test_the_size_cap_applies_to_an_open_file(settings: Any, write: Any) -> None:
    settings.DISTRICTS_IMPORT_MAX_MB = 1
    big = write(json.dumps(grid()) + " " * (1024 * 1024))
    with big.open("rb") as handle, pytest.raises(DistrictFileError, match="larger than 1 MB"):
        actions.import_districts(handle, "test-wards")


def test_a_crs_other_than_wgs84(write: Any) -> None:
    document = grid()
    document["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3435"}}
    problems = refused(write(document))
    assert problems == [
        "The file declares the coordinate system urn:ogc:def:crs:EPSG::3435: coordinates must "
        "be WGS84 longitude/latitude (reproject the file, e.g. ogr2ogr -t_srs EPSG:4326 "
        "out.geojson in.geojson)."
    ]


def test_a_crs84_declaration_is_fine(write: Any) -> None:
    document = grid()
    document["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    assert actions.import_districts(write(document), "test-wards").created


def test_projected_coordinates(write: Any) -> None:
    # Illinois State Plane East (feet), as Chicago's data portal also publishes.
    state_plane = [[1175000, 1900000], [1176000, 1900000], [1176000, 1901000], [1175000, 1900000]]
    problems = refused(write(collection(feature(WARD.format(1), [state_plane]))))
    assert problems[0].startswith(
        "Feature 1 (ocd-division/country:us/state:il/place:chicago/ward:1) has coordinates out "
        "of the range of longitude/latitude"
    )
    assert "they look projected; reproject the file to WGS84 (EPSG:4326)" in problems[0]


def test_swapped_axes(write: Any) -> None:
    document = grid()
    for item in document["features"]:
        rings = item["geometry"]["coordinates"]
        item["geometry"]["coordinates"] = [[[y, x] for x, y in ring] for ring in rings]
    problems = refused(write(document))
    assert len(problems) == 4
    assert problems[0] == (
        "Feature 1 (ocd-division/country:us/state:il/place:chicago/ward:1): the coordinates look "
        "swapped (latitude first); GeoJSON puts longitude first."
    )


def test_swapped_axes_in_the_shipped_file(write: Any) -> None:
    document = json.loads(WARDS_FILE.read_text())
    for item in document["features"]:
        item["geometry"]["coordinates"] = [
            [[[y, x] for x, y in ring] for ring in polygon]
            for polygon in item["geometry"]["coordinates"]
        ]
    problems = refused(write(document))
    assert len(problems) == 21  # 20 listed, then how many more
    assert problems[-1] == "… and 30 more problems."
    assert all("look swapped" in problem for problem in problems[:20])


def test_a_place_outside_the_united_states(write: Any) -> None:
    problems = refused(write(collection(feature(WARD.format(1), square(2.35, 48.85)))))
    assert "lies outside the United States" in problems[0]


def test_a_self_intersecting_shape(write: Any) -> None:
    bowtie = [[[-87.70, 41.80], [-87.60, 41.90], [-87.60, 41.80], [-87.70, 41.90], [-87.70, 41.80]]]
    problems = refused(write(collection(feature(WARD.format(7), bowtie))))
    assert problems == [
        "Feature 1 (ocd-division/country:us/state:il/place:chicago/ward:7) has an invalid "
        "shape: Self-intersection[-87.65 41.85] (repair it, e.g. with ogr2ogr -makevalid or "
        "QGIS's Fix geometries)."
    ]


def test_an_unclosed_ring_and_a_bad_position(write: Any) -> None:
    unclosed = [[[-87.7, 41.8], [-87.6, 41.8], [-87.6, 41.9], [-87.7, 41.9]]]
    text_position = [[["-87.7", "41.8"], [-87.6, 41.8], [-87.6, 41.9], ["-87.7", "41.8"]]]
    problems = refused(
        write(collection(feature(WARD.format(1), unclosed), feature(WARD.format(2), text_position)))
    )
    assert problems[0].endswith("has malformed coordinates: a ring does not end where it starts.")
    assert problems[1].endswith(
        'has malformed coordinates: ["-87.7", "41.8"] is not a position [longitude, latitude].'
    )


def test_geometries_that_are_not_areas(write: Any) -> None:
    problems = refused(
        write(
            collection(
                feature(WARD.format(1), [-87.65, 41.85], kind="Point"),
                {
                    "type": "Feature",
                    "properties": {"division_id": WARD.format(2)},
                    "geometry": None,
                },
            )
        )
    )
    assert problems == [
        "Feature 1 (ocd-division/country:us/state:il/place:chicago/ward:1) is a Point: districts "
        "must be Polygons or MultiPolygons.",
        "Feature 2 (ocd-division/country:us/state:il/place:chicago/ward:2) has no geometry.",
    ]


def test_missing_duplicate_and_malformed_division_ids(write: Any) -> None:
    problems = refused(
        write(
            collection(
                feature(WARD.format(1), square(-87.70, 41.80)),
                feature(WARD.format(1), square(-87.68, 41.80)),
                feature(None, square(-87.66, 41.80), ward="3"),
                feature("OCD-Division/Country:US/ward:4", square(-87.64, 41.80)),
                feature(
                    "ocd-division/country:us/state:il/place:chicago/ward 5", square(-87.6, 41.8)
                ),
            )
        )
    )
    assert problems == [
        "Feature 2 (ocd-division/country:us/state:il/place:chicago/ward:1): the same "
        "division_id as feature 1.",
        "Feature 3 has no division_id property.",
        "Feature 4 (OCD-Division/Country:US/ward:4): division_id is not an Open Civic Data "
        "division id such as ocd-division/country:us/state:il/place:chicago/ward:12.",
        "Feature 5 (ocd-division/country:us/state:il/place:chicago/ward 5): division_id is not "
        "an Open Civic Data division id such as "
        "ocd-division/country:us/state:il/place:chicago/ward:12.",
    ]


def test_another_id_property(write: Any) -> None:
    document = collection(feature(None, square(-87.7, 41.8), ocd_id=WARD.format(3)))
    result = actions.import_districts(write(document), "test-wards", id_property="ocd_id")
    assert result.district_set.districts.get().number == 3


def test_a_bad_file_leaves_the_current_map_alone(wards: DistrictSet, write: Any) -> None:
    refused(write(b"{}"), set_slug="chicago-wards-2023")
    assert list(DistrictSet.objects.latest_versions()) == [wards]
    assert wards.districts.count() == 50


def test_a_missing_file(tmp_path: Path) -> None:
    assert refused(tmp_path / "nowhere.geojson") == [
        "The file cannot be read: No such file or directory."
    ]
