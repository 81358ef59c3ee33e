"""Every signer in a ward: the worker locates signatures after they are stored, counts
by ward follow signing, confirming, invalidating and erasing, a recount repairs drift,
a ZIP point is never a ward, and whip boards show the campaign's signers by ward."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import shapely
from django.db import transaction
from django.test import Client

from groundswell.campaigns import actions as campaign_actions
from groundswell.core import clock
from groundswell.districts import assignment, geocoding
from groundswell.districts.models import District, DistrictSet
from groundswell.legislation import actions as legislation_actions
from groundswell.legislation.models import Matter
from groundswell.organizations.models import Organization
from groundswell.petitions import actions, anonymize, counts
from groundswell.petitions import wards as petition_wards
from groundswell.petitions.models import (
    DistrictCount,
    DistrictCountChange,
    Invalidation,
    Petition,
    Signature,
)
from tests.districts.conftest import WARD, GeocoderServer
from tests.legislation.conftest import Council

pytestmark = pytest.mark.django_db


@pytest.fixture
def chicago(wards: DistrictSet, settings: Any) -> DistrictSet:
    """The 50 wards, and no geocoder unless a test starts one."""
    settings.GEOCODER_URL = ""
    return wards


def inside(ward: int) -> tuple[float, float]:
    """A point well inside the ward (lat, lon)."""
    district = District.objects.get(division_id=WARD.format(ward), set__superseded_at=None)
    point = shapely.point_on_surface(district.geometry)
    return point.y, point.x


def sign(
    petition: Petition,
    email: str,
    *,
    ward: int | None = None,
    address: str = "",
    zip_code: str = "60608",
    ip: str | None = None,
) -> Signature:
    signature = actions.record_signature(
        petition,
        first_name="Ana",
        last_name="Ruiz",
        email=email,
        email_normalized=email,
        zip_code=zip_code,
        address=address,
        ip_address=ip,
    ).signature
    if ward is not None:
        # A point given with the signature, as an import or the API may give one.
        lat, lon = inside(ward)
        Signature.objects.filter(pk=signature.pk).update(lat=lat, lon=lon)
    return signature


def confirm(signature: Signature) -> None:
    actions.verify_signature(actions.verification_token(signature))


def worker_round() -> None:
    """What the worker's clock does: locate, then fold the counts."""
    clock.run_due(force=True, close_connections=False)


def fold() -> dict[str, int]:
    counts.fold()
    return counts.by_district(Petition.objects.get(pk=Signature.objects.first().petition_id))


# --- Locating after the INSERT -------------------------------------------------------------


def test_signing_does_not_locate_the_worker_does(
    petition: Petition, chicago: DistrictSet, geocoder_server: GeocoderServer
) -> None:
    signature = sign(petition, "ana@example.org", address="1234 W 18th St, Chicago")
    signature.refresh_from_db()
    assert signature.located_at is None and signature.district is None
    assert geocoder_server.asked == []  # signing asked no geocoder

    worker_round()

    signature.refresh_from_db()
    assert signature.located_at is not None
    assert signature.district_precision == "interpolated"
    assert signature.district is not None
    assert signature.district.division_id.startswith(WARD.format(""))
    assert len(geocoder_server.asked) == 1


def test_a_signature_through_the_sign_form_is_located_by_its_address(
    client: Client, petition: Petition, chicago: DistrictSet, geocoder_server: GeocoderServer
) -> None:
    from tests.conftest import form_token

    response = client.post(
        f"/petitions/{petition.slug}/sign",
        {
            "first_name": "Ana",
            "last_name": "Ruiz",
            "email": "ana@example.org",
            "zip_code": "60608",
            "address": "1234 W 18th St",
            "form_token": form_token(),
        },
    )
    assert response.status_code in (200, 302, 303)
    signature = Signature.objects.get(email_normalized="ana@example.org")
    assert signature.located_at is None

    petition_wards.locate_signatures()

    signature.refresh_from_db()
    assert signature.district_precision == "interpolated" and signature.district is not None


def test_a_zip_code_alone_is_low_precision_and_never_a_ward(
    petition: Petition, chicago: DistrictSet
) -> None:
    confirm(sign(petition, "ana@example.org", zip_code="60608"))
    worker_round()

    signature = Signature.objects.get()
    assert signature.district_precision == "zip"
    assert signature.district is None  # the ZIP point falls in a ward; it is not theirs
    figures = counts.district_figures(petition)
    assert figures.by_district == {}
    assert figures.low_precision == 1
    assert figures.unlocated == 0


def test_a_street_alone_is_not_a_ward_either(
    petition: Petition, chicago: DistrictSet, geocoder_server: GeocoderServer, settings: Any
) -> None:
    settings.GEOCODER_KIND = "pelias"
    settings.GEOCODER_URL = geocoder_server.url()
    geocoder_server.pelias_layer = "street"
    confirm(sign(petition, "ana@example.org", address="W 18th St", zip_code=""))
    worker_round()

    assert Signature.objects.get().district_precision == "street"
    assert counts.by_district(petition) == {}
    assert counts.district_figures(petition).low_precision == 1


