"""Legislation tests: records made through the same actions organizers and imports use,
import files written here from the documented shapes (Popolo/OCD people, OCD bills, the
Chicago City Clerk eLMS matter), and a real HTTP server on 127.0.0.1 for URL imports.

Every name and id below is made up for the tests."""

from __future__ import annotations

import copy
import datetime
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from groundswell.districts import actions as district_actions
from groundswell.districts import locate
from groundswell.districts.models import DistrictSet
from groundswell.legislation import actions
from groundswell.legislation.models import Body, Classification, DecisionMaker, Matter

WARDS_FILE = (
    Path(__file__).resolve().parents[2]
    / "groundswell"
    / "districts"
    / "data"
    / "chicago-wards-2023.geojson"
)
WARD = "ocd-division/country:us/state:il/place:chicago/ward:{}"
TERM_START = datetime.date(2023, 5, 15)

COUNCIL_ID = "ocd-organization/00000000-0000-4000-8000-00000000c0c1"
SAFETY_ID = "ocd-organization/00000000-0000-4000-8000-00000000c0c2"
PARTY_ID = "ocd-organization/00000000-0000-4000-8000-00000000c0c3"
REYES = "ocd-person/00000000-0000-4000-8000-0000000000a1"
NOVAK = "ocd-person/00000000-0000-4000-8000-0000000000a2"
HARPER = "ocd-person/00000000-0000-4000-8000-0000000000a3"


def post_id(ward: int) -> str:
    return f"ocd-post/00000000-0000-4000-8000-0000000000{ward:02d}"


PEOPLE: dict[str, Any] = {
    "organizations": [
        {"id": COUNCIL_ID, "name": "Chicago City Council", "classification": "legislature"},
        {
            "id": SAFETY_ID,
            "name": "Committee on Public Safety",
            "classification": "committee",
            "parent_id": COUNCIL_ID,
        },
        {"id": PARTY_ID, "name": "Democratic", "classification": "party"},
    ],
    "posts": [
        {
            "id": post_id(ward),
            "label": f"Ward {ward}",
            "role": "Alderman",
            "organization_id": COUNCIL_ID,
            "division_id": WARD.format(ward),
        }
        for ward in (1, 2, 3)
    ],
    "persons": [
        {
            "id": REYES,
            "name": "Daniela Reyes",
            "sort_name": "Reyes, Daniela",
            "image": "https://example.org/photos/reyes.jpg",
            "contact_details": [
                {"type": "voice", "value": "773-555-0101", "note": "Ward office"},
                {"type": "email", "value": "ward01@example.org", "note": "Ward office"},
                {
                    "type": "address",
                    "value": "1 W Example St\nChicago, IL 60622",
                    "note": "Ward office",
                },
            ],
            "links": [{"url": "https://example.org/ward1", "note": "Ward website"}],
            "sources": [{"url": "https://example.org/source"}],
        },
        {"id": NOVAK, "name": "Tomas Novak", "sort_name": "Novak, Tomas"},
        {"id": HARPER, "name": "Lee Harper", "sort_name": "Harper, Lee"},
    ],
    "memberships": [
        *(
            {
                "id": f"ocd-membership/00000000-0000-4000-8000-0000000001{ward:02d}",
                "person_id": person,
                "organization_id": COUNCIL_ID,
                "post_id": post_id(ward),
                "role": "Alderman",
                "start_date": "2023-05-15",
            }
            for ward, person in ((1, REYES), (2, NOVAK), (3, HARPER))
        ),
        {
            "id": "ocd-membership/00000000-0000-4000-8000-000000000200",
            "person_id": NOVAK,
            "organization_id": SAFETY_ID,
            "role": "Chair",
            "start_date": "2023-06",
        },
        {"person_id": REYES, "organization_id": PARTY_ID, "role": "member"},
    ],
}

BILL_ID = "ocd-bill/00000000-0000-4000-8000-00000000b111"
VOTE_ID = "ocd-vote/00000000-0000-4000-8000-00000000e111"

BILL: dict[str, Any] = {
    "_id": BILL_ID,
    "identifier": "O2023-0002065",
    "title": "Amendment of Municipal Code Chapter 2-173 regarding the Welcoming City Ordinance",
    "classification": ["ordinance"],
    "legislative_session": "2023",
    "from_organization": {"id": COUNCIL_ID, "name": "Chicago City Council"},
    "abstracts": [{"abstract": "Removes the exceptions from the ordinance.", "note": ""}],
    "sources": [{"url": "https://example.org/legislation/O2023-0002065"}],
    "actions": [
        {
            "description": "Introduced",
            "date": "2023-05-24",
            "organization_id": COUNCIL_ID,
            "classification": ["introduction"],
            "related_entities": [],
        },
        {
            "description": "Referred",
            "date": "2023-05-24",
            "organization_id": COUNCIL_ID,
            "classification": ["committee-referral"],
            "related_entities": [
                {
                    "name": "Committee on Public Safety",
                    "entity_type": "organization",
                    "organization_id": SAFETY_ID,
                }
            ],
        },
        {
            "description": "Passed",
            "date": "2023-07-19T10:00:00-05:00",
            "organization_id": COUNCIL_ID,
            "classification": ["passage"],
            "related_entities": [],
        },
    ],
    "sponsorships": [
        {
            "name": "Reyes, Daniela",
            "primary": True,
            "classification": "Primary",
            "entity_type": "person",
            "person_id": REYES,
            "organization_id": None,
        },
        {
            "name": "Novak, Tomas",
            "primary": False,
            "classification": "Regular",
            "entity_type": "person",
            "person_id": None,
            "organization_id": None,
        },
    ],
    "vote_events": [
        {
            "_id": VOTE_ID,
            "identifier": "",
            "motion_text": "Passage",
            "motion_classification": ["passage"],
            "start_date": "2023-07-19",
            "result": "pass",
            "organization": COUNCIL_ID,
            "bill_action": {"description": "Passed", "date": "2023-07-19"},
            "extras": {"needed": 2},
            "votes": [
                {"option": "yes", "voter_name": "Reyes, Daniela", "voter_id": REYES},
                {"option": "no", "voter_name": "Novak, Tomas", "voter_id": ""},
                {"option": "excused", "voter_name": "Harper, Lee"},
            ],
            "counts": [{"option": "yes", "value": 1}, {"option": "no", "value": 1}],
        }
    ],
}

