"""From an address to a point, and from an address to its ward.

What other apps call (the worker, after a signature, a person or an RSVP is stored;
never the request that stores it, which must not wait on a geocoder):

    from groundswell.districts.geocoding import geocode, locate_address

    location = geocode("1234 W 18th St, Chicago, IL", zip_code="60608")
    location.lat, location.lon, location.precision, location.source
    found = locate_address("1234 W 18th St, Chicago, IL", zip_code="60608")
    found.district         # the ward, only when the point is precise enough to say so
    found.likely_district  # where the point falls at any precision: for estimates only

`geocode` asks the operator's geocoder (GEOCODER_URL, GEOCODER_KIND, see
groundswell.districts.geocoders) and keeps its answer in the database for
GEOCODER_CACHE_DAYS (an address it found nothing for, for a day), so a repeated address
costs no HTTP call. Without a geocoder, when it finds nothing, or when it fails, the
answer is the ZIP code's approximate point (data/chicago-zip-points.csv) with precision
"zip", or None. It never raises for the geocoder's sake: a timeout, an HTTP error or a
bad answer gives the fallback and one log line when the trouble starts (and one when it
ends). After a timeout or a failed connection the geocoder is left alone for
PAUSE_SECONDS, so a worker with a backlog does not wait out the timeout on every address;
those addresses get the fallback, not kept in the cache, and can be asked again later.

It talks to the network, so it must be called outside any transaction: it calls
`groundswell.core.network.outside_transaction("Geocoding")` first, which raises
InsideTransaction otherwise.

**A ZIP point is never a ward fact.** A ZIP code spans several wards, so a location of
precision "zip" (or "street", or "area") leaves `locate_address(...).district` None;
its `likely_district` may feed an estimate ("about 40 signers in the 25th ward") but
must never be shown to a person as their ward, nor put in a delivery to an alderperson.

The cache does not hold the address: its key is an HMAC of the normalized address keyed
with SECRET_KEY (a new key starts a new cache), and rows are deleted when they expire.
"""

from __future__ import annotations

import csv
import datetime
import functools
import logging
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone
from django.utils.crypto import salted_hmac

from groundswell.core.incidents import Incident, describe
from groundswell.core.network import outside_transaction
from groundswell.districts import actions
from groundswell.districts.geocoders import (
    GeocoderFailed,
    HttpGeocoder,
    Location,
    Precision,
    configured,
)
from groundswell.districts.locate import LocatedDistrict, locate
from groundswell.districts.models import GeocodedAddress, Kind

__all__ = [
    "AddressDistrict",
    "Location",
    "Precision",
    "geocode",
    "locate_address",
    "zip_point",
]

logger = logging.getLogger(__name__)

ZIP_POINTS = Path(__file__).resolve().parent / "data" / "chicago-zip-points.csv"
NOT_FOUND_DAYS = 1
PAUSE_SECONDS = 30.0
ZIP_CODE = re.compile(r"\b(\d{5})(?:-\d{4})?\b")


@dataclass(frozen=True)
class AddressDistrict:
    """Where an address is, and what can be said of its district."""

    location: Location | None
    district: LocatedDistrict | None  # only from a rooftop or interpolated point
    likely_district: LocatedDistrict | None  # at any precision: never shown as a ward

    @property
    def precision(self) -> str | None:
        return self.location.precision if self.location else None


class _Trouble:
    """The geocoder's failures in this process: logged once, and a pause after a
    timeout or a failed connection."""

    def __init__(self) -> None:
        self.incident = Incident(logger, "Geocoding")
        self.paused_until = 0.0
        self.lock = threading.Lock()

    def paused(self) -> bool:
        return time.monotonic() < self.paused_until

    def failed(self, geocoder: HttpGeocoder, exc: GeocoderFailed) -> None:
        with self.lock:
            self.incident.what = f"Geocoding with the {geocoder!r}"
            self.incident.failed(exc)
            if exc.unreachable:
                self.paused_until = time.monotonic() + PAUSE_SECONDS

    def answered(self) -> None:
        with self.lock:
            self.incident.recovered()
            self.paused_until = 0.0

    def reset(self) -> None:
        with self.lock:
            self.incident = Incident(logger, "Geocoding")
            self.paused_until = 0.0


trouble = _Trouble()


def normalize(address: str) -> str:
    """The address as the cache sees it: case, punctuation and spacing do not matter."""
    return " ".join(re.sub(r"[^\w#/-]+", " ", address.casefold()).split())


def address_key(normalized: str) -> str:
    return salted_hmac(
        "groundswell.districts.geocoding", normalized, algorithm="sha256"
    ).hexdigest()


def geocoder() -> HttpGeocoder | None:
    return configured(settings.GEOCODER_URL, settings.GEOCODER_KIND, settings.GEOCODER_TIMEOUT)


def geocode(address: str, *, zip_code: str = "") -> Location | None:
    """A point for the address (one line: street, city, state; the ZIP code in it or in
    `zip_code`), or None. See the module docstring for precision and the fallback."""
    outside_transaction("Geocoding")
    query = " ".join(address.split())
    zip5 = _zip5(zip_code) or _zip5(query)
    if zip5 and zip5 not in query:
        query = f"{query} {zip5}".strip()
    service = geocoder()
    found: Location | None = None
    if service is not None and normalize(address):
        found = _ask(service, query)
    if found is not None and (found.precision != Precision.AREA or not zip5):
        return found
    return zip_point(zip5) or found


def _ask(service: HttpGeocoder, query: str) -> Location | None:
    key = address_key(normalize(query))
    row = GeocodedAddress.objects.fresh().filter(key=key).first()
    if row is not None:
        if row.lat is None or row.lon is None:
            return None
        return Location(lat=row.lat, lon=row.lon, precision=row.precision, source=row.source)
    if trouble.paused():
        return None
    try:
        found = service.geocode(query)
    except GeocoderFailed as exc:
        trouble.failed(service, exc)
        return None
    trouble.answered()
    days = settings.GEOCODER_CACHE_DAYS if found is not None else NOT_FOUND_DAYS
    try:
        actions.remember_geocode(
            key,
            lat=found.lat if found else None,
            lon=found.lon if found else None,
            precision=found.precision if found else "",
            source=service.name,
            expires_at=timezone.now() + datetime.timedelta(days=days),
        )
    except DatabaseError as exc:  # a busy database costs the cache entry, not the answer
        logger.warning("Could not keep a geocoded address (%s)", describe(exc))
    return found


def _zip5(text: str) -> str:
    matches = ZIP_CODE.findall(text or "")
    return matches[-1] if matches else ""


@functools.cache
def _zip_points() -> dict[str, tuple[float, float]]:
    with ZIP_POINTS.open(encoding="utf-8") as handle:
        return {
            row["zip"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(handle)
        }


def zip_point(zip_code: str) -> Location | None:
    """The shipped approximate point of a Chicago ZIP code, precision "zip", or None."""
    found = _zip_points().get(_zip5(zip_code))
    if found is None:
        return None
    return Location(lat=found[0], lon=found[1], precision=Precision.ZIP, source="zip")


def locate_address(address: str, *, zip_code: str = "", kind: str = Kind.WARD) -> AddressDistrict:
    """Geocode the address, then find its district of the current map of `kind`:
    `district` only when the point is a ward fact (rooftop or interpolated), and
    `likely_district` wherever the point falls. Outside a transaction, like geocode."""
    location = geocode(address, zip_code=zip_code)
    if location is None:
        return AddressDistrict(None, None, None)
    likely = locate(location.lat, location.lon, kind=kind)
    return AddressDistrict(location, likely if location.is_ward_fact else None, likely)
