"""The demo's wards: the Council and its matters (legislation.demo), the campaigns'
demands linked to those matters, and the seed petitions' made-up signers spread over
the 50 wards, each with a point inside their ward, located by the worker's own routine
(petitions.wards) so the counts by ward, the whip boards and the maps have something to
show. Running it again changes nothing.

The points are made up like the signers: drawn inside each ward's shape (so every one is
a ward fact, precision "point"), with more signers in some wards than others, the same
on every run.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
import shapely

from groundswell.campaigns.models import Demand
from groundswell.districts.locate import map_version
from groundswell.districts.models import District
from groundswell.legislation import demo as legislation_demo
from groundswell.legislation.models import Matter
from groundswell.petitions import counts
from groundswell.petitions import wards as petition_wards
from groundswell.petitions.models import Petition, Signature

SEED = "groundswell-demo-wards"
POINTS_PER_WARD = 400
BATCH = 1000

# (campaign slug, the demand's title as the demo gives it, the matter's slug)
DEMAND_MATTERS = (
    (
        "ecps-ordinance",
        "City Council support for the Empowering Communities for Public Safety (ECPS) Ordinance",
        legislation_demo.ECPS.slug,
    ),
    (
        "expand-sanctuary",
        "Pass the amendments proposed to the Welcoming City Ordinance",
        legislation_demo.WELCOMING_CITY.slug,
    ),
)


def load(petitions: Sequence[Petition]) -> int:
    """Load the Council, link the demands, place the signers; returns how many
    signatures were located."""
    legislation_demo.load()
    link_demands()
    give_points(petitions)
    located = petition_wards.locate_signatures()
    counts.fold()
    return located


def link_demands() -> None:
    for campaign_slug, title, matter_slug in DEMAND_MATTERS:
        matter = Matter.objects.filter(slug=matter_slug).first()
        if matter is not None:
            Demand.objects.filter(
                campaign__slug=campaign_slug, title=title, matter__isnull=True
            ).update(matter=matter)


def ward_points(districts: Sequence[District], rng: random.Random) -> list[np.ndarray]:
    """POINTS_PER_WARD points (lat, lon) inside each district, drawn in its box."""
    generator = np.random.default_rng(rng.randrange(2**32))
    pools = []
    for district in districts:
        shape = district.geometry
        shapely.prepare(shape)
        found: list[np.ndarray] = []
        have = 0
        while have < POINTS_PER_WARD:
            lons = generator.uniform(district.min_lon, district.max_lon, POINTS_PER_WARD)
            lats = generator.uniform(district.min_lat, district.max_lat, POINTS_PER_WARD)
            inside = shapely.contains_xy(shape, lons, lats)
            found.append(np.column_stack([lats[inside], lons[inside]]))
            have += int(inside.sum())
        pools.append(np.concatenate(found)[:POINTS_PER_WARD])
    return pools


def give_points(petitions: Sequence[Petition]) -> int:
    """A point inside a ward for each demo signature that has none and is not located
    yet (the made-up signers give a ZIP code only); returns how many."""
    version = map_version()
    if version is None:
        return 0
    districts = list(District.objects.filter(set_id=version.id).order_by("number", "pk"))
    if not districts:
        return 0
    rng = random.Random(SEED)
    pools = ward_points(districts, rng)
    # Some wards sign more than others: organizing is uneven, and the map should show it.
    weights = [rng.lognormvariate(0, 0.9) for _ in districts]
    given = 0
    for petition in petitions:
        waiting = Signature.objects.filter(
            petition=petition, lat__isnull=True, address="", located_at__isnull=True
        ).order_by("pk")
        batch = []
        for signature in waiting.only("pk", "email_normalized").iterator(chunk_size=BATCH):
            pick = random.Random(f"{SEED}:{petition.slug}:{signature.email_normalized}")
            ward = pick.choices(range(len(districts)), weights=weights)[0]
            lat, lon = pools[ward][pick.randrange(POINTS_PER_WARD)]
            signature.lat, signature.lon = float(lat), float(lon)
            batch.append(signature)
        Signature.objects.bulk_update(batch, ["lat", "lon"], batch_size=BATCH)
        given += len(batch)
    return given