def test_nothing_to_go_by_and_a_point_outside_chicago_are_not_found(
    petition: Petition, chicago: DistrictSet
) -> None:
    confirm(sign(petition, "ana@example.org", zip_code=""))
    far = sign(petition, "bo@example.org", zip_code="")
    Signature.objects.filter(pk=far.pk).update(lat=40.7128, lon=-74.0060)  # New York
    confirm(far)
    worker_round()

    assert sorted(Signature.objects.values_list("district_precision", flat=True)) == [
        "none",
        "point",
    ]
    figures = counts.district_figures(petition)
    assert figures.by_district == {} and figures.not_found == 2 and figures.unlocated == 0


# --- Counts by ward ------------------------------------------------------------------------


def test_only_verified_signers_count_in_their_ward(
    petition: Petition, chicago: DistrictSet
) -> None:
    confirm(sign(petition, "a@example.org", ward=12))
    confirm(sign(petition, "b@example.org", ward=12))
    sign(petition, "c@example.org", ward=12)  # not confirmed
    confirm(sign(petition, "d@example.org", ward=25))
    worker_round()

    assert counts.by_district(petition) == {WARD.format(12): 2, WARD.format(25): 1}
    row = DistrictCount.objects.get(petition=petition, district__division_id=WARD.format(12))
    assert (row.total, row.verified, row.precision) == (3, 2, "point")


def test_a_signature_confirmed_after_it_was_located_counts_once(
    petition: Petition, chicago: DistrictSet
) -> None:
    signature = sign(petition, "a@example.org", ward=7)
    worker_round()
    assert counts.by_district(petition) == {}

    confirm(signature)
    confirm(signature)  # the link clicked twice
    worker_round()

    assert counts.by_district(petition) == {WARD.format(7): 1}


def test_invalidation_takes_signers_out_of_their_ward_and_reversing_brings_them_back(
    petition: Petition, chicago: DistrictSet
) -> None:
    confirm(sign(petition, "a@example.org", ward=3, ip="203.0.113.9"))
    confirm(sign(petition, "b@example.org", ward=3, ip="198.51.100.1"))
    worker_round()
    confirm(sign(petition, "c@example.org", ward=3, ip="203.0.113.9"))  # not located yet
    counts.fold()
    assert counts.by_district(petition) == {WARD.format(3): 2}

    invalidation = actions.invalidate(
        petition, kind=Invalidation.Kind.IP, value="203.0.113.9", reason="A bot", by=None
    )
    worker_round()  # the third is located now, already invalidated: it never counts
    assert counts.by_district(petition) == {WARD.format(3): 1}

    actions.reverse_invalidation(invalidation, by=None)
    counts.fold()
    assert counts.by_district(petition) == {WARD.format(3): 3}


def test_erasure_keeps_the_ward_count_and_drops_the_point(
    petition: Petition, chicago: DistrictSet
) -> None:
    confirm(sign(petition, "a@example.org", ward=40))
    worker_round()

    anonymize.anonymize(Signature.objects.all(), datetime.datetime.now(datetime.UTC))
    counts.recount(petition)

    signature = Signature.objects.get()
    assert (signature.lat, signature.lon, signature.address) == (None, None, "")
    assert counts.by_district(petition) == {WARD.format(40): 1}


def test_a_recount_repairs_drift_and_leaves_unfolded_changes_alone(
    petition: Petition, chicago: DistrictSet
) -> None:
    confirm(sign(petition, "a@example.org", ward=1))
    confirm(sign(petition, "b@example.org", ward=2))
    worker_round()
    DistrictCount.objects.filter(petition=petition).update(verified=99, total=99)
    late = sign(petition, "c@example.org", ward=2)
    confirm(late)
    petition_wards.locate_signatures()  # its change waits, not folded

    counts.recount(petition)
    counts.fold()

    assert counts.by_district(petition) == {WARD.format(1): 1, WARD.format(2): 2}


def test_suspects_count_in_their_ward_once_cleared(
    petition: Petition, chicago: DistrictSet
) -> None:
    signature = actions.record_signature(
        petition,
        first_name="A",
        last_name="B",
        email="a@example.org",
        email_normalized="a@example.org",
        zip_code="60608",
        suspect_reason="too_fast",
    ).signature
    Signature.objects.filter(pk=signature.pk).update(lat=inside(9)[0], lon=inside(9)[1])
    confirm(signature)
    worker_round()
    assert counts.by_district(petition) == {}

    actions.clear_suspects(petition, Signature.objects.filter(pk=signature.pk))
    counts.fold()
    assert counts.by_district(petition) == {WARD.format(9): 1}


# --- Safe to kill, safe to repeat ----------------------------------------------------------


