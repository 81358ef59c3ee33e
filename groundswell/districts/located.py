"""What a located record carries: its district, how far that can be trusted, and a
marker that the worker has been there.

A signature, a person (and through them an RSVP or a volunteer) gets these fields from
the abstract model `Located`; groundswell.districts.assignment fills them in the worker,
never in the request that stored the record (signing must not wait on a geocoder).

`district` is set only for a ward fact: a point given as such (a map, an import, the
API), or an address geocoded to its rooftop or interpolated along its block. A ZIP,
street or area point leaves it empty and says so in `district_precision`: it may go into
an estimate, never onto a person's page or into a delivery to an alderperson as their
ward. `located_at` is the marker: null means the worker has not placed the row yet (a
row with nothing to go by is placed too, with precision "none").
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from groundswell.districts.geocoders import Precision


class LocatedPrecision(models.TextChoices):
    """How a record's district was found, best first."""

    POINT = "point", pgettext_lazy("district precision", "A point given")
    ROOFTOP = Precision.ROOFTOP, pgettext_lazy("district precision", "Exact address")
    INTERPOLATED = (
        Precision.INTERPOLATED,
        pgettext_lazy("district precision", "Address on its block"),
    )
    STREET = Precision.STREET, pgettext_lazy("district precision", "Street only (low)")
    ZIP = Precision.ZIP, pgettext_lazy("district precision", "ZIP code only (low)")
    AREA = Precision.AREA, pgettext_lazy("district precision", "Area only (low)")
    NONE = "none", pgettext_lazy("district precision", "Not found")


# Precisions that make `district` a ward fact; every other one leaves it empty.
WARD_FACTS = frozenset({LocatedPrecision.POINT, *Precision.WARD_FACTS})
LOW = frozenset({LocatedPrecision.STREET, LocatedPrecision.ZIP, LocatedPrecision.AREA})


class Located(models.Model):
    """The district fields of a record the worker locates (see the module docstring)."""

    district = models.ForeignKey(
        "districts.District",
        # A map version's districts are kept when a newer version comes (superseded,
        # never deleted), so a record keeps meaning what it meant; deleting a map that
        # records still refer to is refused rather than silently forgetting their wards.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    district_precision = models.CharField(
        _("district precision"), max_length=12, choices=LocatedPrecision.choices, blank=True
    )
    located_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


def unlocated_index(name: str) -> models.Index:
    """The partial index by which the worker finds the rows it has not placed yet."""
    return models.Index(fields=["id"], condition=Q(located_at__isnull=True), name=name)
