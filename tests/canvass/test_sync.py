"""The phone's upload: idempotent, all or nothing per batch, scoped to one turf;
conflicts queued, revocation at once, answers on the person's timeline."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client

from groundswell.canvass import actions, sync
from groundswell.canvass.models import (
    Canvass,
    Canvasser,
    Conflict,
    DoNotKnock,
    Door,
    Question,
    Resident,
    Visit,
)
from groundswell.organizations.models import Membership
from groundswell.people.timeline import timeline
from tests.canvass.conftest import grid_entries, resident

VISITS = "/canvass/api/visits"
TURF = "/canvass/api/turf"


@pytest.fixture
def cut(canvass: Canvass, membership: Membership) -> Canvass:
    entries = grid_entries(40)
    person = resident(canvass.organization, "Rosa")
    entries[0] = actions.DoorEntry(entries[0].address, entries[0].lat, entries[0].lon, person.pk)
    actions.add_doors(canvass, entries)
    actions.cut_turfs(membership, canvass, 2)
    return canvass


@pytest.fixture
def codes(cut: Canvass, membership: Membership) -> dict[str, Any]:
    first, second = cut.turfs.all()
    alice, alice_code = actions.issue_code(membership, cut, name="Alice", turf=first)
    bob, bob_code = actions.issue_code(membership, cut, name="Bob", turf=second)
    return {"alice": alice, "alice_code": alice_code, "bob": bob, "bob_code": bob_code}


def visit(door: Door, **fields: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "door": door.pk,
        "result": "contacted",
        "at": "2026-12-07T17:00:00+00:00",
        **fields,
    }


def upload(client: Client, code: str, visits: Any, raw: bytes | None = None) -> Any:
    body = raw if raw is not None else json.dumps({"visits": visits})
    return client.post(VISITS, body, content_type="application/json", HTTP_X_CANVASS_CODE=code)


def doors_of(canvasser: Canvasser) -> list[Door]:
    return list(Door.objects.filter(turf=canvasser.turf).order_by("walk_order"))


def test_the_same_visit_sent_a_hundred_times_is_one_row(
    client: Client, codes: dict[str, Any]
) -> None:
    door = doors_of(codes["alice"])[0]
    one = visit(door)
    for _ in range(100):
        response = upload(client, codes["alice_code"], [one, one])
        assert response.status_code == 200
        assert response.json()["acknowledged"] == [one["id"]]
    assert Visit.objects.filter(client_id=one["id"]).count() == 1
    assert Visit.objects.count() == 1


def test_the_turf_download_holds_only_the_canvassers_turf(
    client: Client, codes: dict[str, Any]
) -> None:
    response = client.get(TURF, HTTP_X_CANVASS_CODE=codes["alice_code"])
    assert response.status_code == 200
    ids = {d["id"] for d in response.json()["doors"]}
    assert ids == {d.pk for d in doors_of(codes["alice"])}
    assert [q["kind"] for q in response.json()["questions"]] == [
        "scale",
        "single",
        "multiple",
        "text",
    ]


@pytest.mark.parametrize(
    "fault",
    ["forged id", "another turf", "unknown door", "bad answer", "bad result", "no time"],
)
def test_a_batch_with_a_bad_visit_is_refused_whole(
    client: Client, codes: dict[str, Any], fault: str
) -> None:
    mine, theirs = doors_of(codes["alice"]), doors_of(codes["bob"])
    question = Question.objects.get(canvass=mine[0].canvass, kind=Question.Kind.SINGLE)
    bad = {
        "forged id": visit(mine[1], id="not-a-uuid"),
        "another turf": visit(theirs[0]),
        "unknown door": {**visit(mine[1]), "door": 10**9},
        "bad answer": visit(mine[1], answers={str(question.pk): "Maybe"}),
        "bad result": visit(mine[1], result="asleep"),
        "no time": visit(mine[1], at="yesterday"),
    }[fault]
    response = upload(client, codes["alice_code"], [visit(mine[0]), bad])
    assert response.status_code == 400
    assert "Visit 2" in response.json()["problems"][0]
    assert not Visit.objects.exists()


def test_an_id_already_used_for_another_door_is_refused_and_nothing_is_written(
    client: Client, codes: dict[str, Any]
) -> None:
    mine = doors_of(codes["alice"])
    first = visit(mine[0])
    assert upload(client, codes["alice_code"], [first]).status_code == 200
    again = visit(mine[1], id=first["id"])
    response = upload(client, codes["alice_code"], [visit(mine[2]), again])
    assert response.status_code == 409
    assert Visit.objects.count() == 1


def test_oversized_and_malformed_uploads_are_refused(client: Client, codes: dict[str, Any]) -> None:
    door = doors_of(codes["alice"])[0]
    too_many = [visit(door) for _ in range(sync.MAX_VISITS + 1)]
    assert upload(client, codes["alice_code"], too_many).status_code == 413
    assert upload(client, codes["alice_code"], None, raw=b'{"visits": [').status_code == 400
    assert upload(client, codes["alice_code"], None, raw=b'["x"]').status_code == 400
    huge = b'{"visits": [], "pad": "' + b"x" * sync.MAX_BYTES + b'"}'
    response = upload(client, codes["alice_code"], None, raw=huge)
    assert response.status_code == 413
    assert "error" in response.json()
    assert not Visit.objects.exists()


def test_a_revoked_code_stops_at_once_and_its_visits_stay(
    client: Client, codes: dict[str, Any], membership: Membership
) -> None:
    door = doors_of(codes["alice"])[0]
    assert upload(client, codes["alice_code"], [visit(door)]).status_code == 200
    assert actions.revoke(membership, codes["alice"]) is True
    assert upload(client, codes["alice_code"], [visit(door)]).status_code == 403
    assert client.get(TURF, HTTP_X_CANVASS_CODE=codes["alice_code"]).status_code == 403
    assert client.get(TURF, HTTP_X_CANVASS_CODE="ABCDE-FGHJK").status_code == 403
    assert Visit.objects.count() == 1


def test_two_canvassers_disagreeing_keep_both_visits_and_queue_a_conflict(
    client: Client, codes: dict[str, Any], membership: Membership
) -> None:
    door = doors_of(codes["alice"])[0]
    # Bob's code is moved to Alice's turf by a new code for the same turf.
    _carol, carol_code = actions.issue_code(membership, door.canvass, name="Carol", turf=door.turf)
    upload(client, codes["alice_code"], [visit(door, attributes={"language": "Spanish"})])
    upload(
        client,
        carol_code,
        [visit(door, attributes={"language": "English"}, at="2026-12-07T17:30:00+00:00")],
    )
    door.refresh_from_db()
    assert door.attributes == {"language": "Spanish"}
    conflict = Conflict.objects.get()
    assert (conflict.kept, conflict.proposed) == ("Spanish", "English")
    assert Visit.objects.filter(door=door).count() == 2
    assert actions.resolve_conflict(membership, conflict, take_proposed=True) is True
    assert actions.resolve_conflict(membership, conflict, take_proposed=False) is False
    door.refresh_from_db()
    assert door.attributes == {"language": "English"}


def test_do_not_contact_takes_the_door_out_of_every_download(
    client: Client, codes: dict[str, Any]
) -> None:
    door = doors_of(codes["alice"])[0]
    upload(client, codes["alice_code"], [visit(door, result="do_not_contact")])
    assert DoNotKnock.objects.filter(building=door.building).exists()
    ids = {
        d["id"] for d in client.get(TURF, HTTP_X_CANVASS_CODE=codes["alice_code"]).json()["doors"]
    }
    assert door.pk not in ids


def test_answers_reach_the_persons_timeline_for_the_canvassing_organization_only(
    client: Client, codes: dict[str, Any], ocad: Any
) -> None:
    door = Door.objects.get(residents__isnull=False)
    person = door.residents.get().person
    code = codes["alice_code"] if door.turf_id == codes["alice"].turf_id else codes["bob_code"]
    scale = Question.objects.get(canvass=door.canvass, kind=Question.Kind.SCALE)
    upload(client, code, [visit(door, person=person.pk, answers={str(scale.pk): 4})])
    entries = [e for e in timeline(person, door.canvass.organization) if e.kind == "canvass_visit"]
    assert len(entries) == 1
    assert "4" in entries[0].summary
    assert not [e for e in timeline(person, ocad) if e.kind == "canvass_visit"]


def test_erasing_a_resident_clears_what_canvassers_reported_of_their_household(
    client: Client, codes: dict[str, Any], membership: Membership
) -> None:
    from groundswell.people.rights import actions as rights

    rosa = Resident.objects.get().person
    door = Resident.objects.get().door
    _carol, carol_code = actions.issue_code(membership, door.canvass, name="Carol", turf=door.turf)
    upload(client, carol_code, [visit(door, attributes={"phone": "312-555-0100"})])
    upload(client, carol_code, [visit(door, attributes={"phone": "312-555-0199"})])
    door.refresh_from_db()
    assert door.attributes and Conflict.objects.filter(door=door).exists()

    rights.erase(rosa, via="operator")
    door.refresh_from_db()
    assert door.attributes == {}
    assert not Conflict.objects.filter(door=door).exists()
    assert not Visit.objects.filter(attributes__has_key="phone").exists()
