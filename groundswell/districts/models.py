"""Districts: the maps that divide a city into wards (later precincts), version by version.

A DistrictSet is one imported version of one map, e.g. the 2023 ward map
(`chicago-wards-2023`). Its districts never change once imported: a corrected file
imported under the same slug becomes a new version (the old one is kept, marked
superseded), so whatever refers to a District of an older version keeps meaning what it
meant. A newer map (`chicago-wards-2033`) is another set of the same kind, in force
from its own `valid_from`. Which set is current is decided from these rows at each
lookup (`DistrictSetQuerySet.current()`), so a map imported ahead of its start date
takes over on that day.

Each District keeps its Open Civic Data division id
(`ocd-division/country:us/state:il/place:chicago/ward:12`), its name and number, its
shape as WKB (portable: SQLite and PostgreSQL alike, no PostGIS) and its bounding box
in four columns, so a lookup can ask the database for the few districts whose box holds
a point before testing their shapes.

GeocodedAddress is the geocoder's answers, kept for a while so that a repeated address
costs no HTTP call (see groundswell.districts.geocoding).
"""

from __future__ import annotations

import datetime
from typing import ClassVar

import shapely
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from shapely.geometry.base import BaseGeometry


class Kind(models.TextChoices):
    WARD = "ward", _("ward")
    PRECINCT = "precinct", _("precinct")


class DistrictSetQuerySet(models.QuerySet["DistrictSet"]):
    def latest_versions(self) -> DistrictSetQuerySet:
        """The newest version of each map (older versions stay for history)."""
        return self.filter(superseded_at__isnull=True)

    def in_force(self, on: datetime.date | None = None) -> DistrictSetQuerySet:
        """The latest versions whose period holds the day `on` (today by default)."""
        on = on or timezone.localdate()
        return (
            self.latest_versions()
            .filter(models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=on))
            .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=on))
        )

    def current(self, on: datetime.date | None = None) -> dict[str, DistrictSet]:
        """The set in force of each kind, by kind: of several in force, the one that
        started last (then the one imported last), so a new ward map replaces the old one
        on its first day while the old one stays in the database."""
        chosen: dict[str, DistrictSet] = {}
        for district_set in self.in_force(on).order_by("valid_from", "imported_at", "pk"):
            chosen[district_set.kind] = district_set  # later ones win
        return chosen


class DistrictSet(models.Model):
    """One version of one district map."""

    slug = models.SlugField(_("map"), max_length=100)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.WARD)
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    # SHA-256 of the districts as imported: the same file again changes nothing.
    digest = models.CharField(max_length=64)
    source = models.CharField(_("source file"), max_length=255, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)

    objects: ClassVar[DistrictSetQuerySet] = DistrictSetQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["slug", "-version"]
        verbose_name = _("district map")
        verbose_name_plural = _("district maps")
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="districtset_version"),
            # One latest version per map.
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(superseded_at__isnull=True),
                name="districtset_one_latest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slug} v{self.version}"


class DistrictQuerySet(models.QuerySet["District"]):
    def around(self, lat: float, lon: float) -> DistrictQuerySet:
        """Districts whose bounding box holds the point: the candidates to test
        (District.covers) when no in-memory index is at hand."""
        return self.filter(min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat)


class District(models.Model):
    """A ward (or precinct) of one version of a map."""

    set = models.ForeignKey(DistrictSet, on_delete=models.CASCADE, related_name="districts")
    division_id = models.CharField(_("division id"), max_length=200)
    name = models.CharField(_("name"), max_length=200)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    shape = models.BinaryField()  # WKB, longitude/latitude (WGS84)
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()

    objects: ClassVar[DistrictQuerySet] = DistrictQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["set", "number", "division_id"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(fields=["set", "division_id"], name="district_division"),
        ]
        indexes = [
            models.Index(fields=["set", "min_lon", "max_lon"], name="district_box"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def geometry(self) -> BaseGeometry:
        return shapely.from_wkb(bytes(self.shape))

    def covers(self, lat: float, lon: float) -> bool:
        """The point is inside the district or on its border."""
        return bool(shapely.intersects_xy(self.geometry, lon, lat))

    def label(self) -> str:
        """The district's name in the reader's language ("Ward 12", "Distrito 12"); the
        stored name is the file's, in English."""
        if self.number is None:
            return self.name
        if self.set.kind == Kind.WARD:
            return gettext("Ward %(number)s") % {"number": self.number}
        if self.set.kind == Kind.PRECINCT:
            return gettext("Precinct %(number)s") % {"number": self.number}
        return self.name


class GeocodedAddressQuerySet(models.QuerySet["GeocodedAddress"]):
    def fresh(self) -> GeocodedAddressQuerySet:
        return self.filter(expires_at__gt=timezone.now())

    def expired(self) -> GeocodedAddressQuerySet:
        return self.filter(expires_at__lte=timezone.now())


class GeocodedAddress(models.Model):
    """A geocoder's answer for one address, kept until `expires_at`.

    The address itself is not stored: `key` is an HMAC of the normalized address keyed
    with SECRET_KEY, so a copy of the database alone cannot tell which addresses were
    looked up by hashing every address in the city. No point (lat and lon null) means
    the geocoder found nothing for it; failures (timeouts, errors) are never kept.
    """

    key = models.CharField(max_length=64, unique=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    precision = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=20)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    objects: ClassVar[GeocodedAddressQuerySet] = GeocodedAddressQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("geocoded address")
        verbose_name_plural = _("geocoded addresses")

    def __str__(self) -> str:
        return self.key[:12]
