"""Research desk tests: Dee organizes at Action Now, which owns the police contract
campaign; the sample files are the synthetic ones under groundswell/research/data."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest

from groundswell.campaigns.models import Campaign, Demand
from groundswell.districts import locate
from groundswell.districts.actions import import_districts
from groundswell.districts.models import DistrictSet
from groundswell.organizations.models import Membership, Organization
from groundswell.research.actions import documents, misconduct
from groundswell.research.models import Dataset, Document, Version

DATA = Path(__file__).resolve().parents[2] / "groundswell" / "research" / "data"


@pytest.fixture
def dee(organizer: object, action_now: Organization) -> Membership:
    return Membership.objects.get(organization=action_now, user=organizer)


@pytest.fixture
def campaign(action_now: Organization) -> Campaign:
    campaign = Campaign.objects.create(
        owner=action_now,
        slug="police-contract",
        title="Police Contract Accountability",
        status=Campaign.Status.ACTIVE,
    )
    Demand.objects.create(campaign=campaign, position=1, title="End the 48-hour delay")
    Demand.objects.create(campaign=campaign, position=2, title="Keep misconduct records")
    return campaign


@pytest.fixture
def contract(dee: Membership) -> Document:
    return documents.create_document(dee, title="Police union contract")


@pytest.fixture
def versions(dee: Membership, contract: Document) -> tuple[Version, Version]:
    old = documents.add_version(
        dee,
        contract,
        label="2017",
        effective_date=datetime.date(2017, 7, 1),
        text=(DATA / "contract-2017.txt").read_text(),
    )
    new = documents.add_version(
        dee,
        contract,
        label="2021",
        effective_date=datetime.date(2021, 7, 1),
        text=(DATA / "contract-2021.md").read_text(),
        source_format=Version.Format.MARKDOWN,
    )
    return old, new


@pytest.fixture
def wards(db: None) -> Iterator[DistrictSet]:
    """The 50 wards of the 2023 map, imported as `make demo` does."""
    locate.forget_indexes()
    yield import_districts(
        DATA.parents[1] / "districts" / "data" / "chicago-wards-2023.geojson",
        "chicago-wards-2023",
        name="Chicago wards (2023–)",
        valid_from=datetime.date(2023, 5, 15),
    ).district_set
    locate.forget_indexes()


@pytest.fixture
def sample(dee: Membership, wards: DistrictSet) -> Dataset:
    """The synthetic sample data set, imported."""
    dataset = misconduct.create_dataset(
        dee,
        name="Complaints (synthetic sample)",
        source="Synthetic sample in the shape of the Citizens Police Data Project",
        data_date=datetime.date(2022, 1, 31),
        synthetic=True,
    )
    misconduct.import_officers(dee, dataset, (DATA / "officers.csv").read_bytes())
    misconduct.import_allegations(dee, dataset, (DATA / "allegations.csv").read_bytes())
    return dataset
