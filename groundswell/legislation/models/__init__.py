"""The legislation app's records: who decides (council), what they decide on (matters)
and where each member stands (whip). See each module's docstring."""

from groundswell.legislation.models.council import (
    Body,
    Classification,
    DecisionMaker,
    Office,
    Revision,
    RevisionSource,
    Term,
)
from groundswell.legislation.models.matters import (
    Matter,
    MatterAction,
    MatterKind,
    Referral,
    RollCall,
    RollCallResult,
    Sponsorship,
    Vote,
    VoteOption,
)
from groundswell.legislation.models.whip import (
    PROJECTED_YES,
    STANCE_ORDER,
    Stance,
    StanceChange,
    StanceSource,
    StanceValue,
    WhipBoard,
)

__all__ = [
    "PROJECTED_YES",
    "STANCE_ORDER",
    "Body",
    "Classification",
    "DecisionMaker",
    "Matter",
    "MatterAction",
    "MatterKind",
    "Office",
    "Referral",
    "Revision",
    "RevisionSource",
    "RollCall",
    "RollCallResult",
    "Sponsorship",
    "Stance",
    "StanceChange",
    "StanceSource",
    "StanceValue",
    "Term",
    "Vote",
    "VoteOption",
    "WhipBoard",
]
