"""The HTTP geocoders an operator can run or choose, one adapter per API shape.

GEOCODER_URL is the service's base address; GEOCODER_KIND says which shape it speaks:

- `census`: the US Census Bureau geocoder, e.g. https://geocoding.geo.census.gov/geocoder
  (GET {url}/locations/onelineaddress?address=…&benchmark=Public_AR_Current&format=json;
  the point is `result.addressMatches[0].coordinates` {x: lon, y: lat}, interpolated
  along the street's address range);
- `nominatim`: Nominatim (OpenStreetMap), e.g. a server of your own
  (GET {url}/search?format=jsonv2&q=…&limit=1; a list of places with `lat`, `lon` as
  strings and `place_rank`, 30 for a house);
- `pelias`: Pelias, e.g. your own or a hosted one (GET {url}/v1/search?text=…&size=1; a
  GeoJSON FeatureCollection, `properties.layer` "address", "street", "postalcode"…).

Query parameters in GEOCODER_URL are sent with every request and win over the defaults
above (an API key, another Census benchmark, Nominatim's `email`). The address is never
logged, nor the URL's query (it may hold a key).

An adapter returns a Location, None when the service found nothing, or raises
GeocoderFailed for a timeout, a refused connection, an HTTP error, an answer that is not
JSON or not in the expected shape, or coordinates that cannot be a place on Earth.
groundswell.districts.geocoding turns that into None and one log line.
"""

from __future__ import annotations

import http.client
import json
import math
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit

MAX_ANSWER = 1024 * 1024  # bytes; a geocoder's answer for one address is a few KB
USER_AGENT = "Groundswell-Geocoding/1 (self-hosted organizing platform)"
KINDS = ("census", "nominatim", "pelias")


class Precision:
    """How close a Location is to the address, best first."""

    ROOFTOP = "rooftop"  # the building or parcel itself
    INTERPOLATED = "interpolated"  # along the street's address range, on the right block
    STREET = "street"  # somewhere on the street: a long street crosses many wards
    ZIP = "zip"  # somewhere in the ZIP code
    AREA = "area"  # a neighbourhood, a city

    WARD_FACTS = frozenset({ROOFTOP, INTERPOLATED})


@dataclass(frozen=True, slots=True)
class Location:
    """A point for an address, how precise it is, and where it came from ("census",
    "nominatim", "pelias", or "zip" for the shipped ZIP points)."""

    lat: float
    lon: float
    precision: str
    source: str

    @property
    def is_ward_fact(self) -> bool:
        """Precise enough to tell a person which ward they live in (rooftop or an
        interpolated address); a ZIP, street or area point never is."""
        return self.precision in Precision.WARD_FACTS


