"""The petitions app's models, by concern; every name is importable from here as before."""

from groundswell.petitions.delivery.models import (
    Delivery,
    DeliveryMethod,
    DeliveryPacket,
    PacketState,
)
from groundswell.petitions.models.counts import (
    CountChange,
    DailyCount,
    DistrictCount,
    DistrictCountChange,
    PetitionCount,
)
from groundswell.petitions.models.news import Milestone, PetitionResponse, PetitionUpdate
from groundswell.petitions.models.petitions import (
    Petition,
    PetitionQuerySet,
    PetitionRef,
    SponsorInvitation,
    Status,
    Target,
    _localized,
    is_signable,
)
from groundswell.petitions.models.signatures import (
    COUNTED,
    SUSPECT,
    AccessRule,
    Invalidation,
    Signature,
    SignatureQuerySet,
    SignatureState,
    consented_to,
)

__all__ = [
    "COUNTED",
    "SUSPECT",
    "AccessRule",
    "CountChange",
    "DailyCount",
    "Delivery",
    "DeliveryMethod",
    "DeliveryPacket",
    "DistrictCount",
    "DistrictCountChange",
    "Invalidation",
    "Milestone",
    "PacketState",
    "Petition",
    "PetitionCount",
    "PetitionQuerySet",
    "PetitionRef",
    "PetitionResponse",
    "PetitionUpdate",
    "Signature",
    "SignatureQuerySet",
    "SignatureState",
    "SponsorInvitation",
    "Status",
    "Target",
    "_localized",
    "consented_to",
    "is_signable",
]
