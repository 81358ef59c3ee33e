"""The research desk's records: documents with their versions and sections, clauses
tagged and linked to demands (documents), complaint data (misconduct), and campaign
finance receipts with their donors (finance). Every name imports from
groundswell.research.models."""

from groundswell.research.models.documents import (
    Category,
    ChartCitation,
    Clause,
    Document,
    DocumentKind,
    Section,
    Version,
)
from groundswell.research.models.finance import (
    Committee,
    Donor,
    DonorKind,
    DonorMatch,
    MatchState,
    Receipt,
)
from groundswell.research.models.misconduct import Allegation, ComplaintImport, Dataset, Officer

__all__ = [
    "Allegation",
    "Category",
    "ChartCitation",
    "Clause",
    "Committee",
    "ComplaintImport",
    "Dataset",
    "Document",
    "DocumentKind",
    "Donor",
    "DonorKind",
    "DonorMatch",
    "MatchState",
    "Officer",
    "Receipt",
    "Section",
    "Version",
]