class GeocoderFailed(Exception):
    """The service did not answer usably (the message never holds the address).
    `unreachable`: it timed out, refused the connection or said it is overloaded, so
    asking again at once would only wait again."""

    def __init__(self, message: str, *, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable


class Geocoder(Protocol):
    name: str

    def geocode(self, address: str) -> Location | None: ...


def point(lat: object, lon: object, precision: str, source: str) -> Location:
    """A Location from an answer's values, or GeocoderFailed if they are no coordinates."""
    try:
        y, x = float(lat), float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise GeocoderFailed("the answer's coordinates are not numbers") from None
    if not (math.isfinite(x) and math.isfinite(y) and -90 <= y <= 90 and -180 <= x <= 180):
        raise GeocoderFailed("the answer's coordinates are out of range")
    return Location(lat=y, lon=x, precision=precision, source=source)


class HttpGeocoder:
    name = ""
    path = ""
    address_parameter = ""
    defaults: dict[str, str] = {}

    def __init__(self, url: str, timeout: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("GEOCODER_URL must be an http:// or https:// URL")
        self.https = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port
        self.base_path = parts.path.rstrip("/")
        self.parameters = dict(parse_qsl(parts.query, keep_blank_values=True))
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"{self.name} geocoder at {self.host}"

    def geocode(self, address: str) -> Location | None:
        answer = self.get({**self.defaults, **self.parameters, self.address_parameter: address})
        try:
            return self.read(answer)
        except (KeyError, IndexError, TypeError, AttributeError, ValueError):
            raise GeocoderFailed("the answer is not in the expected shape") from None

    def read(self, answer: Any) -> Location | None:
        raise NotImplementedError

    def get(self, parameters: dict[str, str]) -> Any:
        """GET the path with these parameters and return the JSON answer; the whole
        exchange (connecting, waiting, reading) is bounded by the timeout."""
        deadline = time.monotonic() + self.timeout
        connection: http.client.HTTPConnection
        if self.https:
            connection = http.client.HTTPSConnection(
                self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        target = f"{self.base_path}{self.path}?{urlencode(parameters)}"
        try:
            connection.request(
                "GET", target, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
            )
            if connection.sock is not None:
                connection.sock.settimeout(max(0.001, deadline - time.monotonic()))
            response = connection.getresponse()
            if response.status != 200:
                busy = response.status >= 500 or response.status == 429
                raise GeocoderFailed(f"HTTP {response.status}", unreachable=busy)
            body = bytearray()
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise GeocoderFailed(
                        f"no whole answer within {self.timeout:g} s", unreachable=True
                    )
                if connection.sock is not None:
                    connection.sock.settimeout(left)
                chunk = response.read1(65536)
                if not chunk:
                    break
                body += chunk
                if len(body) > MAX_ANSWER:
                    raise GeocoderFailed("the answer is larger than 1 MB")
        except TimeoutError:
            raise GeocoderFailed(f"no answer within {self.timeout:g} s", unreachable=True) from None
        except socket.gaierror:
            raise GeocoderFailed(f"cannot resolve {self.host}", unreachable=True) from None
        except OSError as exc:
            raise GeocoderFailed(f"{type(exc).__name__}: {exc}"[:200], unreachable=True) from None
        except http.client.HTTPException as exc:
            raise GeocoderFailed(f"{type(exc).__name__}: {exc}"[:200]) from None
        finally:
            connection.close()
        try:
            return json.loads(body)
        except ValueError:
            raise GeocoderFailed("the answer is not JSON") from None


class Census(HttpGeocoder):
    name = "census"
    path = "/locations/onelineaddress"
    address_parameter = "address"
    defaults = {"benchmark": "Public_AR_Current", "format": "json"}

    def read(self, answer: Any) -> Location | None:
        matches = answer["result"]["addressMatches"]
        if not isinstance(matches, list):
            raise GeocoderFailed("the answer's addressMatches is not a list")
        if not matches:
            return None
        coordinates = matches[0]["coordinates"]
        return point(coordinates["y"], coordinates["x"], Precision.INTERPOLATED, self.name)


class Nominatim(HttpGeocoder):
    name = "nominatim"
    path = "/search"
    address_parameter = "q"
    defaults = {"format": "jsonv2", "limit": "1", "countrycodes": "us"}

    def read(self, answer: Any) -> Location | None:
        if not isinstance(answer, list):
            raise GeocoderFailed("the answer is not a list of places")
        if not answer:
            return None
        place = answer[0]
        rank = int(place.get("place_rank") or 0)
        if "postcode" in (place.get("type"), place.get("addresstype")):
            precision = Precision.ZIP
        elif rank >= 30:
            precision = Precision.ROOFTOP
        elif rank >= 26:
            precision = Precision.STREET
        else:
            precision = Precision.AREA
        return point(place["lat"], place["lon"], precision, self.name)


class Pelias(HttpGeocoder):
    name = "pelias"
    path = "/v1/search"
    address_parameter = "text"
    defaults = {"size": "1", "boundary.country": "USA"}

    def read(self, answer: Any) -> Location | None:
        if not isinstance(answer, dict) or not isinstance(answer.get("features"), list):
            raise GeocoderFailed("the answer is not a GeoJSON FeatureCollection")
        if not answer["features"]:
            return None
        feature = answer["features"][0]
        properties = feature.get("properties") or {}
        layer = properties.get("layer")
        if layer in ("address", "venue"):
            exact = properties.get("accuracy") == "point"
            exact = exact and properties.get("match_type") != "interpolated"
            precision = Precision.ROOFTOP if exact else Precision.INTERPOLATED
        elif layer == "street":
            precision = Precision.STREET
        elif layer == "postalcode":
            precision = Precision.ZIP
        else:
            precision = Precision.AREA
        lon, lat = feature["geometry"]["coordinates"][:2]
        return point(lat, lon, precision, self.name)


ADAPTERS: dict[str, type[HttpGeocoder]] = {
    "census": Census,
    "nominatim": Nominatim,
    "pelias": Pelias,
}


def configured(url: str, kind: str, timeout: float) -> HttpGeocoder | None:
    """The adapter for the settings, or None without GEOCODER_URL."""
    if not url:
        return None
    return ADAPTERS[kind](url, timeout)