MATTER_ID = "5A1B2C3D-0000-4E00-8000-0000000000A1"

ELMS: dict[str, Any] = {
    "matterId": MATTER_ID,
    "recordNumber": "R2023-0001234",
    "title": "Call for hearing on police contract accountability",
    "type": "Resolution",
    "status": "Adopted",
    "introductionDate": "2023-06-21T00:00:00",
    "controllingBody": "City Council",
    "sponsors": [
        {"sponsorName": "Reyes, Daniela", "sponsorType": "Sponsor", "personId": "p-1", "ward": "1"},
        {"sponsorName": "T. Novak", "sponsorType": "CoSponsor", "personId": "p-2", "ward": "2"},
    ],
    "actions": [
        {
            "actionId": "act-1",
            "actionDate": "2023-06-21T00:00:00",
            "actionName": "Referred to Committee on Public Safety",
            "actionByName": "City Council",
        },
        {
            "actionId": "act-2",
            "actionDate": "2023-07-19T00:00:00",
            "actionName": "Adopted",
            "actionByName": "City Council",
            "result": "Passed",
            "votes": [
                {"voterName": "Reyes, Daniela", "vote": "Yea", "ward": "1"},
                {"voterName": "Novak, Tomas", "vote": "Nay", "ward": "2"},
                {"voterName": "Harper, Lee", "vote": "Absent", "ward": "3"},
            ],
        },
    ],
}


def document(shape: dict[str, Any]) -> dict[str, Any]:
    """A copy of a sample to change in a test."""
    return copy.deepcopy(shape)


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    locate.forget_indexes()
    yield
    locate.forget_indexes()


@pytest.fixture
def wards(db: None) -> DistrictSet:
    """The 50 wards of the 2023 map, imported as `make demo` does."""
    return district_actions.import_districts(
        WARDS_FILE, "chicago-wards-2023", name="Chicago wards (2023–)", valid_from=TERM_START
    ).district_set


@pytest.fixture
def write(tmp_path: Path) -> Any:
    """Write a JSON document (or raw bytes) to a file and return its path."""
    counter = iter(range(1000))

    def write(content: Any) -> Path:
        path = tmp_path / f"import-{next(counter)}.json"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(json.dumps(content), encoding="utf-8")
        return path

    return write


@dataclass
class Council:
    body: Body
    members: dict[int, DecisionMaker]  # by ward


@pytest.fixture
def council(db: None) -> Council:
    """A City Council of 50 ward offices, each held since 2023-05-15 by "Member N"."""
    body = actions.save_body(
        None, name="City Council", classification=Classification.LEGISLATURE, seats=50
    )
    members = {}
    for ward in range(1, 51):
        office = actions.save_office(
            None,
            body=body,
            label=f"Alderperson, Ward {ward}",
            role="Alderperson",
            division_id=WARD.format(ward),
            number=ward,
        )
        person = actions.save_decision_maker(
            None, name=f"Member {ward}", sort_name=f"Member {ward:02d}"
        )
        actions.save_term(
            None, decision_maker=person, body=body, office=office, start_date=TERM_START
        )
        members[ward] = person
    return Council(body, members)


@pytest.fixture
def ordinance(council: Council) -> Matter:
    return actions.save_matter(
        None,
        record_number="O2023-0002065",
        title="Empowering Communities for Public Safety",
        status="In committee",
        introduced_on=datetime.date(2023, 6, 1),
        body=council.body,
    )


# --- An HTTP server on 127.0.0.1 -----------------------------------------------------------


@dataclass
class FileServer:
    """Serves `body` at any path; `behaviour` "slow" sleeps past any timeout, "trickle"
    sends a byte at a time, "404" answers not found."""

    body: bytes = b"{}"
    behaviour: str = "ok"
    server: ThreadingHTTPServer | None = None

    def url(self, path: str = "/people.json") -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"


@pytest.fixture
def file_server() -> Iterator[FileServer]:
    state = FileServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if state.behaviour == "slow":
                time.sleep(1.5)
            status = 404 if state.behaviour == "404" else 200
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            try:
                if state.behaviour == "trickle":
                    for byte in state.body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.05)
                else:
                    self.wfile.write(state.body)
            except OSError:
                pass  # the client gave up

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.server = server
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
