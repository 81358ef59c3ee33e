"""Every change to canvasses, their universe, turfs, canvassers and conflicts goes
through these functions. Organizers' changes take their Membership and are checked here
(`_check`), whichever page or command calls them; canvassers' visits come through
groundswell.canvass.sync, after groundswell.canvass.access has checked their code.
"""

from __future__ import annotations

import dataclasses
import random
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.campaigns.models import Campaign
from groundswell.canvass import access, cutting, walk
from groundswell.canvass import answers as survey
from groundswell.canvass.addresses import household
from groundswell.canvass.models import (
    Canvass,
    Canvasser,
    Conflict,
    DoNotKnock,
    Door,
    Question,
    Resident,
    Result,
    Turf,
    Visit,
)
from groundswell.districts.locate import locate_many
from groundswell.districts.models import District, Kind
from groundswell.organizations.models import Membership, Organization, Role

CODE_ALPHABET = access.ALPHABET
DOOR_CODE_LENGTH = 5
MAX_TURFS = 500


class CanvassError(ValueError):
    """Bad input: the message says what, in the reader's language; nothing changed."""


def _check(membership: Membership, organization: Organization) -> None:
    if membership.organization_id != organization.pk or not membership.has_role(Role.ORGANIZER):
        raise PermissionDenied


# The canvass and its script


def create_canvass(
    membership: Membership, *, name: str, slug: str, campaign: Campaign | None = None
) -> Canvass:
    organization = membership.organization
    _check(membership, organization)
    if campaign is not None and campaign.owner_id != organization.pk:
        raise PermissionDenied
    if Canvass.objects.filter(organization=organization, slug=slug).exists():
        raise CanvassError(_("Another canvass already has this short name."))
    try:
        with transaction.atomic():
            return Canvass.objects.create(
                organization=organization,
                campaign=campaign,
                name=name,
                slug=slug,
                created_by=membership.user,
            )
    except IntegrityError as exc:
        raise CanvassError(_("Another canvass already has this short name.")) from exc


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    text: str
    choices: Sequence[str] = ()


def set_script(membership: Membership, canvass: Canvass, questions: Sequence[QuestionSpec]) -> None:
    """Replace the canvass's survey questions (answers already given keep their
    question's id; a removed question's answers stay in the visit log)."""
    _check(membership, canvass.organization)
    for spec in questions:
        if spec.kind not in Question.Kind.values or not spec.text.strip():
            raise CanvassError(_("Each question needs a kind and a text."))
        needs_choices = spec.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
        if needs_choices and len([c for c in spec.choices if c.strip()]) < 2:
            raise CanvassError(_("A choice question needs at least two choices."))
    with transaction.atomic():
        canvass.questions.all().delete()
        Question.objects.bulk_create(
            Question(
                canvass=canvass,
                position=position,
                kind=spec.kind,
                text=spec.text.strip(),
                choices=[c.strip() for c in spec.choices if c.strip()]
                if spec.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
                else [],
            )
            for position, spec in enumerate(questions)
        )


# The universe


@dataclass(frozen=True)
class DoorEntry:
    """One address of the universe with its point (and the person living there)."""

    address: str
    lat: float
    lon: float
    person_id: int | None = None
    # Household details known beforehand (name, phone), as canvassers would report them.
    attributes: Mapping[str, str] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Added:
    doors: int
    residents: int
    not_to_knock: int


