"""Documents, their versions (split into sections on the way in), clauses and the
statistics demands cite."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from groundswell.campaigns.models import Demand
from groundswell.organizations.models import Membership
from groundswell.research import text as texts
from groundswell.research.actions.common import ResearchRefused, require_organizer
from groundswell.research.models import (
    Category,
    ChartCitation,
    Clause,
    Dataset,
    Document,
    DocumentKind,
    Section,
    Version,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def create_document(
    membership: Membership, *, title: str, kind: str = DocumentKind.CONTRACT, source_url: str = ""
) -> Document:
    """A new document of the membership's organization, with a slug from its title."""
    require_organizer(membership)
    title = title.strip()
    if not title:
        raise ResearchRefused(_("Give the document a title."))
    if kind not in DocumentKind.values:
        raise ResearchRefused(_("Choose what kind of document this is."))
    base = slugify(title)[:70] or "document"
    if base == "new":  # a word of the organizer area's URLs
        base = "new-document"
    slug, n = base, 1
    owned = Document.objects.filter(organization=membership.organization)
    while owned.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Document.objects.create(
        organization=membership.organization,
        slug=slug,
        title=title,
        kind=kind,
        source_url=source_url,
    )


def read_upload(filename: str, data: bytes) -> tuple[str, str]:
    """(text, format) of an uploaded file: .pdf by its text layer, anything else as
    text (.md as Markdown). ResearchRefused when it cannot be read."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ResearchRefused(_("This file is too large (20 MB at most)."))
    try:
        if filename.lower().endswith(".pdf") or data[:5] == b"%PDF-":
            return texts.pdf_text(data), Version.Format.PDF
        fmt = Version.Format.MARKDOWN if filename.lower().endswith(".md") else Version.Format.TEXT
        return texts.decode(data), fmt
    except texts.UnreadableDocument as error:
        raise ResearchRefused(str(error)) from error


def add_version(
    membership: Membership,
    document: Document,
    *,
    label: str,
    effective_date: datetime.date,
    text: str,
    source_format: str = Version.Format.TEXT,
) -> Version:
    """Keep a version of the document and its sections, split by their headings."""
    require_organizer(membership, document.organization)
    label = label.strip()
    if not label:
        raise ResearchRefused(_("Name the version (for example, its year)."))
    if not text.strip():
        raise ResearchRefused(_("The document's text is empty."))
    if document.versions.filter(label=label).exists():
        raise ResearchRefused(_("This document already has a version with that name."))
    parts = texts.split(text)
    with transaction.atomic():
        version = Version.objects.create(
            document=document,
            label=label,
            effective_date=effective_date,
            source_format=source_format,
            text=text,
            created_by=membership.user,
        )
        Section.objects.bulk_create(
            Section(
                version=version,
                position=i,
                level=part.level,
                number=part.number[:30],
                heading=part.heading[:500],
                text=part.text,
            )
            for i, part in enumerate(parts)
        )
    return version


def _demands_of(membership: Membership, demand_ids: list[int]) -> list[Demand]:
    """The demands, each of a campaign the organization owns or partners in."""
    organization = membership.organization
    demands = list(Demand.objects.filter(pk__in=demand_ids).select_related("campaign").distinct())
    for demand in demands:
        campaign = demand.campaign
        if (
            campaign.owner_id != organization.pk
            and not campaign.partners.filter(pk=organization.pk).exists()
        ):
            raise ResearchRefused(_("You can link only demands of your own campaigns."))
    if len(demands) != len(set(demand_ids)):
        raise ResearchRefused(_("One of these demands no longer exists."))
    return demands


def tag_clause(
    membership: Membership,
    section: Section,
    *,
    quote: str,
    category: str,
    note: str = "",
    demand_ids: list[int] | None = None,
) -> Clause:
    """Tag a passage of a section, quoted word for word, and link it to demands."""
    document = section.version.document
    require_organizer(membership, document.organization)
    quote = quote.strip()
    if not quote:
        raise ResearchRefused(_("Quote the clause's text."))
    if texts.normalized(quote) not in texts.normalized(section.text):
        raise ResearchRefused(
            _("The quoted text is not in this section. Copy it exactly from the section.")
        )
    if category not in Category.values:
        raise ResearchRefused(_("Choose a category."))
    demands = _demands_of(membership, demand_ids or [])
    with transaction.atomic():
        clause = Clause.objects.create(
            document=document,
            section=section,
            quote=quote,
            category=category,
            note=note.strip(),
            created_by=membership.user,
        )
        clause.demands.set(demands)
    return clause


def cite_chart(
    membership: Membership,
    demand: Demand,
    dataset: Dataset,
    *,
    measure: str,
    filters: dict[str, Any] | None = None,
) -> ChartCitation:
    """A demand cites one statistic of a complaint data set, with its filters."""
    require_organizer(membership, dataset.organization)
    _demands_of(membership, [demand.pk])
    if measure not in ChartCitation.Measure.values:
        raise ResearchRefused(_("Choose a statistic."))
    from groundswell.research.statistics import Filters

    clean = Filters.from_mapping(filters or {})
    return ChartCitation.objects.create(
        demand=demand, dataset=dataset, measure=measure, filters=clean.as_mapping()
    )
