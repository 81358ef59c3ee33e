"""Petitions' part in wards: signatures located by the worker (districts.assignment),
and whip boards told how many verified signers live in each alderperson's ward
(legislation.registry).

Signing never geocodes: the signature is stored as it comes and the worker places it
later, from the point given with it, else its address, else its ZIP code (low precision,
never a ward). Locating a signature that counts adds it to the counts by district in the
same transaction (petitions.counts), so a signature is in them once and only once.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from groundswell.districts import assignment
from groundswell.petitions import counts
from groundswell.petitions.models import Petition, Signature, SignatureState

if TYPE_CHECKING:
    from groundswell.legislation.models import WhipBoard


def _place_of(row: assignment.Row) -> assignment.Place:
    return assignment.Place(
        address=row["address"], zip_code=row["zip_code"], lat=row["lat"], lon=row["lon"]
    )


def _counted(row: assignment.Row) -> bool:
    """Signature.counts, on a row read under the lock."""
    suspect = bool(row["suspect_reason"]) and row["cleared_at"] is None
    return not suspect and row["invalidation_id"] is None


def _located(rows: list[assignment.Row], placements: dict[int, assignment.Placement]) -> None:
    """Add the signatures just located that count to the counts by district."""
    changes: dict[counts.Place, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if not _counted(row):
            continue
        placement = placements[row["pk"]]
        change = changes[(row["petition_id"], placement.district_id, placement.precision)]
        change[0] += 1
        change[1] += row["state"] == SignatureState.VERIFIED
    counts.record_located(changes)


SIGNATURES = assignment.Locatable(
    name="petitions.signatures",
    model=Signature,
    fields=("address", "zip_code", "lat", "lon"),
    place_of=_place_of,
    # What decides whether and how the signature counts, read under the row lock: a
    # confirmation or an invalidation cannot slip between reading it and counting.
    lock_fields=("petition_id", "state", "suspect_reason", "cleared_at", "invalidation_id"),
    on_located=_located,
)


def locate_signatures(*, limit: int | None = None) -> int:
    """Locate the signatures not located yet (the worker does this on its own)."""
    return assignment.assign(SIGNATURES, limit=limit)


class WardSigners:
    """legislation.registry provider: the verified signers, by ward, of the published
    petitions of the campaigns with a demand linked to the board's matter that the
    board's organization owns or partners in. Ward facts only (counts.by_district)."""

    name = "petitions"

    def signers_by_ward(self, board: WhipBoard) -> dict[str, int] | None:
        from groundswell.campaigns.models import Campaign

        campaigns = Campaign.objects.involving(board.organization).filter(
            demands__matter_id=board.matter_id
        )
        petitions = Petition.objects.published().filter(campaign__in=campaigns.values("pk"))
        if not petitions.exists():
            return None
        return counts.verified_by_district(petitions)


def register() -> None:
    from groundswell.legislation import registry

    assignment.register(SIGNATURES)
    registry.register(WardSigners())
