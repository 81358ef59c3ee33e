"""Outreach personas: Action Now asks Chicagoans to tell their alderperson to co-sponsor
an ordinance. The 2023 ward map as `make demo` loads it, two ward offices and the Mayor's
made through legislation's actions (every name and address made up), and a geocoder on
127.0.0.1 (tests.districts' server) placing 1234 W 18th St in its ward."""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from groundswell.accounts.models import User
from groundswell.core import ratelimit
from groundswell.districts import geocoding, locate
from groundswell.legislation import actions as legislation
from groundswell.legislation.actions.records import ward_map
from groundswell.legislation.models import Body, Classification, DecisionMaker, Office
from groundswell.organizations.models import Organization
from groundswell.outreach import actions
from groundswell.outreach.models import OutreachAction, TargetKind
from groundswell.outreach.views import OUTREACH_SCREEN
from tests.districts.conftest import GeocoderServer, geocoder_server, wards  # noqa: F401

HOME = (41.8578, -87.6602)  # where the test geocoder puts every address (Pilsen)
ELSEWHERE = (41.9484, -87.6553)  # Wrigleyville, another ward
OUTSIDE = (41.2, -88.9)  # far outside Chicago
STREET, ZIP = "1234 W 18th St", "60608"
TERM_START = datetime.date(2023, 5, 15)

SUPPORTER = {
    "name": "Lupe Ramos",
    "email": "lupe@example.org",
    "subject": "Please co-sponsor the ECPS ordinance",
    "body": "I live in your ward. Please co-sponsor it.",
}


@dataclass
class Council:
    home: Office  # the ward office of HOME
    elsewhere: Office  # the ward office of ELSEWHERE
    mayor: Office
    home_holder: DecisionMaker


@pytest.fixture(autouse=True)
def fresh_state() -> Iterator[None]:
    locate.forget_indexes()
    geocoding.trouble.reset()
    ratelimit.forget()
    yield
    locate.forget_indexes()
    geocoding.trouble.reset()


def seat(council: Body, number: int, **contacts: str) -> tuple[Office, DecisionMaker]:
    office = legislation.save_office(
        None,
        body=council,
        label=f"Alderperson, Ward {number}",
        division_id=f"ocd-division/country:us/state:il/place:chicago/ward:{number}",
        number=number,
        wards=ward_map(),
    )
    holder = legislation.save_decision_maker(None, name=f"Alex Ward{number}", **contacts)
    legislation.save_term(
        None, decision_maker=holder, body=council, office=office, start_date=TERM_START
    )
    return office, holder


@pytest.fixture
def council(wards: Any) -> Council:  # noqa: F811
    body = legislation.save_body(
        None, name="City Council", classification=Classification.LEGISLATURE
    )
    home_ward = locate.locate(*HOME)
    other_ward = locate.locate(*ELSEWHERE)
    assert home_ward is not None and other_ward is not None
    assert home_ward.number != other_ward.number
    assert home_ward.number is not None and other_ward.number is not None
    home, holder = seat(
        body,
        home_ward.number,
        email=f"ward{home_ward.number}@council.example",
        phone="312-555-0125",
        office_address="1645 S Blue Island Ave\nChicago, IL 60608",
    )
    elsewhere, _ = seat(body, other_ward.number, email=f"ward{other_ward.number}@council.example")
    executive = legislation.save_body(
        None, name="Office of the Mayor", classification=Classification.EXECUTIVE
    )
    mayor = legislation.save_office(None, body=executive, label="Mayor", role="Mayor")
    mayor_holder = legislation.save_decision_maker(
        None, name="Jordan Mayor", email="mayor@city.example", phone="312-555-0100"
    )
    legislation.save_term(
        None, decision_maker=mayor_holder, body=executive, office=mayor, start_date=TERM_START
    )
    return Council(home=home, elsewhere=elsewhere, mayor=mayor, home_holder=holder)


@pytest.fixture
def action(action_now: Organization, owner: User, council: Council) -> OutreachAction:
    """Action Now's published action, to the alderperson of the supporter's ward."""
    return actions.create_action(
        owner=action_now,
        created_by=owner,
        slug="cosponsor-ecps",
        title="Tell your alderperson: co-sponsor ECPS",
        intro="The ordinance waits for a vote.",
        subject="Please co-sponsor the ECPS ordinance",
        message="Dear Alderperson, please co-sponsor the ECPS ordinance.",
        target=TargetKind.WARD,
        by_email=True,
        by_call=True,
        call_script="Hello, I live in the ward and I ask the alderperson to co-sponsor ECPS.",
        published=True,
    )


@pytest.fixture
def geocoder(geocoder_server: GeocoderServer) -> GeocoderServer:  # noqa: F811
    geocoder_server.lat, geocoder_server.lon = HOME
    return geocoder_server


def form_token(age: float = 60) -> str:
    """The action page's form token, as served `age` seconds ago."""
    return OUTREACH_SCREEN.token(now=time.time() - age)


def message_post(office: Office, **overrides: Any) -> dict[str, Any]:
    """What a supporter sends from the message form (the hidden field left empty)."""
    return {
        **SUPPORTER,
        "office": office.pk,
        "form_token": form_token(),
        "website": "",
        **overrides,
    }


def call_post(office: Office, **overrides: Any) -> dict[str, Any]:
    return {
        "office": office.pk,
        "outcome": "voicemail",
        "form_token": form_token(),
        "website": "",
        **overrides,
    }
