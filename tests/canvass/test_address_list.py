"""The universe from an uploaded address list: located in the worker through the real
geocoder path (a geocoder on 127.0.0.1), a building's units apart, name and phone as
the household's details, and the rows that could not be used reported by line."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from groundswell.canvass import addresslist
from groundswell.canvass.models import AddressList, Canvass, Door
from tests.canvass.test_universe import GeocoderServer, geocoder_server  # noqa: F401
from tests.conftest import login

CSV = (
    "Address,Unit,Name,Phone,City,State\n"
    "4100 W Madison St,1,Ann Lee,312-555-0101,Chicago,IL\n"
    "4100 W. Madison Street,2,,,Chicago,IL\n"
    ",3,Nobody,,Chicago,IL\n"
    "4100 W Madison St,1,Ann Lee,,Chicago,IL\n" + "x" * 300 + ",,,,Chicago,IL\n"
)


def test_an_address_list_is_located_in_the_worker_and_bad_lines_are_reported(
    client: Client,
    organizer: Any,
    canvass: Canvass,
    geocoder_server: GeocoderServer,  # noqa: F811
    settings: Any,
    drain: Any,
) -> None:
    settings.GEOCODER_URL = geocoder_server.url("/geocoder")
    geocoder_server.lat, geocoder_server.lon = 41.81, -87.69  # ward 1
    login(client, organizer)
    url = f"/manage/action-now/canvass/{canvass.slug}/universe/upload/"
    upload = SimpleUploadedFile("doors.csv", CSV.encode(), "text/csv")
    assert client.post(url, {"file": upload}).status_code == 302
    assert not Door.objects.exists()  # not in the request
    drain()
    doors = Door.objects.filter(canvass=canvass).order_by("unit")
    assert [(d.building, d.unit) for d in doors] == [
        ("4100 W MADISON ST", "1"),
        ("4100 W MADISON ST", "2"),
    ]
    assert doors[0].attributes == {"name": "Ann Lee", "phone": "312-555-0101"}
    assert {d.ward.number for d in doors if d.ward} == {1}
    done = AddressList.objects.get()
    assert done.state == AddressList.State.DONE and done.doors_added == 2
    assert [line for line, _problem in done.problems] == [4, 6]
    page = client.get(f"/manage/action-now/canvass/{canvass.slug}/").content.decode()
    assert "Line 4:" in page and "no address" in page

    # Not found to a door: reported by line, nothing added.
    geocoder_server.behaviour = "empty"
    other = SimpleUploadedFile("more.csv", b"address\n15 S Pine Ave, Chicago, IL\n", "text/csv")
    assert client.post(url, {"file": other}).status_code == 302
    drain()
    latest = AddressList.objects.first()
    assert latest is not None and latest.problems == [[2, "not located to its door."]]
    assert Door.objects.count() == 2

    # A file that cannot be read at all: a clear message, nothing kept.
    for bad in (b"street,unit\n1 Main St,\n", b"\xff\xfe\x00bad", b""):
        refused = client.post(url, {"file": SimpleUploadedFile("bad.csv", bad, "text/csv")})
        assert refused.status_code == 400
    assert AddressList.objects.count() == 2

    # A list whose worker stopped half-way is located again by the clock's job.
    AddressList.objects.filter(pk=latest.pk).update(
        state=AddressList.State.LOCATING,
        claimed_at=timezone.now() - datetime.timedelta(hours=1),
        problems=[],
    )
    assert addresslist.resume_stalled() == 1
    latest.refresh_from_db()
    assert latest.state == AddressList.State.DONE
    assert latest.problems == [[2, "not located to its door."]]
    assert addresslist.resume_stalled() == 0
