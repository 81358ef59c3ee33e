"""Geocoding addresses against a real HTTP server on 127.0.0.1 speaking each provider's
API: answers, the cache, the ZIP fallback, and every way a geocoder can fail."""

from __future__ import annotations

import datetime
import logging
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from groundswell.core import clock
from groundswell.core.network import InsideTransaction
from groundswell.districts import actions, geocoding
from groundswell.districts.geocoding import Location, geocode, locate_address, zip_point
from groundswell.districts.models import DistrictSet, GeocodedAddress
from tests.districts.conftest import WARD, GeocoderServer

pytestmark = pytest.mark.django_db
ADDRESS = "1234 W 18th St, Chicago, IL 60608"


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "groundswell.districts.geocoding" and r.levelno >= logging.WARNING
    ]


# --- Each provider's shape ------------------------------------------------------------------


def test_the_census_geocoder(geocoder_server: GeocoderServer, settings: Any) -> None:
    settings.GEOCODER_URL = geocoder_server.url("/geocoder")
    assert geocode(ADDRESS) == Location(41.8578, -87.6602, "interpolated", "census")
    asked = geocoder_server.asked[0]
    assert asked.path == "/geocoder/locations/onelineaddress"
    assert asked.query == {"address": ADDRESS, "benchmark": "Public_AR_Current", "format": "json"}
    assert asked.headers["User-Agent"].startswith("Groundswell-Geocoding/")


def test_nominatim(geocoder_server: GeocoderServer, settings: Any) -> None:
    settings.GEOCODER_KIND = "nominatim"
    assert geocode(ADDRESS) == Location(41.8578, -87.6602, "rooftop", "nominatim")
    asked = geocoder_server.asked[0]
    assert asked.path == "/search"
    assert asked.query == {"q": ADDRESS, "format": "jsonv2", "limit": "1", "countrycodes": "us"}


def test_nominatim_precision_follows_the_place_rank(
    geocoder_server: GeocoderServer, settings: Any
) -> None:
    settings.GEOCODER_KIND = "nominatim"
    geocoder_server.nominatim_rank = 26
    assert geocode("W 18th St, Chicago, IL").precision == "street"  # type: ignore[union-attr]
    geocoder_server.nominatim_rank = 16
    assert geocode("Chicago, IL").precision == "area"  # type: ignore[union-attr]


def test_pelias(geocoder_server: GeocoderServer, settings: Any) -> None:
    settings.GEOCODER_KIND = "pelias"
    settings.GEOCODER_URL = geocoder_server.url() + "?api_key=secret-key"
    assert geocode(ADDRESS) == Location(41.8578, -87.6602, "rooftop", "pelias")
    asked = geocoder_server.asked[0]
    assert asked.path == "/v1/search"
    assert asked.query == {
        "text": ADDRESS,
        "size": "1",
        "boundary.country": "USA",
        "api_key": "secret-key",
    }
    geocoder_server.pelias_layer = "street"
    assert geocode("W 18th St, Chicago").precision == "street"  # type: ignore[union-attr]


def test_the_zip_code_is_added_to_the_query(geocoder_server: GeocoderServer) -> None:
    geocode("1234 W 18th St, Chicago, IL", zip_code="60608-1234")
    assert geocoder_server.asked[0].query["address"] == "1234 W 18th St, Chicago, IL 60608"


# --- The cache ------------------------------------------------------------------------------


def test_a_repeated_address_costs_no_http_call(geocoder_server: GeocoderServer) -> None:
    first = geocode(ADDRESS)
    assert geocode(ADDRESS) == first
    assert geocode("  1234 w 18th st,   CHICAGO, il 60608. ") == first
    assert len(geocoder_server.asked) == 1


def test_the_cache_keeps_no_address(geocoder_server: GeocoderServer) -> None:
    geocode(ADDRESS)
    row = GeocodedAddress.objects.get()
    stored = " ".join(str(value) for value in GeocodedAddress.objects.values().get().values())
    assert "18th" not in stored.lower() and "60608" not in stored
    assert len(row.key) == 64
    assert row.expires_at > timezone.now() + datetime.timedelta(days=89)


def test_an_expired_answer_is_asked_again_and_pruned(geocoder_server: GeocoderServer) -> None:
    geocode(ADDRESS)
    GeocodedAddress.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    geocode(ADDRESS)
    assert len(geocoder_server.asked) == 2
    GeocodedAddress.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert actions.prune_geocodes() == 1
    assert not GeocodedAddress.objects.exists()
    assert "districts.prune_geocodes" in [job.name for job in clock.jobs()]  # daily, in the worker


def test_nothing_found_is_remembered_for_a_day(geocoder_server: GeocoderServer) -> None:
    geocoder_server.behaviour = "empty"
    assert geocode("1 Nowhere Lane, Chicago, IL") is None
    assert geocode("1 Nowhere Lane, Chicago, IL") is None
    assert len(geocoder_server.asked) == 1
    row = GeocodedAddress.objects.get()
    assert row.lat is None and row.expires_at < timezone.now() + datetime.timedelta(
        days=1, seconds=5
    )


def test_nothing_found_falls_back_to_the_zip_point(geocoder_server: GeocoderServer) -> None:
    geocoder_server.behaviour = "empty"
    assert geocode("1 Nowhere Lane, Chicago, IL 60623") == Location(41.85, -87.72, "zip", "zip")


# --- Failures: None (or the ZIP point), one log line, never an exception -----------------


