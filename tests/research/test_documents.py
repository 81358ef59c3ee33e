"""Documents: splitting a contract into articles and sections, versions, and the
difference of one section between two versions."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from fpdf import FPDF

from groundswell.organizations.models import Membership
from groundswell.research import text
from groundswell.research.actions import ResearchRefused, documents
from groundswell.research.models import Document, Version
from tests.conftest import login
from tests.research.conftest import DATA

pytestmark = pytest.mark.django_db


def test_a_contract_splits_into_its_articles_and_sections() -> None:
    parts = text.split(
        "Agreement (sample)\n\nARTICLE 6 — BILL OF RIGHTS\n\nSection 6.1 Anonymous Complaints\n"
        "No anonymous complaint shall be investigated.\n\n"
        "Section 2. Interrogation\nNot for 48 hours.\n"
        "6.3 Access to Evidence\nThe officer sees the video.\n\nArticle VIII - Indemnification\n"
        "### Section 8A.1 Destruction of Records\nFiles are destroyed."
    )
    assert [(p.level, p.number) for p in parts] == [
        (1, "0"),
        (1, "6"),
        (2, "6.1"),
        (2, "6.2"),
        (2, "6.3"),
        (1, "8"),
        (2, "8A.1"),
    ]
    assert parts[2].heading == "Section 6.1 Anonymous Complaints"
    assert parts[2].text == "No anonymous complaint shall be investigated."
    assert parts[4].text == "The officer sees the video."
    assert parts[6].text == "Files are destroyed."


def test_versions_keep_their_sections(versions: tuple[Version, Version]) -> None:
    old, new = versions
    assert list(old.sections.values_list("number", flat=True)) == [
        "0", "1", "1.1", "6", "6.1", "6.2", "6.3", "8", "8.1", "8A", "8A.1",
    ]  # fmt: skip
    assert "8A.1" not in set(new.sections.values_list("number", flat=True))
    assert new.document.newest() == new


def test_the_difference_of_a_section_marks_changed_words(
    versions: tuple[Version, Version],
) -> None:
    old, new = versions
    rows = text.difference(old.sections.get(number="6.2").text, new.sections.get(number="6.2").text)
    assert [row.kind for row in rows] == ["changed"]  # one paragraph, two lines joined
    assert "<del>" in rows[0].old and "forty-eight (48)" in rows[0].old
    assert "<ins>" in rows[0].new and "twenty-four (24)" in rows[0].new
    assert "regular working hours" in rows[0].new


def test_a_pdf_with_a_text_layer_is_read(dee: Membership, contract: Document) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for line in ("ARTICLE 6 - BILL OF RIGHTS", "Section 6.1 Complaints", "Sworn affidavit needed."):
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    body, fmt = documents.read_upload("contract.pdf", bytes(pdf.output()))
    version = documents.add_version(
        dee,
        contract,
        label="PDF",
        effective_date=datetime.date(2017, 1, 1),
        text=body,
        source_format=fmt,
    )
    assert fmt == Version.Format.PDF
    assert version.sections.get(number="6.1").text == "Sworn affidavit needed."


def test_a_pdf_without_text_is_refused_and_nothing_kept(contract: Document) -> None:
    pdf = FPDF()
    pdf.add_page()
    with pytest.raises(ResearchRefused, match="no text layer"):
        documents.read_upload("scan.pdf", bytes(pdf.output()))
    with pytest.raises(ResearchRefused):
        documents.read_upload("junk.pdf", b"%PDF-1.4 not really")
    assert contract.versions.count() == 0


def test_a_version_name_is_used_once(dee: Membership, versions: tuple[Version, Version]) -> None:
    with pytest.raises(ResearchRefused):
        documents.add_version(
            dee,
            versions[0].document,
            label="2017",
            effective_date=datetime.date(2017, 1, 1),
            text="x",
        )
    assert versions[0].document.versions.count() == 2


def test_another_organization_cannot_add_a_version(
    outsider: object, versions: tuple[Version, Version]
) -> None:
    membership = Membership.objects.get(user=outsider)
    with pytest.raises(ResearchRefused):
        documents.add_version(
            membership,
            versions[0].document,
            label="2025",
            effective_date=datetime.date(2025, 1, 1),
            text="ARTICLE 1 — X",
        )


def test_an_organizer_adds_a_document_and_a_version_through_the_forms(
    client: Client, organizer: object, action_now: object
) -> None:
    login(client, organizer)  # type: ignore[arg-type]
    assert client.get("/manage/action-now/research/").status_code == 200
    empty = client.post(
        "/manage/action-now/research/documents/new/",
        {"title": "Contract", "kind": "contract", "label": "2017", "effective_date": "2017-07-01"},
    )
    assert empty.status_code == 400 and not Document.objects.exists()
    created = client.post(
        "/manage/action-now/research/documents/new/",
        {
            "title": "Contract",
            "kind": "contract",
            "label": "2017",
            "effective_date": "2017-07-01",
            "text": (DATA / "contract-2017.txt").read_text(),
        },
    )
    assert created.status_code == 303
    document = Document.objects.get()
    upload = io.BytesIO((DATA / "contract-2021.md").read_bytes())
    upload.name = "contract-2021.md"
    url = f"/manage/action-now/research/documents/{document.slug}/"
    added = client.post(url, {"label": "2021", "effective_date": "2021-07-01", "upload": upload})
    assert added.status_code == 303
    assert document.versions.get(label="2021").source_format == Version.Format.MARKDOWN
    page = client.get(url).content.decode()
    assert "Version 2021" in page and "Section 6.2 Interrogation" in page
