"""District tests: maps imported through the same action the command runs, small maps
written by the test, and a real HTTP geocoder on 127.0.0.1 started by the test."""

from __future__ import annotations

import datetime
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from groundswell.districts import actions, geocoding, locate
from groundswell.districts.models import DistrictSet

WARDS_FILE = (
    Path(__file__).resolve().parents[2]
    / "groundswell"
    / "districts"
    / "data"
    / "chicago-wards-2023.geojson"
)
WARD = "ocd-division/country:us/state:il/place:chicago/ward:{}"


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    """Each test starts as a new process would: no index, no geocoder trouble."""
    locate.forget_indexes()
    geocoding.trouble.reset()
    yield
    locate.forget_indexes()
    geocoding.trouble.reset()


@pytest.fixture
def wards(db: None) -> DistrictSet:
    """The 50 wards of the 2023 map, imported as `make demo` does."""
    return actions.import_districts(
        WARDS_FILE,
        "chicago-wards-2023",
        name="Chicago wards (2023–)",
        valid_from=datetime.date(2023, 5, 15),
    ).district_set


def square(west: float, south: float, size: float = 0.01) -> list[list[list[float]]]:
    east, north = west + size, south + size
    return [[[west, south], [east, south], [east, north], [west, north], [west, south]]]


def feature(
    division_id: str | None, coordinates: Any, kind: str = "Polygon", **properties: Any
) -> dict:
    props = dict(properties)
    if division_id is not None:
        props["division_id"] = division_id
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": kind, "coordinates": coordinates},
    }


def collection(*features: dict, **members: Any) -> dict:
    return {"type": "FeatureCollection", **members, "features": list(features)}


def grid(west: float = -87.70, south: float = 41.80) -> dict:
    """Four square wards around (south + 0.01, west + 0.01), numbered like a page:
    1 2 on top, 3 4 below; each shares an edge with two and a corner with all."""
    return collection(
        feature(WARD.format(1), square(west, south + 0.01)),
        feature(WARD.format(2), square(west + 0.01, south + 0.01)),
        feature(WARD.format(3), square(west, south)),
        feature(WARD.format(4), square(west + 0.01, south)),
    )


@pytest.fixture
def write(tmp_path: Path) -> Any:
    """Write a GeoJSON document (or raw bytes) to a file and return its path."""
    counter = iter(range(1000))

    def write(document: dict | bytes | str) -> Path:
        path = tmp_path / f"map-{next(counter)}.geojson"
        if isinstance(document, bytes):
            path.write_bytes(document)
        elif isinstance(document, str):
            path.write_text(document, encoding="utf-8")
        else:
            path.write_text(json.dumps(document), encoding="utf-8")
        return path

    return write


# --- A geocoder on 127.0.0.1 ---------------------------------------------------------------


@dataclass
class Asked:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class GeocoderServer:
    """Answers like the Census geocoder (/locations/onelineaddress), Nominatim (/search)
    or Pelias (/v1/search), at the point `lat`, `lon` with `precision` for that API;
    `behaviour` makes it misbehave: "slow" (sleeps past any timeout), "trickle" (sends
    the answer a byte at a time), "garbage", "html", "500", "empty", "out-of-range",
    "huge", "wrong-shape"."""

    lat: float = 41.8578
    lon: float = -87.6602
    behaviour: str = "ok"
    nominatim_rank: int = 30
    pelias_layer: str = "address"
    asked: list[Asked] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    def url(self, prefix: str = "") -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}{prefix}"

    def answer(self, path: str) -> Any:
        lat, lon = (self.lat, self.lon) if self.behaviour != "out-of-range" else (123.0, -87.6)
        empty = self.behaviour == "empty"
        if path.endswith("/locations/onelineaddress"):
            matches = (
                []
                if empty
                else [
                    {
                        "matchedAddress": "1234 W 18TH ST, CHICAGO, IL, 60608",
                        "coordinates": {"x": lon, "y": lat},
                        "tigerLine": {"tigerLineId": "111800000", "side": "L"},
                        "addressComponents": {"zip": "60608", "city": "CHICAGO", "state": "IL"},
                    }
                ]
            )
            return {
                "result": {
                    "input": {"benchmark": {"benchmarkName": "Public_AR_Current"}},
                    "addressMatches": matches,
                }
            }
        if path.endswith("/v1/search"):
            features = (
                []
                if empty
                else [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [lon, lat]},
                        "properties": {
                            "layer": self.pelias_layer,
                            "accuracy": "point",
                            "confidence": 1,
                            "label": "1234 W 18th St, Chicago, IL",
                        },
                    }
                ]
            )
            return {
                "geocoding": {"version": "0.2"},
                "type": "FeatureCollection",
                "features": features,
            }
        if path.endswith("/search"):
            return (
                []
                if empty
                else [
                    {
                        "place_id": 1,
                        "lat": str(lat),
                        "lon": str(lon),
                        "category": "building",
                        "type": "house",
                        "place_rank": self.nominatim_rank,
                        "addresstype": "building",
                        "display_name": "1234, West 18th Street, Pilsen, Chicago, Illinois, 60608",
                    }
                ]
            )
        return None


@pytest.fixture
def geocoder_server(settings: Any) -> Iterator[GeocoderServer]:
    state = GeocoderServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            state.asked.append(Asked(parts.path, query, dict(self.headers)))
            if state.behaviour == "slow":
                time.sleep(1.5)
            status, body, kind = 200, b"", "application/json"
            if state.behaviour == "500":
                status, body = 500, b'{"error": "internal"}'
            elif state.behaviour == "garbage":
                body = b"\x89PNG not json at all"
            elif state.behaviour == "html":
                body, kind = b"<html><body>Service moved</body></html>", "text/html"
            elif state.behaviour == "huge":
                body = b"[" + b'"padding",' * 200_000 + b"1]"
            elif state.behaviour == "wrong-shape":
                body = json.dumps({"unexpected": True}).encode()
            else:
                answer = state.answer(parts.path)
                if answer is None:
                    status, body = 404, b"{}"
                else:
                    body = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                if state.behaviour == "trickle":
                    for byte in body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.05)
                else:
                    self.wfile.write(body)
            except OSError:
                pass  # the client gave up

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.server = server
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.GEOCODER_URL = state.url()
    settings.GEOCODER_KIND = "census"
    settings.GEOCODER_TIMEOUT = 0.5
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