@pytest.mark.parametrize(
    ("behaviour", "logged"),
    [
        ("500", "HTTP 500"),
        ("garbage", "the answer is not JSON"),
        ("html", "the answer is not JSON"),
        ("wrong-shape", "the answer is not in the expected shape"),
        ("out-of-range", "the answer's coordinates are out of range"),
        ("huge", "the answer is larger than 1 MB"),
    ],
)
def test_a_bad_answer_gives_none_and_one_log_line(
    geocoder_server: GeocoderServer,
    caplog: pytest.LogCaptureFixture,
    behaviour: str,
    logged: str,
) -> None:
    geocoder_server.behaviour = behaviour
    caplog.set_level(logging.WARNING)
    assert geocode("1234 W 18th St, Chicago, IL") is None
    assert geocode("1300 S Kedzie Ave, Chicago, IL") is None
    assert geocode(ADDRESS) == zip_point("60608")
    assert not GeocodedAddress.objects.exists()  # failures are never kept
    messages = warnings_of(caplog)
    assert len(messages) == 1
    assert logged in messages[0] and "census geocoder at 127.0.0.1" in messages[0]
    assert "18th" not in messages[0]


def test_a_slow_geocoder_times_out_then_is_left_alone_for_a_while(
    geocoder_server: GeocoderServer, caplog: pytest.LogCaptureFixture
) -> None:
    geocoder_server.behaviour = "slow"
    caplog.set_level(logging.WARNING)
    started = timezone.now()
    assert geocode(ADDRESS) == zip_point("60608")
    assert (timezone.now() - started).total_seconds() < 1.2
    assert geocode("1300 S Kedzie Ave, Chicago, IL") is None  # paused: not asked
    assert len(geocoder_server.asked) == 1
    assert warnings_of(caplog) == [
        "Geocoding with the census geocoder at 127.0.0.1 failed (GeocoderFailed: no answer "
        "within 0.5 s); retrying"
    ]


def test_the_timeout_bounds_the_whole_answer(
    geocoder_server: GeocoderServer, caplog: pytest.LogCaptureFixture
) -> None:
    geocoder_server.behaviour = "trickle"  # a byte every 50 ms: ~20 s for the answer
    caplog.set_level(logging.WARNING)
    started = timezone.now()
    assert geocode("1234 W 18th St, Chicago, IL") is None
    assert (timezone.now() - started).total_seconds() < 1.2
    assert "no whole answer within 0.5 s" in warnings_of(caplog)[0]


def test_a_geocoder_that_answers_again_is_logged_once(
    geocoder_server: GeocoderServer, caplog: pytest.LogCaptureFixture
) -> None:
    geocoder_server.behaviour = "500"
    caplog.set_level(logging.WARNING)
    geocode("1234 W 18th St, Chicago, IL")
    geocoding.trouble.paused_until = 0.0  # the pause is over
    geocoder_server.behaviour = "ok"
    assert geocode("1234 W 18th St, Chicago, IL") is not None
    messages = warnings_of(caplog)
    assert len(messages) == 2 and "works again" in messages[1]


def test_a_geocoder_nobody_listens_on(settings: Any, caplog: pytest.LogCaptureFixture) -> None:
    import socket

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    settings.GEOCODER_URL = f"http://127.0.0.1:{port}"
    settings.GEOCODER_TIMEOUT = 0.5
    caplog.set_level(logging.WARNING)
    assert geocode("1234 W 18th St, Chicago, IL") is None
    assert "ConnectionRefusedError" in warnings_of(caplog)[0]


def test_geocoding_inside_a_transaction_is_refused(geocoder_server: GeocoderServer) -> None:
    refused = pytest.raises(InsideTransaction, match="Geocoding inside a database transaction")
    with refused, transaction.atomic():
        geocode(ADDRESS)
    assert not geocoder_server.asked


# --- Without a geocoder: the ZIP points ---------------------------------------------------


def test_without_a_geocoder_only_the_zip_point(settings: Any) -> None:
    settings.GEOCODER_URL = ""
    assert geocode("1234 W 18th St, Chicago, IL 60608") == Location(41.85, -87.67, "zip", "zip")
    assert geocode("1234 W 18th St", zip_code="60623") == Location(41.85, -87.72, "zip", "zip")
    assert geocode("1234 W 18th St") is None
    assert geocode("10 Main St, Springfield, IL 62701") is None  # not a Chicago ZIP code
    assert not GeocodedAddress.objects.exists()


def test_every_zip_point_is_in_a_ward(wards: DistrictSet) -> None:
    from groundswell.districts.locate import locate

    points = geocoding._zip_points()
    assert len(points) == 59
    outside = [code for code, (lat, lon) in points.items() if locate(lat, lon) is None]
    assert outside == []


# --- An address's ward ----------------------------------------------------------------------


def test_an_address_geocoded_precisely_has_a_ward(
    geocoder_server: GeocoderServer, wards: DistrictSet
) -> None:
    found = locate_address("1234 W 18th St, Chicago, IL", zip_code="60608")
    assert found.precision == "interpolated"
    assert found.district is not None and found.district.division_id.startswith(WARD.format(""))
    assert found.likely_district == found.district


def test_a_zip_point_is_never_a_ward_fact(settings: Any, wards: DistrictSet) -> None:
    settings.GEOCODER_URL = ""
    found = locate_address("1234 W 18th St", zip_code="60608")
    assert found.precision == "zip"
    assert found.district is None
    assert found.likely_district is not None  # for estimates only


def test_a_street_is_not_a_ward_fact(
    geocoder_server: GeocoderServer, settings: Any, wards: DistrictSet
) -> None:
    settings.GEOCODER_KIND = "pelias"
    geocoder_server.pelias_layer = "street"
    found = locate_address("W 18th St, Chicago, IL")
    assert found.precision == "street" and found.district is None


def test_no_address_no_location(settings: Any, wards: DistrictSet) -> None:
    settings.GEOCODER_URL = ""
    found = locate_address("")
    assert (found.location, found.district, found.likely_district) == (None, None, None)
