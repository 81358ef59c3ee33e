"""What a member of the staff leaves behind when they leave or are removed: apps above
organizations register how they hand back that member's work (the volunteers assigned
to them, ...), and organizations.actions.remove_member runs every one, in its
transaction, before the membership goes. An app below them cannot name their models,
so they come to it (the layers: core; organizations; ...; volunteers)."""

from __future__ import annotations

from collections.abc import Callable

from groundswell.organizations.models import Membership

# Given the membership about to end and who takes its work (None: nobody, it goes back
# to the organization), hand it over; returns how many items.
HandBack = Callable[[Membership, Membership | None], int]

_handlers: dict[str, HandBack] = {}


def register(name: str, hand_back: HandBack) -> None:
    """Run `hand_back` whenever a member leaves or is removed (once per name)."""
    _handlers[name] = hand_back


def hand_back(membership: Membership, successor: Membership | None = None) -> dict[str, int]:
    """Hand everything assigned to the member in the organization to `successor` (another
    member of its staff), or back to nobody: name → count."""
    return {name: handler(membership, successor) for name, handler in _handlers.items()}
