"""Which office a supporter's message goes to, and who holds it today.

An action aimed at the Mayor has one office for everyone. An action aimed at the
alderperson of the supporter's ward finds the ward from an address (geocoded, see
groundswell.districts.geocoding) or from a point (a phone's “use my location”), then the
ward's office (legislation.Office, linked to the district or to its OCD division id) and
its current holder (legislation.Term).

A ZIP code's point, or any point less precise than an address on its block, is never
told to a supporter as their ward: the answer then asks for the full street address.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.db.models import Q

from groundswell.districts.geocoding import locate_address
from groundswell.districts.locate import LocatedDistrict, locate
from groundswell.legislation.models import Classification, DecisionMaker, Office, Term
from groundswell.outreach.models import OutreachAction, TargetKind


class Finding(enum.Enum):
    FOUND = "found"
    NOT_FOUND = "not_found"  # the address could not be placed at all
    IMPRECISE = "imprecise"  # placed only roughly (a ZIP code): ask for the street
    OUTSIDE = "outside"  # outside every ward
    NO_OFFICE = "no_office"  # a ward (or the Mayor) with no office or no holder on record


@dataclass(frozen=True)
class Target:
    """An office a message or a call goes to, and who holds it today."""

    office: Office
    holder: DecisionMaker

    @property
    def email(self) -> str:
        return self.holder.email

    @property
    def phone(self) -> str:
        return self.holder.phone


@dataclass(frozen=True)
class Found:
    finding: Finding
    target: Target | None = None
    ward: LocatedDistrict | None = None


def mayor_offices() -> Q:
    return Q(body__classification=Classification.EXECUTIVE) & (
        Q(role__iexact="mayor") | Q(label__iexact="mayor")
    )


def ward_offices(ward_id: int, division_id: str) -> Q:
    return Q(district_id=ward_id) | (Q(division_id=division_id) & ~Q(division_id=""))


def _target(offices: Q) -> Target | None:
    term = (
        Term.objects.current()
        .filter(office__in=Office.objects.filter(offices))
        .select_related("office", "office__body", "office__district", "decision_maker")
        .order_by("-start_date", "pk")
        .first()
    )
    if term is None or term.office is None:
        return None
    return Target(office=term.office, holder=term.decision_maker)


def target_for_office(action: OutreachAction, office_id: int) -> Target | None:
    """The target a form names by its office, if it is one this action writes to."""
    office = Office.objects.filter(pk=office_id).first()
    if office is None:
        return None
    if action.target == TargetKind.MAYOR:
        allowed = mayor_offices()
    else:
        allowed = Q(division_id__contains="/ward:") | Q(district__isnull=False)
    return _target(allowed & Q(pk=office.pk))


def for_mayor() -> Found:
    target = _target(mayor_offices())
    return Found(Finding.FOUND if target else Finding.NO_OFFICE, target)


def _for_ward(ward: LocatedDistrict | None) -> Found:
    if ward is None:
        return Found(Finding.OUTSIDE)
    target = _target(ward_offices(ward.id, ward.division_id))
    return Found(Finding.FOUND if target else Finding.NO_OFFICE, target, ward)


def for_point(lat: float, lon: float) -> Found:
    """The ward office for a point (from a phone's location: no network call)."""
    return _for_ward(locate(lat, lon))


def for_address(street: str, zip_code: str) -> Found:
    """The ward office for an address. It asks the geocoder, so it must be called
    outside any transaction (as districts.geocoding says)."""
    found = locate_address(street, zip_code=zip_code)
    if found.location is None:
        return Found(Finding.NOT_FOUND)
    if found.district is None:
        return Found(Finding.IMPRECISE if found.likely_district else Finding.OUTSIDE)
    return _for_ward(found.district)
