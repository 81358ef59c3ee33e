"""Reading an uploaded address list (CSV) for a canvass's universe, on plain values.

The first row names the columns, in any order and case: `address` (required), `unit`,
and optionally `name`, `phone`, `city`, `state`, `zip`. Each further row is one
household. A row that cannot be used is reported by its line number (the line of the
file, the header being line 1) and the others are kept.

upload_addresses keeps a list and the worker locates it (locate_address_list): the
writes of this seam of the universe, checked like groundswell.canvass.actions'.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.canvass import actions
from groundswell.canvass.models import AddressList, Canvass
from groundswell.organizations.models import Membership

COLUMNS = ("address", "unit", "name", "phone", "city", "state", "zip")
MAX_ROWS = 20_000
MAX_BYTES = 5_000_000
STALLED = datetime.timedelta(minutes=30)  # a list being located this long lost its worker
LIMITS = {
    "address": 255,
    "unit": 40,
    "name": 300,
    "phone": 300,
    "city": 100,
    "state": 40,
    "zip": 10,
}


class Unreadable(ValueError):
    """The file as a whole cannot be read; the message says why."""


@dataclass(frozen=True)
class Parsed:
    rows: list[list[str | int]]  # [line, address, unit, name, phone, city, state, zip]
    problems: list[list[str | int]]  # [line, message]


def parse(data: bytes) -> Parsed:
    if len(data) > MAX_BYTES:
        raise Unreadable(_("The file is too large: at most 5 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unreadable(_("The file is not a CSV file in UTF-8.")) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise Unreadable(_("The file is empty.")) from exc
    if "address" not in header:
        raise Unreadable(_('The first line must name the columns, one of them "address".'))
    where = {name: header.index(name) for name in COLUMNS if name in header}
    rows: list[list[str | int]] = []
    problems: list[list[str | int]] = []
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) + len(problems) >= MAX_ROWS:
                raise Unreadable(
                    _("The file has more than %(count)s addresses: split it.") % {"count": MAX_ROWS}
                )
            values = {
                name: " ".join(record[index].split()) if index < len(record) else ""
                for name, index in where.items()
            }
            if not values["address"]:
                problems.append([line, _("no address.")])
                continue
            too_long = [name for name, value in values.items() if len(value) > LIMITS[name]]
            if too_long:
                problems.append([line, _("the %(column)s is too long.") % {"column": too_long[0]}])
                continue
            rows.append([line, *(values.get(name, "") for name in COLUMNS)])
    except csv.Error as exc:
        raise Unreadable(
            _("Line %(line)s cannot be read as CSV.") % {"line": reader.line_num}
        ) from exc
    if not rows and not problems:
        raise Unreadable(_("The file has no addresses."))
    return Parsed(rows, problems)


def upload_addresses(
    membership: Membership, canvass: Canvass, *, name: str, data: bytes
) -> AddressList:
    """Keep an uploaded address list (groundswell.canvass.addresslist) and ask the
    worker to locate it (tasks.locate_address_list). A file that cannot be read at all
    is refused with nothing kept; rows that cannot be used are reported by line."""
    from groundswell.canvass import tasks

    actions._check(membership, canvass.organization)
    try:
        parsed = parse(data)
    except Unreadable as exc:
        raise actions.CanvassError(str(exc)) from exc
    upload = AddressList.objects.create(
        canvass=canvass,
        name=name[:200],
        rows=parsed.rows,
        problems=parsed.problems,
        state=AddressList.State.WAITING if parsed.rows else AddressList.State.DONE,
        finished_at=None if parsed.rows else timezone.now(),
        created_by=membership.user,
    )
    if parsed.rows:
        tasks.locate_address_list.enqueue(upload.pk)
    return upload


def locate_address_list(upload_id: int) -> bool:
    """Locate an uploaded list's addresses (the geocoder, from its cache where it can;
    outside any transaction) and add those found to their door as doors of the
    universe; the others are reported by line. Claimed by a conditional UPDATE, so two
    workers never locate one list; a list whose worker stopped half-way (claimed more
    than STALLED ago) is taken again from the start, which adds no door twice (a
    household already there is kept). False if it was not waiting."""
    from groundswell.districts import geocoding
    from groundswell.districts.assignment import Place

    now = timezone.now()
    stalled = Q(state=AddressList.State.LOCATING, claimed_at__lt=now - STALLED)
    if not AddressList.objects.filter(
        Q(state=AddressList.State.WAITING) | stalled, pk=upload_id
    ).update(state=AddressList.State.LOCATING, claimed_at=now):
        return False
    upload = AddressList.objects.select_related("canvass").get(pk=upload_id)
    entries: list[actions.DoorEntry] = []
    problems = list(upload.problems)
    for line, address, unit, name, phone, city, state, zip_code in upload.rows:
        place = Place.of_address(str(address), str(city), str(state), str(zip_code))
        found = geocoding.geocode(place.address, zip_code=place.zip_code)
        if found is None or not found.is_ward_fact:
            problems.append([line, _("not located to its door.")])
            continue
        full = f"{address} #{unit}" if unit else str(address)
        details = {"name": str(name), "phone": str(phone)}
        entries.append(actions.DoorEntry(full, found.lat, found.lon, attributes=details))
    added = actions.add_doors(upload.canvass, entries) if entries else actions.Added(0, 0, 0)
    AddressList.objects.filter(pk=upload_id).update(
        state=AddressList.State.DONE,
        doors_added=added.doors,
        problems=sorted(problems, key=lambda p: int(p[0])),
        finished_at=timezone.now(),
    )
    return True


def resume_stalled() -> int:
    """Locate again the lists whose worker stopped half-way (a periodic job); each is
    claimed again by locate_address_list, so several workers may run this at once."""
    stalled = AddressList.objects.filter(
        state=AddressList.State.LOCATING, claimed_at__lt=timezone.now() - STALLED
    ).values_list("pk", flat=True)
    resumed = 0
    for upload_id in list(stalled):
        resumed += locate_address_list(upload_id)
    return resumed
