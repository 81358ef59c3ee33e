"""The interfaces through which higher apps fill slots of the whip board: the
"verified signers in their ward" column, and board sections.

Legislation must not import petitions (or campaigns); instead the app that knows a
campaign's petitions registers a provider here (in its AppConfig.ready):

- `signers_by_ward(board)` returns {OCD division id: verified signers} for the board's
  organization and matter (for example, the verified signers of the petitions of the
  campaigns whose demands link to the matter), or None when it has nothing to say
  about this board.

The board shows each member's number beside their ward; with no provider registered, or
none with an answer, the slot shows nothing. On a public board the numbers are shown to
anyone, so a provider returns only counts it would publish. A provider that fails must
not take the board down with it: its answer is left out and the error logged.

Board sections (`register_section`): `board_section(board)` returns a BoardSection (a
heading and HTML the provider rendered, shown below the members, and short plain-text
notes shown under the heading of a stance's column), or None when it has nothing to
say about this board. The same rules hold: public boards show it to anyone, and a
failing provider is left out and logged. For example, the research desk shows the money
behind the yes and the no columns.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from django.utils.safestring import SafeString

    from groundswell.legislation.models import WhipBoard

logger = logging.getLogger(__name__)


class SignerCounts(Protocol):
    name: str

    def signers_by_ward(self, board: WhipBoard) -> dict[str, int] | None: ...


_providers: dict[str, SignerCounts] = {}


def register(provider: SignerCounts) -> None:
    """Add (or replace, by name) a provider; called from AppConfig.ready."""
    _providers[provider.name] = provider


def unregister(name: str) -> None:
    _providers.pop(name, None)


def providers() -> list[SignerCounts]:
    return sorted(_providers.values(), key=lambda p: p.name)


def signers_by_ward(board: WhipBoard) -> dict[str, int] | None:
    """Every provider's counts for the board, added up by division id; None when no
    provider answered (the slot then shows nothing)."""
    total: dict[str, int] | None = None
    for provider in providers():
        try:
            counts = provider.signers_by_ward(board)
        except Exception:
            logger.exception("Signer counts %r failed for whip board %s", provider.name, board.pk)
            continue
        if counts is None:
            continue
        total = total or {}
        for division_id, count in counts.items():
            total[division_id] = total.get(division_id, 0) + int(count)
    return total


@dataclass(frozen=True)
class ColumnNote:
    stance: str  # a StanceValue: the column whose heading it is shown under
    text: str  # one short line, plain text (escaped when shown)


@dataclass(frozen=True)
class BoardSection:
    key: str  # a short machine word, used in the section's HTML id: "money"
    heading: str  # translated
    html: SafeString | str = ""  # rendered by the provider
    columns: list[ColumnNote] = field(default_factory=list)


class SectionProvider(Protocol):
    name: str
    order: int

    def board_section(self, board: WhipBoard) -> BoardSection | None: ...


_sections: dict[str, SectionProvider] = {}


def register_section(provider: SectionProvider) -> None:
    """Add (or replace, by name) a board section provider; called from AppConfig.ready."""
    _sections[provider.name] = provider


def unregister_section(name: str) -> None:
    _sections.pop(name, None)


def board_sections(board: WhipBoard) -> list[BoardSection]:
    """Every section provider's part for the board, in order, leaving out empty ones."""
    found = []
    for provider in sorted(_sections.values(), key=lambda p: (p.order, p.name)):
        try:
            section = provider.board_section(board)
        except Exception:
            logger.exception("Board section %r failed for whip board %s", provider.name, board.pk)
            continue
        if section is not None and (section.html or section.columns):
            found.append(section)
    return found
