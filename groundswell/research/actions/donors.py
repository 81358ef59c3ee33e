"""Donor entity resolution: proposals, never silent merges.

`propose_matches` compares donors that share a ZIP code, a kind and the first
letters of their name's longest word (the block) and proposes pairs whose names and
addresses are alike enough, each with a confidence from 0 to 1. Nothing is joined
until an organizer confirms a proposal (`confirm_match`); a rejected pair is never
proposed again.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from itertools import combinations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.organizations.models import Membership
from groundswell.research.actions.common import ResearchRefused, require_organizer
from groundswell.research.actions.finance import folded
from groundswell.research.models import Donor, DonorKind, DonorMatch, MatchState

THRESHOLD = 0.8
# Words that make the same company or person look different.
NOISE = re.compile(r"\b(inc|llc|ltd|corp|corporation|co|company|the|jr|sr|ii|iii|pc|llp|lp|of)\b")
ABBREVIATIONS = {
    "st": "street",
    "ave": "avenue",
    "av": "avenue",
    "blvd": "boulevard",
    "rd": "road",
    "dr": "drive",
    "n": "north",
    "s": "south",
    "e": "east",
    "w": "west",
    "ste": "suite",
    "pl": "place",
    "ct": "court",
}


def _name(donor: Donor) -> str:
    return " ".join(NOISE.sub(" ", folded(donor.name)).split())


def _address(donor: Donor) -> str:
    return " ".join(ABBREVIATIONS.get(w, w) for w in folded(donor.address).split())


def _similar(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    # Word order aside ("Smith John" and "John Smith"), then letters.
    sorted_a, sorted_b = " ".join(sorted(a.split())), " ".join(sorted(b.split()))
    return max(
        difflib.SequenceMatcher(None, a, b).ratio(),
        difflib.SequenceMatcher(None, sorted_a, sorted_b).ratio(),
    )


def confidence(a: Donor, b: Donor) -> tuple[float, str]:
    """How sure the matcher is that two donors are one, and why, in a few words."""
    name = _similar(_name(a), _name(b))
    address = _similar(_address(a), _address(b))
    employer = (
        _similar(folded(a.employer), folded(b.employer)) if a.employer and b.employer else None
    )
    score = 0.6 * name + 0.4 * address
    if employer is not None:
        score = 0.5 * name + 0.3 * address + 0.2 * employer
    reason = f"name {name:.2f}, address {address:.2f}"
    if employer is not None:
        reason += f", employer {employer:.2f}"
    return round(score, 3), reason


def _block(donor: Donor) -> tuple[str, str, str]:
    """Donors compared with each other: same ZIP code, same kind, and the same first
    letters of the name's longest word (the surname or the company's main word,
    whatever the word order)."""
    words = _name(donor).split() or [""]
    return (donor.zip_code[:5], donor.kind, max(words, key=len)[:4])


def propose_matches(*, threshold: float = THRESHOLD) -> int:
    """Propose every pair of (unmerged) donors alike enough, once; the number of new
    proposals. Safe to run again: known pairs, whatever their state, are kept as they
    are."""
    blocks: dict[tuple[str, str, str], list[Donor]] = defaultdict(list)
    for donor in Donor.objects.filter(merged_into__isnull=True).exclude(kind=DonorKind.COMMITTEE):
        blocks[_block(donor)].append(donor)
    known = {(a, b) for a, b in DonorMatch.objects.values_list("donor_id", "other_id")}
    new = []
    for members in blocks.values():
        if len(members) > 500:  # a block this large is a data problem, not a donor
            continue
        for a, b in combinations(sorted(members, key=lambda d: d.pk), 2):
            if (a.pk, b.pk) in known:
                continue
            score, reason = confidence(a, b)
            if score >= threshold:
                new.append(DonorMatch(donor=a, other=b, confidence=score, reason=reason))
    DonorMatch.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _root(donor: Donor) -> Donor:
    seen = set()
    while donor.merged_into_id is not None and donor.pk not in seen:
        seen.add(donor.pk)
        donor = Donor.objects.get(pk=donor.merged_into_id)
    return donor


def _decide(membership: Membership, match: DonorMatch, state: str) -> DonorMatch:
    require_organizer(membership)
    with transaction.atomic():
        match = DonorMatch.objects.select_for_update().get(pk=match.pk)
        if match.state != MatchState.PROPOSED:
            raise ResearchRefused(_("Someone already decided about this pair."))
        match.state = state
        match.decided_by = membership.user
        match.decided_for = membership.organization
        match.decided_at = timezone.now()
        match.save(update_fields=["state", "decided_by", "decided_for", "decided_at"])
        if state == MatchState.CONFIRMED:
            keep, joined = _root(match.donor), _root(match.other)
            if keep.pk != joined.pk:
                # Every donor already joined to `joined` now points to the same root.
                Donor.objects.filter(Q(pk=joined.pk) | Q(merged_into=joined)).update(
                    merged_into=keep
                )
    return match


def confirm_match(membership: Membership, match: DonorMatch) -> DonorMatch:
    """An organizer says the two donors are one: their receipts count together."""
    return _decide(membership, match, MatchState.CONFIRMED)


def reject_match(membership: Membership, match: DonorMatch) -> DonorMatch:
    """An organizer says the two donors are different: never proposed again."""
    return _decide(membership, match, MatchState.REJECTED)