def test_a_batch_killed_before_its_commit_is_placed_once_by_the_next_round(
    petition: Petition, chicago: DistrictSet
) -> None:
    for n in range(3):
        confirm(sign(petition, f"s{n}@example.org", ward=20))

    def killed(rows: list[Any], placements: Any) -> None:
        raise KeyboardInterrupt  # the process dies inside the write transaction

    dying = assignment.Locatable(**{**petition_wards.SIGNATURES.__dict__, "on_located": killed})
    with pytest.raises(KeyboardInterrupt):
        assignment.assign(dying)
    assert Signature.objects.filter(located_at__isnull=True).count() == 3
    assert DistrictCountChange.objects.count() == 0

    assert petition_wards.locate_signatures() == 3
    assert petition_wards.locate_signatures() == 0  # nothing left, nothing repeated
    counts.fold()
    assert counts.by_district(petition) == {WARD.format(20): 3}


def test_two_workers_placing_the_same_rows_count_them_once(
    petition: Petition, chicago: DistrictSet
) -> None:
    confirm(sign(petition, "a@example.org", ward=5))
    rows = list(Signature.objects.values("pk", "address", "zip_code", "lat", "lon"))
    placements = assignment.place_many([petition_wards.SIGNATURES.place_of(r) for r in rows])
    done = {row["pk"]: p for row, p in zip(rows, placements, strict=True) if p}

    assert assignment.write(petition_wards.SIGNATURES, done) == 1
    assert assignment.write(petition_wards.SIGNATURES, done) == 0  # the slower worker
    counts.fold()
    assert counts.by_district(petition) == {WARD.format(5): 1}


def test_locating_inside_a_transaction_is_refused(petition: Petition, chicago: DistrictSet) -> None:
    from groundswell.core.network import InsideTransaction

    with transaction.atomic(), pytest.raises(InsideTransaction):
        assignment.place_many([assignment.Place(address="1234 W 18th St")])


def test_a_geocoder_in_trouble_leaves_addresses_for_a_later_round(
    petition: Petition, chicago: DistrictSet, geocoder_server: GeocoderServer
) -> None:
    geocoder_server.behaviour = "500"
    confirm(sign(petition, "a@example.org", address="1234 W 18th St"))
    worker_round()
    signature = Signature.objects.get()
    assert signature.located_at is None  # not settled at the ZIP point for good

    worker_round()  # while the geocoder is left alone, still nothing settled
    assert Signature.objects.get().located_at is None

    geocoder_server.behaviour = "ok"
    geocoding.trouble.paused_until = 0.0  # the pause is over
    worker_round()
    signature.refresh_from_db()
    assert signature.district_precision == "interpolated" and signature.district is not None
    assert sum(counts.by_district(petition).values()) == 1


# --- Whip boards ---------------------------------------------------------------------------


def test_a_whip_board_shows_the_campaigns_verified_signers_by_ward(
    client: Client,
    petition: Petition,
    action_now: Organization,
    chicago: DistrictSet,
    council: Council,
) -> None:
    matter = Matter.objects.create(
        slug="o2023-0002065", record_number="O2023-0002065", title="ECPS"
    )
    campaign = campaign_actions.create_campaign(
        owner=action_now, created_by=None, slug="ecps", title="ECPS", status="active"
    )
    campaign_actions.add_demand(campaign, title="Pass ECPS", matter=matter)
    actions.update_petition(petition, campaign=campaign)
    for n in range(3):
        confirm(sign(petition, f"w12-{n}@example.org", ward=12))
    confirm(sign(petition, "zip@example.org"))  # a ZIP point in some ward: not shown
    worker_round()
    board = legislation_actions.create_board(action_now, matter, is_public=True)

    page = client.get(board.get_absolute_url()).content.decode()

    assert "Verified signers" in page
    assert '<td class="num">3</td>' in page
    assert '<td class="num">1</td>' not in page


def test_an_address_answered_before_is_placed_while_the_geocoder_is_in_trouble(
    petition: Petition, chicago: DistrictSet, geocoder_server: GeocoderServer
) -> None:
    confirm(sign(petition, "a@example.org", address="1234 W 18th St"))
    worker_round()  # answered and kept
    geocoder_server.behaviour = "500"
    confirm(sign(petition, "b@example.org", address="77 Nowhere Ave"))  # fails, pauses
    confirm(sign(petition, "c@example.org", address="1234 W 18th St"))  # kept answer
    worker_round()

    placed = dict(Signature.objects.values_list("email", "district_precision"))
    assert placed == {
        "a@example.org": "interpolated",
        "b@example.org": "",
        "c@example.org": "interpolated",
    }


def test_a_signers_copy_of_their_data_says_their_ward_and_how_it_was_found(
    petition: Petition, chicago: DistrictSet
) -> None:
    from groundswell.petitions import records

    signature = sign(petition, "a@example.org", ward=25)
    confirm(signature)
    worker_round()
    signature.refresh_from_db()
    assert signature.person is not None

    [item] = records.SignatureRecords().export(signature.person)["items"]

    assert item["ward"] == WARD.format(25)
    assert item["ward_precision"] == "point"
    assert item["point"] == [signature.lat, signature.lon]
