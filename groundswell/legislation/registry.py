"""The one interface through which a higher app fills the whip board's
"verified signers in their ward" slot.

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
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
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