def _new_code(taken: set[str]) -> str:
    while True:
        code = "".join(random.SystemRandom().choice(CODE_ALPHABET) for _ in range(DOOR_CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            return code


def add_doors(canvass: Canvass, entries: Iterable[DoorEntry]) -> Added:
    """Add located addresses to the canvass's universe: one door per household (a unit
    of a building is its own door), each with its ward and precinct; an address on the
    organization's do-not-knock list is left out. An address already there adds only
    its resident. No network I/O (the points are given), one transaction."""
    rows = list(entries)
    wards = locate_many([(e.lat, e.lon) for e in rows], kind=Kind.WARD)
    precincts = locate_many([(e.lat, e.lon) for e in rows], kind=Kind.PRECINCT)
    blocked = set(
        DoNotKnock.objects.filter(organization=canvass.organization).values_list("building", "unit")
    )
    skipped = 0
    with transaction.atomic():
        existing = {(d.building, d.unit): d for d in Door.objects.filter(canvass=canvass)}
        taken = {d.code for d in existing.values()}
        new: dict[tuple[str, str], Door] = {}
        people: list[tuple[tuple[str, str], int]] = []
        for entry, ward, precinct in zip(rows, wards, precincts, strict=True):
            where = household(entry.address)
            key = (where.building, where.unit)
            if key in blocked or (where.building, "") in blocked:
                skipped += 1
                continue
            if key not in existing and key not in new:
                new[key] = Door(
                    canvass=canvass,
                    building=where.building,
                    unit=where.unit,
                    address=where.building,
                    street=where.street,
                    house_number=where.house_number,
                    lat=entry.lat,
                    lon=entry.lon,
                    ward_id=ward.id if ward else None,
                    precinct_id=precinct.id if precinct else None,
                    code=_new_code(taken),
                    attributes={k: v for k, v in entry.attributes.items() if v},
                )
            if entry.person_id is not None:
                people.append((key, entry.person_id))
        Door.objects.bulk_create(new.values(), batch_size=1000)
        doors = {**existing, **{k: d for k, d in new.items()}}
        if any(d.pk is None for d in new.values()):  # backends that give no ids back
            doors = {(d.building, d.unit): d for d in Door.objects.filter(canvass=canvass)}
        residents = Resident.objects.bulk_create(
            [Resident(door=doors[key], person_id=person_id) for key, person_id in people],
            ignore_conflicts=True,
            batch_size=1000,
        )
    return Added(len(new), len(residents), skipped)


def build_universe(canvass: Canvass) -> Added:
    """The organization's supporters whose street address it may see, geocoded (from
    the cache where it can) to a door-level point, added as doors. Talks to the geocoder,
    so it runs in the worker (tasks.build_universe), outside any transaction. An address
    found only to its street or ZIP code is left out: a walk list needs the door."""
    from groundswell.districts import geocoding
    from groundswell.districts.assignment import Place
    from groundswell.people.models import Supporter

    entries: list[DoorEntry] = []
    supporters = Supporter.objects.visible_to(canvass.organization).exclude(address="")
    for supporter in supporters.iterator():
        if not supporter.shows("address"):
            continue
        place = Place.of_address(
            supporter.address, supporter.city, supporter.state, supporter.zip_code
        )
        found = geocoding.geocode(place.address, zip_code=place.zip_code)
        if found is None or not found.is_ward_fact:
            continue
        entries.append(DoorEntry(supporter.address, found.lat, found.lon, supporter.person_id))
    return add_doors(canvass, entries)


def add_do_not_knock(membership: Membership, address: str, *, reason: str = "") -> DoNotKnock:
    """Never knock at this address again (a building, or one unit of it): its doors
    leave every turf of the organization's canvasses at once."""
    organization = membership.organization
    _check(membership, organization)
    return _do_not_knock(organization, household(address).building, household(address).unit, reason)


def _do_not_knock(organization: Organization, building: str, unit: str, reason: str) -> DoNotKnock:
    if not building:
        raise CanvassError(_("Enter a street address."))
    entry, _created = DoNotKnock.objects.get_or_create(
        organization=organization, building=building, unit=unit, defaults={"reason": reason}
    )
    return entry


# Turfs


PLACE_BATCH = 2000


def _place(places: list[tuple[int, int, int]]) -> None:
    """Write each door's (id, turf id, walk order): one UPDATE … FROM (VALUES …) per batch
    (PostgreSQL and SQLite alike), where bulk_update's CASE per row takes seconds for
    a universe of tens of thousands of doors."""
    table = connection.ops.quote_name(Door._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(places), PLACE_BATCH):
            batch = places[start : start + PLACE_BATCH]
            rows = ", ".join(["(%s, %s, %s)"] * len(batch))
            params = [value for place in batch for value in place]
            cursor.execute(
                f"WITH v(id, turf, place) AS (VALUES {rows}) "  # noqa: S608 (our table, placeholders)
                f"UPDATE {table} SET turf_id = v.turf, walk_order = v.place "
                f"FROM v WHERE {table}.id = v.id",
                params,
            )


def cut_turfs(
    membership: Membership, canvass: Canvass, count: int, *, by_route: bool = False
) -> list[Turf]:
    """Cut the universe into `count` turfs of about equal door counts, never splitting
    a building nor crossing a ward boundary (groundswell.canvass.cutting), and put each
    turf's doors in walking order. Refused while a canvasser holds a code for a turf:
    revoke them first (their visits stay)."""
    _check(membership, canvass.organization)
    if not 1 <= count <= MAX_TURFS:
        raise CanvassError(_("Choose between 1 and %(max)s turfs.") % {"max": MAX_TURFS})
    if Canvasser.objects.filter(
        canvass=canvass, turf__isnull=False, revoked_at__isnull=True
    ).exists():
        raise CanvassError(
            _("Canvassers hold codes for these turfs: revoke them before cutting again.")
        )
    # Plain values, not models (tens of thousands of doors), and not the ward's shape.
    stops = {
        row[0]: (walk.Stop(*row[:7]), row[7])
        for row in Door.objects.filter(canvass=canvass).values_list(
            "pk", "building", "street", "house_number", "unit", "lat", "lon", "ward"
        )
    }
    if not stops:
        raise CanvassError(_("This canvass has no doors yet."))
    spots = [cutting.Spot(s.id, s.building, s.lat, s.lon, ward) for s, ward in stops.values()]
    try:
        runs = cutting.cut(spots, count)
    except cutting.CuttingError as exc:
        raise CanvassError(
            _(
                "These doors are in %(wards)s wards, and a turf never crosses a ward "
                "boundary: choose at least %(wards)s turfs."
            )
            % {"wards": exc.args[0]}
        ) from exc
    wards = District.objects.select_related("set").in_bulk(
        {ward for _stop, ward in stops.values() if ward is not None}
    )
    with transaction.atomic():
        Turf.objects.filter(canvass=canvass).delete()
        turfs: list[Turf] = []
        places: list[tuple[int, int, int]] = []
        for number, ids in enumerate(runs, start=1):
            ward_id = stops[ids[0]][1]
            ward = wards.get(ward_id) if ward_id is not None else None
            turf = Turf.objects.create(
                canvass=canvass,
                number=number,
                ward=ward,
                name=_("Turf %(number)s (%(ward)s)")
                % {"number": number, "ward": ward.label() if ward else _("no ward")},
            )
            turfs.append(turf)
            members = [stops[i][0] for i in ids]
            order = walk.by_route(members).ids if by_route else walk.by_street(members)
            places.extend((door_id, turf.pk, position) for position, door_id in enumerate(order))
        _place(places)
    return turfs


MAX_POLYGON_POINTS = 200
# Clicking along a ward's edge strays a little: a polygon may reach over the boundary by
# this share of its area before it counts as crossing it.
BOUNDARY_SLACK = 0.02


def draw_turf(
    membership: Membership, canvass: Canvass, points: Sequence[tuple[float, float]]
) -> Turf:
    """A turf drawn by hand: the doors inside the polygon of (lon, lat) `points` that
    are on no turf yet, with the whole of each building one of them belongs to, in
    walking order. Refused if the polygon is not a simple shape, crosses a ward
    boundary, or holds no door that is not on a turf already."""
    import shapely

    _check(membership, canvass.organization)
    if not 3 <= len(points) <= MAX_POLYGON_POINTS:
        raise CanvassError(
            _("Draw a shape of 3 to %(max)s points around the doors.") % {"max": MAX_POLYGON_POINTS}
        )
    polygon = shapely.Polygon(points)
    if not polygon.is_valid or polygon.area <= 0:
        raise CanvassError(_("The shape crosses itself: draw its outline without crossings."))
    ward_sets = (
        Door.objects.filter(canvass=canvass, ward__isnull=False).values("ward__set").distinct()
    )
    west, south, east, north = polygon.bounds
    crossed = [
        ward
        for ward in District.objects.filter(
            set__in=ward_sets,
            min_lon__lte=east,
            max_lon__gte=west,
            min_lat__lte=north,
            max_lat__gte=south,
        ).select_related("set")
        if ward.geometry.intersection(polygon).area > polygon.area * BOUNDARY_SLACK
    ]
    if len(crossed) > 1:
        raise CanvassError(
            _("The shape crosses a ward boundary (%(wards)s): a turf stays in one ward.")
            % {"wards": ", ".join(w.label() for w in crossed)}
        )
    free = Door.objects.filter(canvass=canvass, turf__isnull=True)
    buildings = {
        building
        for building, lon, lat in free.filter(
            lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north
        ).values_list("building", "lon", "lat")
        if shapely.intersects_xy(polygon, lon, lat)
    }
    return _make_turf(canvass, free.filter(building__in=buildings))


def turf_of_doors(membership: Membership, canvass: Canvass, codes: Iterable[str]) -> Turf:
    """A turf of the doors with these walk-sheet codes (for a page without the map),
    with the whole of each of their buildings; refused if a code is unknown or its door
    is on a turf already, or if the doors are in more than one ward."""
    _check(membership, canvass.organization)
    wanted = {code.strip().upper() for code in codes if code.strip()}
    if not wanted:
        raise CanvassError(_("Enter the codes of the doors for this turf."))
    found = dict(Door.objects.filter(canvass=canvass, code__in=wanted).values_list("code", "turf"))
    unknown = sorted(wanted - set(found))
    if unknown:
        raise CanvassError(
            _("No door of this canvass has these codes: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    taken = sorted(code for code, turf in found.items() if turf is not None)
    if taken:
        raise CanvassError(
            _("These doors are on a turf already: %(codes)s.") % {"codes": ", ".join(taken)}
        )
    buildings = Door.objects.filter(canvass=canvass, code__in=wanted).values("building")
    return _make_turf(
        canvass, Door.objects.filter(canvass=canvass, turf__isnull=True, building__in=buildings)
    )


def _make_turf(canvass: Canvass, doors: Iterable[Door]) -> Turf:
    members = list(doors)
    if not members:
        raise CanvassError(_("No door that is not on a turf yet is inside this shape."))
    wards = {door.ward_id for door in members}
    if len(wards) > 1:
        raise CanvassError(_("These doors are in more than one ward: a turf stays in one ward."))
    ward_id = next(iter(wards))
    ward = District.objects.select_related("set").get(pk=ward_id) if ward_id else None
    stops = [
        walk.Stop(d.pk, d.building, d.street, d.house_number, d.unit, d.lat, d.lon) for d in members
    ]
    with transaction.atomic():
        # The doors are claimed by a conditional UPDATE: a turf drawn at the same time
        # over the same doors takes none of them twice.
        last = Turf.objects.filter(canvass=canvass).order_by("-number").first()
        number = (last.number if last else 0) + 1
        turf = Turf.objects.create(
            canvass=canvass,
            number=number,
            ward=ward,
            name=_("Turf %(number)s (%(ward)s)")
            % {"number": number, "ward": ward.label() if ward else _("no ward")},
        )
        ids = [door.pk for door in members]
        claimed = Door.objects.filter(pk__in=ids, turf__isnull=True).update(turf=turf)
        if claimed != len(ids):
            raise CanvassError(
                _("Someone put some of these doors on a turf meanwhile: draw again.")
            )
        _place([(door_id, turf.pk, place) for place, door_id in enumerate(walk.by_street(stops))])
    return turf


# Canvassers


def issue_code(
    membership: Membership,
    canvass: Canvass,
    *,
    name: str,
    turf: Turf | None = None,
    precinct_id: int | None = None,
) -> tuple[Canvasser, str]:
    """A canvasser scoped to `turf`, or a precinct captain of `precinct_id`, and their
    short code (shown once; only its hash is kept)."""
    _check(membership, canvass.organization)
    if not name.strip():
        raise CanvassError(_("Enter the canvasser's name."))
    if (turf is None) == (precinct_id is None):
        raise CanvassError(_("Choose a turf for a canvasser, or a precinct for a captain."))
    if turf is not None and turf.canvass_id != canvass.pk:
        raise PermissionDenied
    if (
        precinct_id is not None
        and not Door.objects.filter(canvass=canvass, precinct_id=precinct_id).exists()
    ):
        raise CanvassError(_("This canvass has no doors in that precinct."))
    code = access.new_code()
    canvasser = Canvasser.objects.create(
        canvass=canvass,
        name=name.strip(),
        role=Canvasser.Role.CANVASSER if turf else Canvasser.Role.CAPTAIN,
        turf=turf,
        precinct_id=precinct_id,
        code_hash=access.code_hash(code),
    )
    return canvasser, code


def revoke(membership: Membership, canvasser: Canvasser) -> bool:
    """The code stops working at once, for every endpoint; the visits it sent stay.
    False if it was already revoked."""
    _check(membership, canvasser.canvass.organization)
    return bool(
        Canvasser.objects.filter(pk=canvasser.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


# Conflicts


def resolve_conflict(membership: Membership, conflict: Conflict, *, take_proposed: bool) -> bool:
    """Settle a disagreement: keep the door's value, or take the other visit's. Both
    visits stay in the log either way. False if someone settled it already."""
    _check(membership, conflict.door.canvass.organization)
    with transaction.atomic():
        settled = Conflict.objects.filter(pk=conflict.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=membership.user
        )
        if settled and take_proposed:
            door = Door.objects.select_for_update().get(pk=conflict.door_id)
            door.attributes[conflict.field] = conflict.proposed
            door.save(update_fields=["attributes"])
    return bool(settled)


def apply_effects(visits: Sequence[Visit]) -> None:
    """What new visits change besides the log, inside the caller's transaction:
    household attributes (a blank one is filled; a different value waits in the
    Conflict queue) and "do not contact" (the household joins the do-not-knock list).
    Safe to run twice for the same visits (a replay changes nothing)."""
    door_ids = sorted({v.door_id for v in visits})
    doors = {
        d.pk: d
        for d in Door.objects.select_for_update(of=("self",))
        .select_related("canvass__organization")
        .filter(pk__in=door_ids)
        .order_by("pk")
    }
    changed: set[int] = set()
    conflicts: list[Conflict] = []
    for visit in sorted(visits, key=lambda v: (v.visited_at, v.pk)):
        door = doors[visit.door_id]
        for field, value in visit.attributes.items():
            kept = door.attributes.get(field)
            if not kept:
                door.attributes[field] = value
                changed.add(door.pk)
            elif kept != value:
                conflicts.append(
                    Conflict(door=door, visit=visit, field=field, kept=kept, proposed=value)
                )
        if visit.result == Result.DO_NOT_CONTACT:
            _do_not_knock(
                door.canvass.organization, door.building, door.unit, _("Asked at the door")
            )
    for door_id in changed:
        doors[door_id].save(update_fields=["attributes"])
    Conflict.objects.bulk_create(conflicts, ignore_conflicts=True)


def key_in(
    membership: Membership,
    canvass: Canvass,
    *,
    door_code: str,
    result: str,
    note: str = "",
    answers: Mapping[str, Any] | None = None,
    client_id: uuid.UUID,
) -> tuple[Visit, bool]:
    """A visit written on a walk sheet, keyed in by its door's code, with the survey
    answers written on it (by question id, checked by the same rule as a phone's:
    groundswell.canvass.answers). `client_id` comes with the form (made when it was
    shown), so submitting it twice keys in one visit. Returns the visit and whether it
    is new."""
    _check(membership, canvass.organization)
    door = Door.objects.filter(canvass=canvass, code=door_code.strip().upper()).first()
    if door is None:
        raise CanvassError(_("No door of this canvass has that code."))
    if result not in Result.values:
        raise CanvassError(_("Choose a result."))
    given = dict(answers or {})
    questions = {str(q.pk): q for q in Question.objects.filter(canvass=canvass)}
    if not survey.fit(questions, given):
        raise CanvassError(_("An answer does not fit its question."))
    with transaction.atomic():
        visit, created = Visit.objects.get_or_create(
            canvass=canvass,
            client_id=client_id,
            defaults={
                "door": door,
                "result": result,
                "note": note.strip()[:500],
                "answers": {str(k): v for k, v in given.items()},
                "source": Visit.Source.PAPER,
                "visited_at": timezone.now(),
            },
        )
        if created:
            apply_effects([visit])
    return visit, created
