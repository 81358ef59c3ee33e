"""The demo's Council: the Mayor, the 50 ward offices with placeholder holders, the two
seed matters with their sponsors and a whip board each, loaded once however often the
loader runs, and marked as demo data on the pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.districts.models import DistrictSet
from groundswell.legislation import demo
from groundswell.legislation.models import (
    Body,
    DecisionMaker,
    Matter,
    Office,
    Revision,
    StanceChange,
    Term,
    WhipBoard,
)
from groundswell.organizations.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def coalitions(db: None) -> None:
    Organization.objects.create(name="ECPS Coalition", slug="ecps-coalition", is_coalition=True)
    Organization.objects.create(
        name="Expand Sanctuary Coalition", slug="expand-sanctuary-coalition", is_coalition=True
    )


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Body, Office, DecisionMaker, Term, Matter, WhipBoard, StanceChange, Revision)
    }


def test_the_demo_loads_the_mayor_50_wards_two_matters_and_their_boards_once(
    coalitions: None,
) -> None:
    loaded = demo.load()
    first = counts()
    demo.load()

    assert counts() == first
    assert DistrictSet.objects.filter(slug="chicago-wards-2023").count() == 1
    council = loaded.council
    wards = Office.objects.filter(body=council, number__isnull=False)
    assert wards.count() == 50
    assert all(office.district is not None for office in wards)
    assert council.majority() == 26
    mayor = Term.objects.current().get(office__label="Mayor").decision_maker
    assert mayor.name == "Brandon Johnson" and not mayor.demo
    assert DecisionMaker.objects.in_office().filter(demo=True).count() == 50
    assert {m.title for m in loaded.matters} == {demo.ECPS.title, demo.WELCOMING_CITY.title}
    ecps = Matter.objects.get(slug=demo.ECPS.slug)
    assert ecps.sponsorships.count() == 1 + len(demo.ECPS.cosponsors)
    assert ecps.referrals.get().committee.name == "Committee on Public Safety"
    assert sorted(b.organization.slug for b in loaded.boards) == [
        "ecps-coalition",
        "expand-sanctuary-coalition",
    ]
    board = WhipBoard.objects.get(matter=ecps)
    assert board.is_public
    assert board.stances.filter(value="yes").count() == 1 + len(demo.ECPS.cosponsors)
    assert board.stances.exclude(value="yes").exists()


def test_the_demo_without_its_organizations_skips_the_boards_and_adds_them_later(
    db: None,
) -> None:
    loaded = demo.load()
    assert loaded.boards == [] and len(loaded.skipped_boards) == 2

    Organization.objects.create(name="ECPS Coalition", slug="ecps-coalition", is_coalition=True)
    again = demo.load()

    assert [b.organization.slug for b in again.boards] == ["ecps-coalition"]


def test_the_demo_pages_say_the_names_are_placeholders(client: Client, coalitions: None) -> None:
    demo.load()
    board = WhipBoard.objects.get(matter__slug=demo.ECPS.slug)

    for url in (
        reverse("legislation:council"),
        reverse("legislation:matter", args=[demo.ECPS.slug]),
        board.get_absolute_url(),
        DecisionMaker.objects.get(slug="ward-7-alderperson").get_absolute_url(),
    ):
        page = client.get(url).content.decode()
        assert "Demo data." in page, url
        assert "placeholder" in page, url
