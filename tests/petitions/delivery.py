"""Delivery tests' setting: the demo Council (the 2023 ward map, the Mayor and 50
placeholder alderpersons, through legislation.demo.load) and signers placed in wards.

A signer's ward is set as the worker's assignment writes it for a point given with
the signature (precision "point"); the counts are then recounted from the signatures
as the worker's recount does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import timezone

from groundswell.districts import locate, svg
from groundswell.districts.models import District, DistrictSet, Kind
from groundswell.legislation import demo
from groundswell.legislation.models import DecisionMaker
from groundswell.petitions import actions, counts
from groundswell.petitions.models import Petition, Signature, Target


@pytest.fixture
def council(db: None) -> Iterator[demo.Loaded]:
    locate.forget_indexes()
    svg.forget()
    yield demo.load()
    svg.forget()
    locate.forget_indexes()


def alderperson(ward: int) -> DecisionMaker:
    return DecisionMaker.objects.get(slug=f"ward-{ward}-alderperson")


def mayor() -> DecisionMaker:
    return DecisionMaker.objects.get(name="Brandon Johnson")


def address_to(
    petition: Petition, *people: DecisionMaker, threshold: int | None = None
) -> list[Target]:
    """Make these decision makers on record the petition's targets (as the form does)."""
    from groundswell.petitions.target_forms import target_fields

    actions.set_targets(petition, [target_fields(p, threshold) for p in people])
    return list(petition.targets.all())


def sign(
    petition: Petition,
    first: str,
    *,
    ward: int | None = None,
    consents: list[int] | None = None,
    verify: bool = True,
    comment: str = "",
    last: str = "Signer",
    zip_code: str = "60608",
) -> Signature:
    email = f"{first.lower()}.{last.lower()}@example.org"
    signature = actions.record_signature(
        petition,
        first_name=first,
        last_name=last,
        email=email,
        email_normalized=email,
        zip_code=zip_code,
        comment=comment,
        consents=consents or [],
    ).signature
    if verify:
        actions.verify_signature(actions.verification_token(signature))
    if ward is not None:
        wards = DistrictSet.objects.current()[Kind.WARD]
        Signature.objects.filter(pk=signature.pk).update(
            district=District.objects.get(set=wards, number=ward),
            district_precision="point",
            located_at=timezone.now(),
        )
    signature.refresh_from_db()
    return signature


def recount(petition: Petition) -> None:
    """Fold the signatures' count changes and recount, as the worker's clock does."""
    counts.fold()
    counts.recount(petition)
    petition.refresh_from_db()
