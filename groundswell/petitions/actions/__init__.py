"""Every change to petitions and signatures goes through these functions: petitions and
their texts (petitions), co-sponsors (sponsors), status (status), signing and its
confirmation (signing), invalidation and suspects (integrity), deliveries and delivery
packets (delivery). Callers use
`from groundswell.petitions import actions` and `actions.<name>`."""

from groundswell.petitions.actions.bulk import SignatureRecord, record_signatures
from groundswell.petitions.actions.delivery import (
    build_packet,
    record_delivery,
    request_packet,
)
from groundswell.petitions.actions.integrity import (
    clear_suspects,
    invalidate,
    reverse_invalidation,
)
from groundswell.petitions.actions.petitions import (
    create_petition,
    post_update,
    record_response,
    set_counts_unverified,
    set_targets,
    update_petition,
)
from groundswell.petitions.actions.signing import (
    VERIFY_LINK,
    VERIFY_SALT,
    SignOutcome,
    SignResult,
    VerifyResult,
    check_verification,
    record_signature,
    record_vouched_signature,
    verification_token,
    verify_signature,
)
from groundswell.petitions.actions.sponsors import (
    accept_sponsorship,
    decline_sponsorship,
    invite_sponsor,
    set_sponsors,
    stop_sponsoring,
)
from groundswell.petitions.actions.status import (
    VICTORY_FROM,
    StatusRefused,
    change_status,
    close,
    declare_victory,
    not_ready,
    publish,
    reopen,
    victory_refused,
)

__all__ = [
    "VERIFY_LINK",
    "VERIFY_SALT",
    "VICTORY_FROM",
    "SignOutcome",
    "SignResult",
    "SignatureRecord",
    "StatusRefused",
    "VerifyResult",
    "accept_sponsorship",
    "build_packet",
    "change_status",
    "check_verification",
    "clear_suspects",
    "close",
    "create_petition",
    "declare_victory",
    "decline_sponsorship",
    "invalidate",
    "invite_sponsor",
    "not_ready",
    "post_update",
    "publish",
    "record_delivery",
    "record_response",
    "record_signature",
    "record_signatures",
    "record_vouched_signature",
    "reopen",
    "request_packet",
    "reverse_invalidation",
    "set_counts_unverified",
    "set_sponsors",
    "set_targets",
    "stop_sponsoring",
    "update_petition",
    "verification_token",
    "verify_signature",
    "victory_refused",
]
