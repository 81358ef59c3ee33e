"""Complaint data: the CPDP-shaped import (good, repeated and malformed rows, and a
second run that changes nothing) and statistics that match figures counted by hand
from groundswell/research/data/allegations.csv."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from groundswell.campaigns.models import Campaign
from groundswell.organizations.models import Membership
from groundswell.research import statistics
from groundswell.research.actions import ResearchRefused, documents, misconduct
from groundswell.research.models import Allegation, ChartCitation, Dataset
from tests.conftest import login
from tests.research.conftest import DATA

pytestmark = pytest.mark.django_db

HEADER = "crid,officer_id,incident_date,category,finding,outcome,beat,location,latitude,longitude\n"


def test_the_sample_imports_with_wards_and_officers(sample: Dataset) -> None:
    assert sample.allegations.count() == 11
    first = Allegation.objects.get(crid="C-2018-001", officer_ref="S-1001")
    assert first.officer is not None and first.officer.last_name == "Sample"
    assert (first.ward, first.ward_division_id) == (
        3,
        "ocd-division/country:us/state:il/place:chicago/ward:3",
    )
    assert Allegation.objects.get(crid="C-2021-009").ward is None  # no coordinates


def test_importing_again_changes_nothing(dee: Membership, sample: Dataset) -> None:
    again = misconduct.import_allegations(dee, sample, (DATA / "allegations.csv").read_bytes())
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 11, [])
    assert sample.allegations.count() == 11


def test_repeated_and_malformed_rows_are_reported_and_the_rest_kept(
    dee: Membership, sample: Dataset
) -> None:
    rows = (
        HEADER
        + "C-2022-100,S-1002,2022-02-02,Use of Force,Sustained,Reprimand,0711,Street,,\n"
        + "C-2022-100,S-1002,2022-02-02,Use of Force,Sustained,Reprimand,0711,Street,,\n"
        + "C-2022-101,S-1003,not a date,Use of Force,,,,,,\n"
        + "C-2022-102,S-1003,2022-03-03,,,,,,,\n"
        + "C-2022-103,S-1003,2022-03-04,Illegal Search,,,,,95.0,-87.6\n"
        + "C-2018-001,S-1001,2018-03-04,Use of Force,Sustained,Separation,0711,Street,"
        + "41.83,-87.62494\n"
    )
    result = misconduct.import_allegations(dee, sample, rows)
    assert (result.created, result.updated, result.duplicates) == (1, 1, 1)
    assert [line for line, _message in result.errors] == [4, 5, 6]
    assert "Missing value: category" in result.errors[1][1]
    assert sample.allegations.count() == 12
    assert Allegation.objects.get(crid="C-2018-001", officer_ref="S-1001").outcome == "Separation"


def test_a_file_that_is_not_utf8_changes_nothing(dee: Membership, sample: Dataset) -> None:
    with pytest.raises(ResearchRefused):
        misconduct.import_allegations(dee, sample, HEADER.encode() + b"\xff\xfe,\n")
    assert sample.allegations.count() == 11


def test_statistics_match_the_figures_counted_by_hand(sample: Dataset) -> None:
    every = statistics.Filters()
    M = ChartCitation.Measure

    def rows(measure: str, filters: statistics.Filters = every) -> list[tuple[str, int]]:
        return statistics.figure(sample, measure, filters).rows

    assert rows(M.CATEGORY) == [
        ("Use of Force", 6),
        ("Illegal Search", 2),
        ("Verbal Abuse", 2),
        ("False Arrest", 1),
    ]
    assert rows(M.FINDING) == [
        ("Sustained", 4),
        ("Not Sustained", 3),
        ("Unfounded", 2),
        ("Exonerated", 1),
        ("No finding yet", 1),
    ]
    assert statistics.sustained(statistics.allegations(sample, every)) == (4, 10)
    assert "(40.0%)" in statistics.figure(sample, M.FINDING, every).note
    assert rows(M.OUTCOME) == [
        ("No Action Taken", 6),
        ("Suspended", 2),
        ("Reprimand", 1),
        ("Separation", 1),
        ("None recorded", 1),
    ]
    assert rows(M.WARD) == [("Ward 3", 5), ("Ward 20", 3), ("Ward 42", 2), ("No ward", 1)]
    assert rows(M.YEAR) == [("2018", 3), ("2019", 3), ("2020", 3), ("2021", 2)]
    force_since_2020 = statistics.Filters(year_from=2020, category="use of force")
    assert statistics.figure(sample, M.CATEGORY, force_since_2020).total == 3
    assert "2 of 2" in statistics.figure(sample, M.FINDING, force_since_2020).note
    assert statistics.figure(sample, M.YEAR, statistics.Filters(ward=20)).total == 3


def test_the_csv_export_is_the_exact_query(client: Client, sample: Dataset) -> None:
    response = client.get(
        f"/research/data/{sample.pk}/export.csv", {"year_from": "2020", "category": "Use of Force"}
    )
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[arg-type]
    assert lines[0] == statistics.EXPORT_HEADER
    assert [row[0] for row in lines[1:]] == ["C-2020-006", "C-2020-008", "C-2021-010"]


def test_the_statistics_page_shows_source_date_and_filters(client: Client, sample: Dataset) -> None:
    html = client.get(f"/research/data/{sample.pk}/", {"ward": "3"}).content.decode()
    assert "Data as of Jan. 31, 2022" in html
    assert "ward 3" in html and "<svg" in html
    assert "Synthetic sample data" in html


def test_a_demand_cites_a_chart_with_its_filters(
    client: Client, organizer: object, sample: Dataset, campaign: Campaign
) -> None:
    login(client, organizer)  # type: ignore[arg-type]
    demand = campaign.demands.get(position=2)
    response = client.post(
        f"/manage/action-now/research/data/{sample.pk}/cite/",
        {"demand": demand.pk, "measure": "finding", "year_from": "2020"},
    )
    assert response.status_code == 303
    citation = ChartCitation.objects.get()
    assert citation.filters == {"year_from": 2020}
    html = Client().get(f"/research/demands/{demand.pk}/").content.decode()
    assert "2 of 4 allegations with a finding were sustained (50.0%)" in html
    assert "Data as of Jan. 31, 2022" in html


def test_another_organization_cannot_import_into_the_data_set(
    outsider: object, sample: Dataset, campaign: Campaign
) -> None:
    membership = Membership.objects.get(user=outsider)
    with pytest.raises(ResearchRefused):
        misconduct.import_allegations(membership, sample, HEADER)
    with pytest.raises(ResearchRefused):
        documents.cite_chart(membership, campaign.demands.get(position=1), sample, measure="year")
    assert not ChartCitation.objects.exists()
