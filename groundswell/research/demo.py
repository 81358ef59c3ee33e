"""The research desk in the demo (`python manage.py load_demo`): a small synthetic
police contract in two versions (2017, 2021) with clauses linked to the demands of
Action Now's "Police Contract Accountability" campaign (seed 003), the synthetic
complaint sample with two statistics cited, and synthetic ISBE receipts for the
placeholder alderpersons of wards 3, 20 and 42 (never for a real person).

Every file read here is under groundswell/research/data/ and made up. Loading again
changes nothing.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from groundswell.campaigns.models import Demand
from groundswell.organizations.models import Membership, Role
from groundswell.research.actions import documents, donors, finance, misconduct
from groundswell.research.models import (
    Category,
    ChartCitation,
    Clause,
    Dataset,
    Document,
    Version,
)

DATA = Path(__file__).resolve().parent / "data"
OWNER = "action-now"
CAMPAIGN = "police-contract-accountability"
TITLE = "Police union contract (synthetic sample)"
DATASET = "Complaints (synthetic sample)"
# (section number in 2017, the quoted words, category, which demand by position)
CLAUSES = (
    ("6.1", "No anonymous complaint shall be investigated", Category.DISQUALIFYING_COMPLAINTS, 2),
    (
        "6.2",
        "shall not be interrogated until forty-eight (48) hours",
        Category.RESTRICTING_INTERROGATIONS,
        2,
    ),
    (
        "6.3",
        "the officer shall be given the names of the complainants",
        Category.EVIDENCE_BEFORE_INTERROGATION,
        2,
    ),
    ("8.1", "including punitive damages", Category.CITY_PAYS, 1),
    (
        "8A.1",
        "destroyed five (5) years after the date of the incident",
        Category.ERASING_RECORDS,
        3,
    ),
)


def _organizer() -> Membership | None:
    return (
        Membership.objects.filter(
            organization__slug=OWNER, role__in=[Role.OWNER, Role.ADMIN, Role.ORGANIZER]
        )
        .select_related("organization", "user")
        .first()
    )


def load() -> None:
    membership = _organizer()
    demands = {
        d.position: d for d in Demand.objects.filter(campaign__slug=CAMPAIGN).order_by("position")
    }
    if membership is None or not demands:
        return
    by_order = dict(enumerate(demands.values(), start=1))
    _contract(membership, by_order)
    _complaints(membership, by_order)
    _money()


def _contract(membership: Membership, demands: dict[int, Demand]) -> None:
    document = Document.objects.filter(organization=membership.organization, title=TITLE).first()
    if document is not None:
        return
    document = documents.create_document(membership, title=TITLE)
    old = documents.add_version(
        membership,
        document,
        label="2017",
        effective_date=datetime.date(2017, 7, 1),
        text=(DATA / "contract-2017.txt").read_text(encoding="utf-8"),
    )
    documents.add_version(
        membership,
        document,
        label="2021",
        effective_date=datetime.date(2021, 7, 1),
        text=(DATA / "contract-2021.md").read_text(encoding="utf-8"),
        source_format=Version.Format.MARKDOWN,
    )
    for number, quote, category, position in CLAUSES:
        demand = demands.get(position)
        documents.tag_clause(
            membership,
            old.sections.get(number=number),
            quote=quote,
            category=category,
            demand_ids=[demand.pk] if demand else [],
        )
    assert Clause.objects.filter(document=document).count() == len(CLAUSES)


def _complaints(membership: Membership, demands: dict[int, Demand]) -> None:
    dataset = Dataset.objects.filter(organization=membership.organization, name=DATASET).first()
    if dataset is None:
        dataset = misconduct.create_dataset(
            membership,
            name=DATASET,
            source="Synthetic sample in the shape of the Citizens Police Data Project",
            data_date=datetime.date(2022, 1, 31),
            synthetic=True,
        )
    misconduct.import_officers(membership, dataset, (DATA / "officers.csv").read_bytes())
    misconduct.import_allegations(membership, dataset, (DATA / "allegations.csv").read_bytes())
    for position, measure in ((2, ChartCitation.Measure.FINDING), (3, ChartCitation.Measure.YEAR)):
        demand = demands.get(position)
        if demand and not ChartCitation.objects.filter(demand=demand, dataset=dataset).exists():
            documents.cite_chart(membership, demand, dataset, measure=measure)


def _money() -> None:
    isbe = DATA / "isbe"
    if not finance.import_committees(
        isbe / "Committees.txt", isbe / "Candidates.txt", isbe / "CmteCandidateLinks.txt"
    ):
        return
    finance.import_receipts(isbe / "Receipts.txt")
    donors.propose_matches()
